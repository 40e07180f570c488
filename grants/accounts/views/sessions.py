"""Signed-in sessions: loading the user, and ending sessions that are idle or too old.

The session cookie is signed, so the times kept in it can be trusted; both limits are enforced
here on every request, whatever the browser does. The cookie also names a session record kept
on the server (grants.accounts.operations.sessions): once that has ended (signing out, a new
password, an admin), the cookie signs nobody in, even a copy of it.
"""

import logging
from datetime import timedelta

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask.signals import appcontext_pushed
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_url, logout_user, user_logged_in
from sqlalchemy.orm import joinedload

from grants.accounts.models import SignedInSession, User
from grants.accounts.operations import second_factor
from grants.accounts.operations import sessions as signed_in_sessions
from grants.accounts.operations.settings import AccountSettings
from grants.accounts.operations.signing_in import record_sign_out
from grants.core import clock
from grants.core.translatable import N_
from grants.extensions import db, login_manager
from grants.offices.operations import scoping
from grants.offices.operations.speaking import office_of_request, speak_for_office

logger = logging.getLogger(__name__)

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN_AT = "last_seen_at"
SESSION_TIMES = (SIGNED_IN_AT, LAST_SEEN_AT)
# The session cookie's name for the server's record of this signed-in session.
SESSION_RECORD = "session_id"
SIGN_IN_ENDPOINT = "accounts.sign_in"
# Pages a person who still has to set up their second factor may use meanwhile.
OPEN_BEFORE_SECOND_FACTOR = ("accounts.", "pages.", "static")
# All a person whose email address is not yet confirmed may do: confirm it (or ask for a new
# link), see their account page, sign out, and read the public pages. Nothing else, so an
# account made with someone else's address can make the service send nothing more.
OPEN_BEFORE_CONFIRMING = (
    "accounts.account", "accounts.verify_email", "accounts.resend_verification",
    "accounts.sign_out", "accounts.check_email", "applications.keep_alive", "pages.",
    "static", "rounds.", "opendata.",
)


def init_app(app: Flask) -> None:
    login_manager.login_view = SIGN_IN_ENDPOINT
    login_manager.login_message = N_("Sign in to see that page")
    # Flask-Login says it in the page's language through this.
    login_manager.localize_callback = _
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)
    user_logged_in.connect(_start_session_clock, app)
    app.before_request(end_expired_session)
    app.before_request(send_to_second_factor_setup)
    app.before_request(keep_unconfirmed_to_confirming)
    app.teardown_request(_end_office_scope)
    appcontext_pushed.connect(_scope_streamed_body, app)


def load_user(user_id: str) -> User | None:
    """The user named by the session, while the server's record of the session lives and
    their password has not changed since it began."""
    person_id = _person_id(user_id)
    if person_id is None:
        return None
    # One query for the session's record and its person, their roles and memberships.
    record = signed_in_sessions.current(db.session, session.get(SESSION_RECORD), person_id)
    if record is None or not _still_signs_in(record.user, user_id):
        return None
    g.signed_in_session = record
    _scope_to_their_office(record.user)
    return record.user


def _scope_to_their_office(user: User) -> None:
    """A member of an office's staff (staff, admin, reviewer, High Sheriff) reads only their
    office's records for the rest of the request: set once, here, as the person is loaded
    (every request loads them before its page does anything else: `end_expired_session`)."""
    if not user.is_staff_side:
        return
    office_id = user.staff_office_id
    if office_id is None:  # a role written without its office: the first office's
        office_id = office_of_request(db.session).id
    if office_id is not None:
        g.office_scope = office_id
        scoping.scope_to_office(db.session, office_id)
        speak_for_office(db.session, office_id)


def _scope_streamed_body(sender: Flask, **extra) -> None:
    """A download written as it is sent (`stream_with_context`) runs after the request has
    ended, with its contexts pushed again and a new database session: scope that session to
    the office as well (the request's `g` holds it)."""
    office_id = g.get("office_scope")
    if office_id is not None:
        scoping.scope_to_office(db.session, office_id)


def _end_office_scope(error: BaseException | None) -> None:
    # The session outlives the request only where a test holds its app context open; in
    # production it ends with the request's app context.
    scoping.end_office_scope(db.session)


def this_session() -> SignedInSession | None:
    """The server's record of the signed-in session of this request."""
    return g.get("signed_in_session") if current_user.is_authenticated else None


def begin_session_record(user: User) -> None:
    """Keep a record of the session just signed in, named in its cookie."""
    record = signed_in_sessions.begin(db.session, user,
                                      user_agent=request.headers.get("User-Agent", ""))
    session[SESSION_RECORD] = record.id
    g.signed_in_session = record


