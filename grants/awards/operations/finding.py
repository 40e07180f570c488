"""Finding an award for its pages, and locking its row before any change.

Every change locks the award's row first (`lock_award`), so an acceptance, a decline, a
withdrawal and a payment of the same award never interleave.
"""

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload, selectinload

from grants.awards.models import Award
from grants.core.errors import NotFound, or_not_found
from grants.funds.models import Round


def get_award(session: Session, award_id: int) -> Award:
    """The award with what the offer, bank details and payment pages read."""
    award = session.scalars(
        select(Award).where(Award.id == award_id)
        .options(joinedload(Award.round).joinedload(Round.fund),
                 joinedload(Award.organisation), joinedload(Award.application),
                 selectinload(Award.bank_details), selectinload(Award.payments))
    ).unique().one_or_none()
    return or_not_found(award, "There is no such award")


def lock_award(session: Session, award_id: int) -> Award:
    """The award's row, locked to the end of the transaction and read afresh.

    On PostgreSQL this is SELECT ... FOR UPDATE: a second request changing the same award
    (accepting, withdrawing, recording or approving a payment) waits here until the first
    commits, then reads what it did. SQLite ignores FOR UPDATE, so there a no-op write takes
    its one database-wide write lock instead, held to the end of the transaction.
    """
    if session.get_bind().dialect.name == "sqlite":
        table = Award.__table__
        session.execute(update(table).where(table.c.id == award_id).values(id=table.c.id))
    award = session.scalars(
        select(Award).where(Award.id == award_id).with_for_update(of=Award)
        .execution_options(populate_existing=True)
    ).one_or_none()
    if award is None:
        raise NotFound("There is no such award")
    return award
