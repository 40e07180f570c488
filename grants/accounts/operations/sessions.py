"""Signed-in sessions kept on the server: begun at sign-in, ended by signing out, a new
password, a reset second factor or an admin. The session cookie names one; a cookie whose
session has ended signs nobody in."""

import functools
import logging
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import Select, bindparam, delete, select
from sqlalchemy.orm import Session, joinedload

from grants.accounts.models import SignedInSession, User
from grants.core import clock
from grants.core.translatable import N_, Words
from grants.offices.models import Office
from grants.offices.operations.speaking import is_office_of_request, note_office_of_request
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

# The record's "last seen" is written at most this often, not on every page. (The one write a
# page may cause: the time a session was used is what the person's list of sessions shows.)
LAST_SEEN_PRECISION = timedelta(minutes=1)
USER_AGENT_LENGTH = 300
# What `begin` makes: 32 random bytes, URL-safe base64. Anything else names no session.
SESSION_ID = re.compile(r"[A-Za-z0-9_-]{43}")


def begin(session: Session, user: User, *, user_agent: str) -> SignedInSession:
    """A new signed-in session for the user, on the browser that sent this user agent."""
    record = SignedInSession(id=secrets.token_urlsafe(32), user_id=user.id,
                             user_agent=(user_agent or "")[:USER_AGENT_LENGTH])
    session.add(record)
    session.flush()
    return record


@functools.cache
def _current_statement() -> Select:
    """The query of `current`, built once: every signed-in page runs it, and building it (and
    its cache key) again each time cost a third of the query's time in Python."""
    person = joinedload(SignedInSession.user, innerjoin=True)
    # The office the page speaks for comes too: every page names it (its header, its title).
    return (select(SignedInSession, Office)
            .outerjoin(Office, is_office_of_request())
            .where(SignedInSession.id == bindparam("session_id"),
                   SignedInSession.user_id == bindparam("user_id"))
            .options(person.joinedload(User.role_rows), person.joinedload(User.memberships))
            .execution_options(populate_existing=True))


def current(session: Session, session_id: object, user_id: int) -> SignedInSession | None:
    """The live session the cookie names, when it is this user's; None once it has ended.
    The person, their roles and memberships come in the same query, and the office the page
    speaks for: every page asks for them."""
    if not isinstance(session_id, str) or not SESSION_ID.fullmatch(session_id):
        return None
    found = session.execute(_current_statement(),
                            {"session_id": session_id, "user_id": user_id}).unique().first()
    if found is None:
        return None
    record, office = found
    note_office_of_request(session, office)
    return record


def seen_now(record: SignedInSession, *, now: datetime | None = None) -> None:
    """Note that the session was used (at most once a minute, to keep pages from writing)."""
    now = now or clock.utcnow()
    if now - record.last_seen_at >= LAST_SEEN_PRECISION:
        record.last_seen_at = now


def sessions_of(session: Session, user: User) -> list[SignedInSession]:
    """The user's live sessions, the most recently used first."""
    return list(session.scalars(
        select(SignedInSession).where(SignedInSession.user_id == user.id)
        .order_by(SignedInSession.last_seen_at.desc(), SignedInSession.created_at.desc())
    ))


def end(session: Session, record: SignedInSession) -> None:
    """End one session: its cookie signs nobody in from now on. (Signing out and the time
    limits record their own audit event: `signing_in.record_sign_out`.)"""
    session.delete(record)
    session.flush()


def end_own(session: Session, user: User, session_id: object) -> bool:
    """The person ends one of their own sessions (another device, from their account page).
    False when it had ended already (or was never theirs)."""
    record = current(session, session_id, user.id)
    if record is None:
        return False
    record_event(session, actor_id=user.id, action="user.session_ended", entity_type="user",
                 entity_id=user.id, note="ended from the account page")
    end(session, record)
    logger.info("user %s ended one of their sessions", user.id)
    return True


# What a browser's user agent says, in words: the first that matches wins (Edge and Opera
# also say "Chrome", Chrome also says "Safari", iPhones also say "Mac OS X").
BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"),
            ("Chrome/", "Chrome"), ("Safari/", "Safari"))
SYSTEMS = (("iPhone", N_("an iPhone")), ("iPad", N_("an iPad")), ("Android", "Android"),
           ("Windows", "Windows"), ("Mac OS X", N_("a Mac")), ("CrOS", "ChromeOS"),
           ("Linux", "Linux"))


def device_name(user_agent: str) -> Words | str:
    """A person's words for the device a session is on: "Firefox on Windows" (marked words,
    said in the page's language where shown; a browser's name alone is the same in any)."""
    browser = next((name for mark, name in BROWSERS if mark in user_agent), None)
    system = next((Words(name) for mark, name in SYSTEMS if mark in user_agent), None)
    if browser and system:
        return Words(N_("%(browser)s on %(system)s"), browser=browser, system=system)
    return browser or (Words(N_("A browser on %(system)s"), system=system) if system
                       else Words(N_("An unknown browser")))


def end_all(session: Session, user: User, *, keep: str | None = None) -> int:
    """End every session of the user (but `keep`, the one making the change); how many. The
    change that calls for it (a new password, a reset second factor) records its own event."""
    statement = delete(SignedInSession).where(SignedInSession.user_id == user.id)
    if keep:
        statement = statement.where(SignedInSession.id != keep)
    ended = session.execute(statement.execution_options(synchronize_session="fetch")).rowcount
    logger.info("%s session(s) of user %s ended", ended, user.id)
    return ended


def sign_out_everywhere(session: Session, user: User, *, actor_id: int) -> int:
    """An admin signs the person out on every device (a lost laptop, someone leaving)."""
    ended = end_all(session, user)
    record_event(session, actor_id=actor_id, action="user.signed_out_everywhere",
                 entity_type="user", entity_id=user.id, after={"sessions_ended": ended})
    return ended
