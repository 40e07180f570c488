"""Finding an award for its pages.

Every change locks the award's row first (`grants.core.locks.lock_row`), so an acceptance, a
decline, a withdrawal and a payment of the same award never interleave.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from grants.awards.models import Award
from grants.core.errors import or_not_found
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
