// Drafts of long text (decision 0026): what is typed in a textarea is kept in this
// browser's localStorage as it is typed, so that nothing is lost to a time-out, a
// closed tab or a dropped connection. Never sent anywhere.
//
// - Key: user id + page path + field name. Only the person who typed it gets it back.
// - Put back when the page is opened again with that field empty, with a discreet
//   note beside the field.
// - Forgotten when its form is sent and the page that follows is not that form again
//   with its errors (nor an error page, nor the sign-in page after a time-out).
// - Every draft of the person is forgotten when they sign out (the sign-out button,
//   and the sign-in page the sign-out leads to: data-forget-drafts-of), and a draft
//   older than KEEP_DAYS is dropped.
// Without JavaScript, or without localStorage, forms work as before.

const PREFIX = 'safecare:draft:'
const SUBMITTED = 'safecare:draft-submitted'
const KEEP_DAYS = 14
const DAY = 24 * 60 * 60 * 1000

function available (name) {
  try {
    const store = window[name]
    store.getItem(PREFIX)
    return store
  } catch {
    return null
  }
}

const drafts = available('localStorage')
const tabStore = available('sessionStorage')
const userId = document.body.dataset.userId

function forgetAllOf (user) {
  const prefix = `${PREFIX}${user}:`
  for (let i = drafts.length - 1; i >= 0; i--) {
    const key = drafts.key(i)
    if (key && key.startsWith(prefix)) drafts.removeItem(key)
  }
}

function keyOf (field) {
  return `${PREFIX}${userId}:${window.location.pathname}:${field.name}`
}

function read (key) {
  try {
    const draft = JSON.parse(drafts.getItem(key))
    if (draft && typeof draft.text === 'string' && typeof draft.at === 'number') return draft
  } catch {}
  return null
}

function keep (field) {
  const key = keyOf(field)
  try {
    if (field.value.trim() === '') drafts.removeItem(key)
    else drafts.setItem(key, JSON.stringify({ text: field.value, at: Date.now() }))
  } catch {
    // Storage full or refused: the form itself still works.
  }
}

function tellRestored (field) {
  const note = document.createElement('p')
  note.className = 'govuk-body-s app-draft-notice'
  note.id = `${field.id || field.name}-draft-restored`
  note.setAttribute('role', 'status')
  note.textContent = 'We have put back what you typed here before. It is not saved yet.'
  field.before(note)
  const described = field.getAttribute('aria-describedby')
  field.setAttribute('aria-describedby', described ? `${described} ${note.id}` : note.id)
}

// The page that follows a form with drafts: forget them, unless nothing was saved.
function settleSubmitted () {
  let sent = null
  try {
    sent = JSON.parse(tabStore.getItem(SUBMITTED))
  } catch {}
  tabStore.removeItem(SUBMITTED)
  if (!sent || !Array.isArray(sent.keys)) return
  // Signed out meanwhile (a time-out): keep them, to be put back after signing in again.
  if (sent.user !== userId) return
  const navigation = window.performance?.getEntriesByType?.('navigation')?.[0]
  if (navigation?.responseStatus >= 400) return
  const formAgain = document.querySelector('.govuk-error-summary') && sent.paths.includes(window.location.pathname)
  if (formAgain) return
  for (const key of sent.keys) drafts.removeItem(key)
}

function rememberSubmitted (form) {
  const keys = [...form.querySelectorAll('textarea[name]')].map(keyOf)
  if (keys.length === 0 || !tabStore) return
  const paths = [window.location.pathname, new URL(form.action, window.location.href).pathname]
  try {
    tabStore.setItem(SUBMITTED, JSON.stringify({ user: userId, keys, paths }))
  } catch {}
}

function start () {
  if (document.body.dataset.forgetDraftsOf) forgetAllOf(document.body.dataset.forgetDraftsOf)
  if (tabStore) settleSubmitted()
  if (!userId) return

  for (const field of document.querySelectorAll('form textarea[name]')) {
    if (field.disabled || field.readOnly || 'noDraft' in field.dataset) continue
    const key = keyOf(field)
    const draft = read(key)
    if (draft && Date.now() - draft.at > KEEP_DAYS * DAY) {
      drafts.removeItem(key)
    } else if (draft && draft.text.trim() !== '' && field.value.trim() === '') {
      field.value = draft.text
      tellRestored(field)
      field.dispatchEvent(new Event('input', { bubbles: true })) // a character count recounts
    }
    field.addEventListener('input', () => keep(field))
  }

  document.addEventListener('submit', (event) => {
    const form = event.target
    if (!(form instanceof HTMLFormElement)) return
    if ('signOut' in form.dataset) forgetAllOf(userId)
    else if (form.method === 'post') rememberSubmitted(form)
  })
}

if (drafts) start()
