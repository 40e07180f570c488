// Warns a signed-in person before their session times out, and lets them stay signed in.
//
// The server signs a session out after SESSION_IDLE_TIMEOUT_MINUTES without a request. Shortly
// before that, this opens a modal dialog (role alertdialog) that says so, counts down, and
// offers "Stay signed in" (one request to the keep-alive address, which restarts the server's
// idle clock) and "Sign out". At zero it goes back to the page it was on: the server, finding
// the session over, signs them out and asks them to sign in, then returns them there.
//
// The timing comes from data attributes on <body> (the CSP allows no inline script); without
// them (signed out) nothing happens. Without JavaScript the server's timeout still applies.

const SECOND = 1000
const MINUTE = 60 * SECOND
// Every tab of the service shares one session: each records when it last spoke to the server,
// so a tab left open does not warn, or sign out, someone busy in another.
const ACTIVITY_KEY = 'grants:session-activity'

export function initTimeoutWarning (body = document.body) {
  const settings = readSettings(body.dataset)
  if (!settings) return null
  const warning = new TimeoutWarning(settings)
  warning.start()
  // Another tab spoke to the server: count from then.
  window.addEventListener('storage', (event) => {
    if (event.key !== ACTIVITY_KEY) return
    const other = Number(event.newValue)
    if (other + settings.idle > warning.deadline) warning.restart(other)
  })
  return warning
}

function readSettings (data) {
  const minutes = Number(data.sessionTimeoutMinutes)
  const warningSeconds = Number(data.sessionWarningSeconds)
  if (!data.sessionKeepAliveUrl || !(minutes > 0)) return null
  const idle = minutes * MINUTE
  return {
    idle,
    // Never warn earlier than the start of the session.
    lead: Math.min(idle, (warningSeconds >= 0 ? warningSeconds : 120) * SECOND),
    keepAliveUrl: data.sessionKeepAliveUrl,
    returnPath: data.sessionReturnPath || window.location.pathname + window.location.search,
    signOutUrl: data.sessionSignOutUrl || '',
    csrfToken: data.sessionCsrfToken || ''
  }
}

// "2 minutes", "1 minute", "45 seconds", "1 second".
export function describe (milliseconds) {
  const seconds = Math.max(0, Math.ceil(milliseconds / SECOND))
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60)
    return `${minutes} minute${minutes === 1 ? '' : 's'}`
  }
  return `${seconds} second${seconds === 1 ? '' : 's'}`
}

class TimeoutWarning {
  constructor (settings) {
    this.settings = settings
    this.warnTimer = null
    this.tick = null
    this.dialog = null
    this.returnFocusTo = null
    this.lastAnnounced = null
  }

  // `at` is when the server last saw this session: now, when this page loaded or kept it
  // alive, or when another tab did.
  start (at = Date.now(), share = true) {
    this.deadline = at + this.settings.idle
    if (share) rememberActivity(at)
    window.clearTimeout(this.warnTimer)
    this.warnTimer = window.setTimeout(() => this.open(),
      Math.max(0, this.deadline - this.settings.lead - Date.now()))
  }

  restart (at) {
    this.close()
    this.start(at, false)
  }

