// The budget's running total, kept up to date as amounts are typed. The server works the total
// out on every save (so the page shows it without JavaScript); this only saves a round trip.
// An amount that is not money yet counts for nothing, as on the server.

const MONEY = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/

export function penceOf (text) {
  const match = MONEY.exec(text.replace(/\s+/g, '').replace(/^£/, ''))
  if (!match) return 0
  const pounds = Number(match[1].replaceAll(',', ''))
  const pence = Number((match[2] || '0').padEnd(2, '0'))
  return pounds * 100 + pence
}

export function poundsText (pence) {
  const whole = Math.floor(pence / 100).toLocaleString('en-GB')
  const rest = pence % 100
  return rest ? `£${whole}.${String(rest).padStart(2, '0')}` : `£${whole}`
}

export function initBudgetTotal (root = document) {
  const total = root.querySelector('[data-module="app-budget-total"]')
  const form = total && total.closest('form')
  const figure = total && total.querySelector('[data-budget-total]')
  if (!form || !figure) return
  form.addEventListener('input', (event) => {
    if (!event.target.name || !/^line_\d+_amount$/.test(event.target.name)) return
    const amounts = form.querySelectorAll('input[name$="_amount"]')
    let pence = 0
    for (const input of amounts) {
      if (/^line_\d+_amount$/.test(input.name)) pence += penceOf(input.value)
    }
    figure.textContent = poundsText(pence)
  })
}
