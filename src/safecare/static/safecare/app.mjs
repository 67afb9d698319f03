// Initialises every GOV.UK Frontend component on the page (error summary
// focus, service navigation menu, notification banners, radios, ...).
// govuk-frontend.min.js is copied into static/build/ by `npm run build`.
import { initAll } from '../build/govuk-frontend.min.js'

initAll()
