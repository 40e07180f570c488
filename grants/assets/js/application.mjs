// Starts GOV.UK Frontend's components (error summary focus, notification banners, service
// navigation menu, ...). Every page works without it; this only improves the experience.
import { initAll } from './govuk-frontend.min.js'

initAll()