  build () {
    const dialog = document.createElement('dialog')
    dialog.className = 'app-timeout-dialog'
    dialog.setAttribute('role', 'alertdialog')
    dialog.setAttribute('aria-modal', 'true')
    dialog.setAttribute('aria-labelledby', 'app-timeout-heading')
    dialog.setAttribute('aria-describedby', 'app-timeout-description')
    dialog.innerHTML = `
      <h2 class="govuk-heading-m" id="app-timeout-heading">You will be signed out soon</h2>
      <div id="app-timeout-description">
        <p class="govuk-body">To protect your information, we will sign you out in
          <strong class="app-timeout-dialog__countdown" data-timeout-countdown></strong>.</p>
        <p class="govuk-body">Answers you have not saved will be lost.</p>
      </div>
      <p class="govuk-visually-hidden" aria-live="polite" aria-atomic="true" data-timeout-announcement></p>
      <div class="govuk-button-group">
        <button type="button" class="govuk-button govuk-!-margin-bottom-0" data-timeout-stay>Stay signed in</button>
      </div>`
    if (this.settings.signOutUrl && this.settings.csrfToken) {
      // Signing out is a POST with the page's CSRF token, as the menu's "Sign out" is.
      const form = document.createElement('form')
      form.method = 'post'
      form.action = this.settings.signOutUrl
      form.className = 'app-timeout-dialog__sign-out'
      const token = document.createElement('input')
      token.type = 'hidden'
      token.name = 'csrf_token'
      token.value = this.settings.csrfToken
      const button = document.createElement('button')
      button.type = 'submit'
      button.className = 'govuk-button govuk-button--secondary govuk-!-margin-bottom-0'
      button.textContent = 'Sign out'
      form.append(token, button)
      form.addEventListener('submit', () => leaving())
      dialog.querySelector('.govuk-button-group').append(form)
    }
    dialog.querySelector('[data-timeout-stay]').addEventListener('click', () => this.stay())
    // Escape means "stay signed in", not "ignore the warning".
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault()
      this.stay()
    })
    dialog.addEventListener('keydown', (event) => this.trapFocus(event))
    document.body.append(dialog)
    return dialog
  }

  open () {
    if (!this.dialog) this.dialog = this.build()
    if (this.dialog.open) return
    this.returnFocusTo = document.activeElement
    this.lastAnnounced = null
    this.update()
    if (typeof this.dialog.showModal === 'function') {
      this.dialog.showModal()
    } else {
      this.dialog.setAttribute('open', '')
    }
    this.dialog.querySelector('[data-timeout-stay]').focus()
    window.clearInterval(this.tick)
    this.tick = window.setInterval(() => this.update(), SECOND)
  }

  update () {
    const remaining = this.deadline - Date.now()
    if (remaining <= 0) {
      this.expire()
      return
    }
    const words = describe(remaining)
    this.dialog.querySelector('[data-timeout-countdown]').textContent = words
    // Screen readers hear the time when the dialog opens (it is in the description), then
    // politely at each whole minute and at 30 seconds, not every second.
    const seconds = Math.ceil(remaining / SECOND)
    const milestone = seconds > 60 ? Math.ceil(seconds / 60) * 60 : (seconds > 30 ? 60 : 30)
    if (this.lastAnnounced === null) {
      this.lastAnnounced = milestone
    } else if (milestone < this.lastAnnounced) {
      this.lastAnnounced = milestone
      this.dialog.querySelector('[data-timeout-announcement]').textContent =
        `You will be signed out in ${describe(milestone * SECOND)}.`
    }
  }

  close () {
    window.clearInterval(this.tick)
    if (!this.dialog || !this.dialog.open) return
    this.dialog.close()
    if (this.returnFocusTo && typeof this.returnFocusTo.focus === 'function') {
      this.returnFocusTo.focus()
    }
  }

  async stay () {
    let kept = false
    try {
      const response = await window.fetch(this.settings.keepAliveUrl, {
        method: 'GET',
        credentials: 'same-origin',
        cache: 'no-store',
        redirect: 'manual',
        headers: { Accept: 'application/json' }
      })
      kept = response.status === 204
    } catch (error) {
      kept = false
    }
    if (kept) {
      this.close()
      this.start()
    } else {
      this.expire()
    }
  }

  expire () {
    window.clearInterval(this.tick)
    window.clearTimeout(this.warnTimer)
    const other = lastActivity()
    if (other + this.settings.idle > Date.now() + SECOND) {
      this.restart(other) // someone is busy in another tab: the session goes on
      return
    }
    leaving()
    window.location.assign(this.settings.returnPath)
  }

  trapFocus (event) {
    if (event.key !== 'Tab') return
    const focusable = [...this.dialog.querySelectorAll('button, [href], input:not([type="hidden"])')]
      .filter((element) => !element.disabled)
    if (!focusable.length) return
    const first = focusable[0]
    const last = focusable[focusable.length - 1]
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault()
      last.focus()
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault()
      first.focus()
    }
  }
}

function rememberActivity (at) {
  try {
    window.localStorage.setItem(ACTIVITY_KEY, String(at))
  } catch (error) {
    // Storage may be switched off; each tab then keeps its own time.
  }
}

function lastActivity () {
  try {
    return Number(window.localStorage.getItem(ACTIVITY_KEY)) || 0
  } catch (error) {
    return 0
  }
}

// Tells the unsaved-changes warning not to stop this navigation.
function leaving () {
  document.dispatchEvent(new CustomEvent('app:leaving'))
}
