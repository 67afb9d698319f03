// Typeahead for a record chosen by name or reference (core/typeahead.py): the GOV.UK
// accessible-autocomplete over the page's own suggestion address. Without JavaScript the
// field is a text box: a name or a reference typed there is found by the server.
// Suggestions come from the server as you type, so no page lists every household.

const inputs = [...document.querySelectorAll('input[data-typeahead-url]')]

if (inputs.length) {
  const build = new URL('../build/', import.meta.url)
  const style = document.createElement('link')
  style.rel = 'stylesheet'
  style.href = new URL('accessible-autocomplete.min.css', build).href
  document.head.append(style)
  await import(new URL('accessible-autocomplete.min.js', build).href)
  for (const input of inputs) enhance(input)
}

function enhance (input) {
  const url = new URL(input.dataset.typeaheadUrl, window.location.href)
  const describedBy = input.getAttribute('aria-describedby')
  const hadError = input.classList.contains('govuk-input--error')
  const container = document.createElement('div')
  input.before(container)
  input.remove()
  let timer
  let controller
  window.accessibleAutocomplete({
    element: container,
    id: input.id,
    name: input.name,
    defaultValue: input.value,
    minLength: 2,
    showNoOptionsFound: true,
    inputClasses: hadError ? 'govuk-input--error' : '',
    tNoResults: () => 'Nothing found: check the spelling, or type the reference',
    tStatusQueryTooShort: (minLength) => `Type ${minLength} or more letters for suggestions`,
    source (query, populate) {
      clearTimeout(timer)
      timer = setTimeout(async () => {
        controller?.abort()
        controller = new AbortController()
        url.searchParams.set('q', query)
        try {
          const response = await fetch(url, {
            headers: { Accept: 'application/json' },
            credentials: 'same-origin',
            signal: controller.signal
          })
          populate(response.ok ? (await response.json()).results : [])
        } catch (error) {
          if (error.name !== 'AbortError') populate([])
        }
      }, 150)
    }
  })
  // The hint and the error message stay tied to the new box.
  const box = container.querySelector('input')
  if (box && describedBy) {
    const own = box.getAttribute('aria-describedby')
    box.setAttribute('aria-describedby', [describedBy, own].filter(Boolean).join(' '))
  }
}
