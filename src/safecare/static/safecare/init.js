// Loaded synchronously at the start of <body> (no inline script: the
// Content-Security-Policy forbids them). Browsers that support ES modules get
// the classes GOV.UK Frontend's styles use for JavaScript-enhanced components;
// app.mjs then initialises the components. Without these classes every
// component falls back to its no-JavaScript form.
if ('noModule' in HTMLScriptElement.prototype) {
  document.body.classList.add('js-enabled', 'govuk-frontend-supported')
}
