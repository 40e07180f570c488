"""The day an allocation was decided, as staff enter it: the progress report dates the
allocation by it."""

import logging
from datetime import date

from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.allocations.operations.guard import locked
from grants.core import clock
from grants.core.errors import ValidationFailed
from grants.funds.models import Round
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)


def set_decision_date(session: Session, user: User, round_id: int,
                      decided_on: date | None) -> Round:
    """Record the day the allocation was decided. It can be corrected at any time, even
    after the shares are confirmed or published: it changes no money."""
    round_ = locked(session, user, round_id)
    if decided_on is None:
        raise ValidationFailed({"decided_on": "Enter the date the allocation was decided"})
    if decided_on > clock.today_in_london():
        raise ValidationFailed({"decided_on": "The date the allocation was decided must be "
                                              "today or in the past"})
    before = round_.allocation_decided_on
    if before == decided_on:
        return round_
    round_.allocation_decided_on = decided_on
    session.flush()
    record_event(session, actor_id=user.id, action="allocation.decision_date_set",
                 entity_type="round", entity_id=round_.id,
                 before={"allocation_decided_on": before.isoformat() if before else None},
                 after={"allocation_decided_on": decided_on.isoformat()})
    logger.info("round %s: allocation decision date set by user %s", round_.id, user.id)
    return round_