def user_for_login_id(user_id: str) -> User | None:
    """The active user a login id names, unless their password has changed since."""
    person_id = _person_id(user_id)
    if person_id is None:
        return None
    # One query for the person, their roles and memberships.
    user = db.session.get(User, person_id, populate_existing=True, options=[
        joinedload(User.role_rows), joinedload(User.memberships)])
    if user is None or not _still_signs_in(user, user_id):
        return None
    return user


def _person_id(login_id: str) -> int | None:
    """The person's id from a login id ("<id>:<password stamp>"), None when it has none."""
    id_part = login_id.partition(":")[0]
    return int(id_part) if id_part.isascii() and id_part.isdigit() else None


def _still_signs_in(user: User, login_id: str) -> bool:
    """Whether the login id still signs the person in: active, password unchanged since."""
    return user.is_active and user.get_id() == login_id


def _start_session_clock(sender: Flask, user: User, **extra) -> None:
    # Signing in clears the session first, so this starts the clock; logging the same person
    # in again (after a password change) keeps the original sign-in time.
    now = clock.utcnow().timestamp()
    session.setdefault(SIGNED_IN_AT, now)
    session[LAST_SEEN_AT] = now


def _path_asked_for() -> str:
    query = request.query_string.decode("utf-8", "replace")
    return f"{request.path}?{query}" if query else request.path


def end_expired_session():
    """Sign out a session idle for too long or older than the absolute limit."""
    if request.endpoint == "static":
        return None
    if not current_user.is_authenticated:
        for key in SESSION_TIMES:
            session.pop(key, None)
        return None

    now = clock.utcnow().timestamp()
    signed_in_at = session.get(SIGNED_IN_AT, now)
    last_seen_at = session.get(LAST_SEEN_AT, now)
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_TIMEOUT_MINUTES"])
    absolute = timedelta(hours=current_app.config["SESSION_ABSOLUTE_TIMEOUT_HOURS"])

    if now - last_seen_at > idle.total_seconds():
        minutes = int(idle.total_seconds() // 60)
        message = ngettext(
            "You were signed out because you were inactive for %(num)d minute. Sign in to "
            "carry on from where you were.",
            "You were signed out because you were inactive for %(num)d minutes. Sign in to "
            "carry on from where you were.", minutes)
        reason = "idle"
    elif now - signed_in_at > absolute.total_seconds():
        hours = int(absolute.total_seconds() // 3600)
        message = ngettext(
            "You were signed out because you had been signed in for %(num)d hour. Sign in to "
            "carry on from where you were.",
            "You were signed out because you had been signed in for %(num)d hours. Sign in to "
            "carry on from where you were.", hours)
        reason = "absolute"
    else:
        session[SIGNED_IN_AT] = signed_in_at
        session[LAST_SEEN_AT] = now
        record = this_session()
        if record is not None:
            signed_in_sessions.seen_now(record)
        return None

    record_sign_out(db.session, current_user, reason=f"session reached its {reason} limit")
    record = this_session()
    if record is not None:
        signed_in_sessions.end(db.session, record)
    logout_user()
    session.clear()
    flash(message, "info")
    if request.method == "GET" and request.endpoint != SIGN_IN_ENDPOINT:
        return redirect(login_url(SIGN_IN_ENDPOINT, next_url=_path_asked_for()))
    return redirect(login_url(SIGN_IN_ENDPOINT))


def send_to_second_factor_setup():
    """Staff who must use a second factor set it up before any other page."""
    endpoint = request.endpoint or ""
    if endpoint.startswith(OPEN_BEFORE_SECOND_FACTOR) or not current_user.is_authenticated:
        return None
    settings = AccountSettings.from_config(current_app.config)
    if not second_factor.must_set_up(current_user, settings):
        return None
    flash(_("Set up an authenticator app to carry on. Staff accounts need a code from one "
            "to sign in"), "info")
    return redirect(url_for("accounts.set_up_authenticator"))


def keep_unconfirmed_to_confirming():
    """A person whose email address is not confirmed is sent to their account page, which
    offers a new link, from any page but those they may use meanwhile."""
    endpoint = request.endpoint or ""
    # The endpoint first: a stylesheet or script asked for by a page loads nobody.
    if (endpoint.startswith(OPEN_BEFORE_CONFIRMING) or not current_user.is_authenticated
            or current_user.email_verified):
        return None
    flash(_("Confirm your email address first: open the link we sent to %(email)s, or ask "
            "for a new one below.", email=current_user.email), "info")
    return redirect(url_for("accounts.account"))
