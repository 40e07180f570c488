// "Which other priorities" leaves out the primary priority. The server leaves out the one
// saved; this also hides (and unticks) the one chosen, as soon as it is chosen.

export function initOtherPriorities (root = document) {
  const primaries = [...root.querySelectorAll('input[type="radio"][name="primary_priority"]')]
  const others = [...root.querySelectorAll('input[type="checkbox"][name="further_priorities"]')]
  if (!primaries.length || !others.length) return

  function update () {
    const chosen = primaries.find((radio) => radio.checked)
    for (const box of others) {
      const item = box.closest('.govuk-checkboxes__item')
      const isPrimary = chosen !== undefined && box.value === chosen.value
      if (item) item.hidden = isPrimary
      if (isPrimary) box.checked = false
    }
  }

  for (const radio of primaries) radio.addEventListener('change', update)
  update()
}
