"""The one way to lock a row for the rest of a transaction: every guard goes through here."""

from typing import TypeVar

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from grants.core.errors import NotFound

Model = TypeVar("Model")


def lock_row(session: Session, model: type[Model], row_id: int, *,
             missing: str = "Not found") -> Model:
    """The row, locked until the transaction ends and read afresh; NotFound when there is none.

    On PostgreSQL this is SELECT ... FOR UPDATE: a second transaction changing the same row
    waits here until the first ends, then reads what it did. SQLite ignores FOR UPDATE and lets
    one writer in at a time, so there an UPDATE that changes nothing takes the database's write
    lock first, before anything is read.
    """
    table = model.__table__
    if session.get_bind().dialect.name == "sqlite":
        session.execute(update(table).where(table.c.id == row_id).values(id=table.c.id))
    row = session.scalars(
        select(model).where(table.c.id == row_id).with_for_update(of=model)
        .execution_options(populate_existing=True)
    ).one_or_none()
    if row is None:
        raise NotFound(missing)
    return row
