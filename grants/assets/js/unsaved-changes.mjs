// Asks before leaving a page whose form has changes that have not been saved.
//
// Forms opt in with the `data-unsaved-warning` attribute (every application section has it).
// The browser's own "Leave site?" question is shown on beforeunload only when a field differs
// from what the page loaded with, and never while the form itself is being sent. Without
// JavaScript the forms work the same, without the question.

export function initUnsavedChanges (root = document) {
  const forms = [...root.querySelectorAll('form[data-unsaved-warning]')]
  if (!forms.length) return null
  const loaded = new Map(forms.map((form) => [form, snapshot(form)]))
  let leaving = false

  for (const form of forms) {
    form.addEventListener('submit', () => { leaving = true })
  }
  // The timeout warning is signing the person out: nothing can be saved now.
  document.addEventListener('app:leaving', () => { leaving = true })
  // Coming back to the page from the browser's cache starts afresh.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) leaving = false
  })

  function changed () {
    return forms.some((form) => snapshot(form) !== loaded.get(form))
  }

  function warn (event) {
    if (leaving || !changed()) return undefined
    event.preventDefault()
    // Older browsers need returnValue set; the text is the browser's own.
    event.returnValue = ''
    return ''
  }

  window.addEventListener('beforeunload', warn)
  return { changed }
}

// The form's values as one string, files by name (their contents cannot change unseen).
function snapshot (form) {
  const values = []
  for (const [name, value] of new FormData(form)) {
    if (name === 'csrf_token') continue
    values.push([name, typeof value === 'string' ? value : value.name])
  }
  return JSON.stringify(values)
}
