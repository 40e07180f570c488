"""Figures worked out from the data, kept until the data changes.

A report's figures, the register's count and the like take a page most of its time, yet stay
the same from one request to the next until someone writes. The database holds one token, a
random value that every committed write replaces (`data_version`, one row): a figure is kept
in this process under the token it was worked out at, and a token no one has seen before
means nothing kept is found, so every figure is worked out again after any change.

- **Every write counts.** A session that flushes a new, changed or deleted row of any table
  (but the bookkeeping ones below, which no figure reads), or runs an insert, update or delete
  statement, replaces the token as it commits, in the same transaction: no one sees the new
  data under the old token. (Replacing it last, just before the commit, keeps the lock on the
  token's row for no longer than the commit, and never before another row's lock.)
- **Nothing half-done is kept.** A session with writes not yet committed works figures out
  afresh and keeps nothing: they may count what a rollback will undo.
- **A rollback leaves no trace.** A token is random, never a count, so a transaction rolled
  back never makes a token that a later one will make again.

Writes made outside the ORM session (a bulk load straight through a connection) must call
`changed(session)`. Processes keep their own figures, each for at most `MAX_KEPT` keys.

- **What one may see is kept apart.** A session that sees only part of the data (an office's
  staff see their office's: grants.offices.operations.scoping) says which part in
  `session.info[VIEW]`: a figure is kept for that view alone, never given to another.
"""

import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import (
    Column,
    Connection,
    Integer,
    String,
    Table,
    TextClause,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

from grants.db import Base

T = TypeVar("T")

data_version = Table(
    "data_version", Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("token", String(32), nullable=False),
)

ROW_ID = 1
MAX_KEPT = 512
# Written on every page or with every change, read by no figure: their writes change nothing
# kept. (A signed-in session's "last seen" is written once a minute for each person.)
BOOKKEEPING_TABLES = frozenset({"data_version", "signed_in_session", "audit_event",
                                "outbox_message"})
_WROTE = "data_version.wrote"
# Which part of the data the session sees, when not all of it (None: all): part of every key.
VIEW = "data_version.view"
_TOKEN = "data_version.token"

_keeping = True
_kept: "OrderedDict[tuple[Hashable, str], Any]" = OrderedDict()
_lock = threading.Lock()


def new_token() -> str:
    return secrets.token_hex(16)


def changed(session: Session) -> None:
    """Say that this session wrote: the token is replaced when it commits."""
    session.info[_WROTE] = True


def current_token(session: Session) -> str | None:
    """The token (None when the database has no row for it yet: nothing is kept), read once
    a transaction: a write committed since brings newer figures under the older token at
    worst, never older figures under a newer one."""
    if _TOKEN not in session.info:
        session.info[_TOKEN] = session.execute(
            select(data_version.c.token).where(data_version.c.id == ROW_ID)).scalar()
    return session.info[_TOKEN]


def kept(session: Session, key: Hashable, work_out: Callable[[], T]) -> T:
    """What `work_out()` gives, kept under `key` until the data changes.

    `key` names the figure and everything it depends on but the data (a round's id, a page
    number); the value must hold no database objects (they belong to one session) and must not
    be changed by whoever reads it."""
    if not _keeping or session.info.get(_WROTE):
        return work_out()
    token = current_token(session)
    if token is None:
        return work_out()
    view = session.info.get(VIEW)
    if view is not None:
        key = _Seen(key, view)
    with _lock:
        found = _kept.get((key, token), _MISSING)
        if found is not _MISSING:
            _kept.move_to_end((key, token))
            return found
    value = work_out()
    if session.info.get(_WROTE):
        return value
    with _lock:
        _kept[(key, token)] = value
        while len(_kept) > MAX_KEPT:
            _kept.popitem(last=False)
    return value


def forget_all() -> None:
    """Drop everything kept in this process."""
    with _lock:
        _kept.clear()


_MISSING = object()


@dataclass(frozen=True)
class _Seen:
    """A figure's key for a session that sees only part of the data: that part is the key's."""

    key: Hashable
    view: Hashable
# Written SQL that only reads; any other text run through a session counts as a write.
_READING = re.compile(r"\s*(SELECT|WITH|EXPLAIN|SHOW|PRAGMA|VACUUM)\b", re.IGNORECASE)


def _counts(table_name: str | None) -> bool:
    return table_name not in BOOKKEEPING_TABLES


def _table_of(instance: Any) -> str | None:
    table = getattr(type(instance), "__table__", None)
    return getattr(table, "name", None)


def _after_flush(session: Session, _flush_context: Any) -> None:
    if session.info.get(_WROTE):
        return
    touched = [*session.new, *session.deleted,
               *(row for row in session.dirty if session.is_modified(row))]
    if any(_counts(_table_of(row)) for row in touched):
        changed(session)


def _on_execute(state: ORMExecuteState) -> None:
    if state.is_select or state.session.info.get(_WROTE):
        return
    statement = state.statement
    if isinstance(statement, TextClause) and _READING.match(statement.text):
        return
    table = getattr(statement, "table", None)
    if table is None or _counts(getattr(table, "name", None)):
        changed(state.session)


def replace_token(connection: Connection) -> None:
    """Give the data a token no one has seen (the row made if it is missing): what every
    committing session that wrote does, and what a bulk write straight through a connection
    must do in its own transaction."""
    token = new_token()
    replaced = connection.execute(update(data_version).where(data_version.c.id == ROW_ID)
                                  .values(token=token)).rowcount
    if not replaced:
        connection.execute(insert(data_version).values(id=ROW_ID, token=token))


def _before_commit(session: Session) -> None:
    # Called before the commit's own flush: flush now, so what it writes counts.
    if session.new or session.deleted or session.dirty:
        session.flush()
    if session.info.get(_WROTE):
        replace_token(session.connection())


def _forget_writes(session: Session, transaction: SessionTransaction) -> None:
    """Once the outermost transaction has ended (committed, the token with it, or rolled
    back), the session has written nothing yet; a savepoint's end changes nothing."""
    if transaction.parent is None:
        session.info.pop(_WROTE, None)
        session.info.pop(_TOKEN, None)


def install(*, keeping: bool = True) -> None:
    """Listen to every ORM session of this process (once); `keeping` False works every figure
    out afresh (the token is still replaced, for processes that keep)."""
    global _keeping
    _keeping = keeping
    for name, listener in (("after_flush", _after_flush), ("do_orm_execute", _on_execute),
                           ("before_commit", _before_commit),
                           ("after_transaction_end", _forget_writes)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
