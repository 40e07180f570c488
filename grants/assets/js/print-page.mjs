// "Print this page" buttons. They are hidden until this runs, as they need JavaScript; the
// page prints without its menus and buttons either way (the print stylesheet).

export function initPrintButtons (root = document) {
  for (const button of root.querySelectorAll('[data-module="app-print-page"]')) {
    const wrapper = button.closest('[hidden]')
    if (wrapper) wrapper.hidden = false
    button.addEventListener('click', () => window.print())
  }
}
