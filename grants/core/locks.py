"""The one way to lock rows for the rest of a transaction: every guard goes through here.

On PostgreSQL a lock is SELECT ... FOR UPDATE: a second transaction changing the same rows waits
until the first ends, then reads what it did. SQLite ignores FOR UPDATE and lets one writer in
at a time, so there an UPDATE that changes nothing takes the database's write lock first,
before anything is read.
"""

from typing import Any, TypeVar

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from grants.core.errors import NotFound

Model = TypeVar("Model")


def lock_row(session: Session, model: type[Model], row_id: int, *,
             missing: str = "Not found") -> Model:
    """The row, locked until the transaction ends and read afresh; NotFound when there is none."""
    rows = lock_rows(session, select(model).where(model.__table__.c.id == row_id))
    if not rows:
        raise NotFound(missing)
    return rows[0]


def lock_rows(session: Session, statement: Select[Any]) -> list[Any]:
    """The rows the statement selects (of one model, with its criteria, options and order),
    locked until the transaction ends and read afresh."""
    model = statement.column_descriptions[0]["entity"]
    if session.get_bind().dialect.name == "sqlite":
        table = model.__table__
        # Each column an UPDATE would otherwise stamp (an `onupdate` such as updated_at) is set
        # to itself, so taking the lock changes nothing.
        unchanged = {column: column for column in table.c
                     if column.primary_key or column.onupdate is not None}
        noop = update(table).values(unchanged)
        if statement.whereclause is not None:
            noop = noop.where(statement.whereclause)
        session.execute(noop)
    return list(session.scalars(
        statement.with_for_update(of=model).execution_options(populate_existing=True)
    ).unique())
