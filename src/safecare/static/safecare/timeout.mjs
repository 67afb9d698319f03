// The GOV.UK timeout warning: a minute before the idle time-out (core.middleware), a
// modal dialog says so, takes the focus (so a screen reader reads it) and offers
// "Stay signed in", which asks the server to count the session as used (a POST with
// the page's CSRF token, no reload), or "Sign out". Escape stays signed in too.
//
// The server renders, on the dialog, the idle length and how long this session has
// left (data-idle-seconds, data-seconds-left); the dialog is there only for someone
// fully signed in. Tabs of the same person share the time the session ends
// (localStorage), so using one tab keeps the warning away in the others. When the time
// is up the page is loaded again: the server then signs the person out and offers to
// sign in, coming back to this page (drafts.mjs keeps long text typed meanwhile).
// Without JavaScript, or a browser without <dialog>, the dialog stays hidden.

const WARN_SECONDS = 60
// The server counts whole seconds: load again only once it has surely ended the session.
const MARGIN_MS = 2000

function start (dialog) {
  const secondsLeft = Number(dialog.dataset.secondsLeft)
  const url = dialog.dataset.staySignedInUrl
  const csrf = dialog.querySelector('input[name="csrfmiddlewaretoken"]')?.value
  const stay = dialog.querySelector('[data-timeout-stay]')
  const shared = `safecare:session-ends:${document.body.dataset.userId}`
  if (!Number.isFinite(secondsLeft) || !url || !csrf || !stay) return

  let endsAt = Date.now() + secondsLeft * 1000
  let asking = false

  function shareEnd () {
    try {
      if (endsAt > Number(window.localStorage.getItem(shared) || 0)) {
        window.localStorage.setItem(shared, String(endsAt))
      }
    } catch {}
  }

  function end () {
    try {
      return Math.max(endsAt, Number(window.localStorage.getItem(shared) || 0))
    } catch {
      return endsAt
    }
  }

  function open () {
    dialog.hidden = false
    dialog.showModal()
    dialog.focus()
  }

  function close () {
    if (!dialog.open) return
    dialog.close() // gives the focus back to where it was
    dialog.hidden = true
  }

  function timedOut () {
    window.clearInterval(timer)
    window.location.assign(window.location.href)
  }

  function tick () {
    const now = Date.now()
    const ends = end()
    if (now >= ends + MARGIN_MS) timedOut()
    else if (now >= ends - WARN_SECONDS * 1000) {
      if (!dialog.open) open()
    } else close()
  }

  async function staySignedIn () {
    if (asking) return
    asking = true
    try {
      const response = await window.fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        redirect: 'manual',
        headers: { 'X-CSRFToken': csrf, Accept: 'application/json' }
      })
      if (!response.ok) throw new Error(`stay signed in: ${response.status}`)
      const answer = await response.json()
      endsAt = Date.now() + Number(answer.seconds_left) * 1000
      shareEnd()
      close()
    } catch {
      // Already signed out (or the server cannot be reached): the page says which.
      timedOut()
    } finally {
      asking = false
    }
  }

  stay.addEventListener('click', staySignedIn)
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault()
    staySignedIn()
  })
  window.addEventListener('storage', (event) => {
    if (event.key === shared) tick()
  })

  shareEnd()
  const timer = window.setInterval(tick, 1000)
  tick()
}

const dialog = document.getElementById('app-timeout-dialog')
if (dialog && typeof dialog.showModal === 'function') start(dialog)
