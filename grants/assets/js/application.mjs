// Starts GOV.UK Frontend's components (error summary focus, notification banners, service
// navigation menu, ...) and the service's own enhancements. Every page works without it; this
// only improves the experience.
import { initAll } from './govuk-frontend.min.js'
import { initBudgetTotal } from './budget-total.mjs'
import { initOtherPriorities } from './other-priorities.mjs'
import { initPrintButtons } from './print-page.mjs'
import { initTimeoutWarning } from './timeout-warning.mjs'
import { initUnsavedChanges } from './unsaved-changes.mjs'

initAll()
initUnsavedChanges()
initTimeoutWarning()
initPrintButtons()
initBudgetTotal()
initOtherPriorities()
