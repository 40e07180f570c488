"""Staff's answer to an expression of interest: invite the organisation to make a full
application, or decline with a reason the applicant reads. Each is given once, and not after
the round's decisions."""

import logging

from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.core import clock
from grants.core.errors import ValidationFailed
from grants.core.locks import lock_row
from grants.funds.models import RoundStatus
from grants.interest import notifications
from grants.interest.models import Interest, InterestStatus
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

MAX_REASON = 2000
AFTER_DECISIONS = frozenset({RoundStatus.DECIDED, RoundStatus.PUBLISHED})


def why_not_decide(interest: Interest) -> str | None:
    """Why staff may not invite or decline this expression of interest now, or None."""
    if interest.status is InterestStatus.DRAFT:
        return "This expression of interest has not been sent yet"
    if interest.status is not InterestStatus.SENT:
        return (f"This expression of interest was {interest.status.value} already, so the "
                "answer cannot change")
    if interest.round.status in AFTER_DECISIONS:
        return "The round's decisions have been made, so it can no longer be answered"
    return None


def _decide(session: Session, user: User, interest: Interest, status: InterestStatus,
            reason: str = "") -> Interest:
    # Read afresh under a lock, so two members of staff answering at once answer once.
    interest = lock_row(session, Interest, interest.id,
                        missing="There is no such expression of interest")
    why = why_not_decide(interest)
    if why:
        raise ValidationFailed({"decision": why})
    interest.status = status
    interest.decline_reason = reason
    interest.decided_at = clock.utcnow()
    interest.decided_by_id = user.id
    session.flush()
    record_event(session, actor_id=user.id, action=f"interest.{status.value}",
                 entity_type="interest", entity_id=interest.id,
                 before={"status": "sent"}, after={"status": status.value, "reason": reason})
    logger.info("expression of interest %s %s", interest.id, status.value)
    return interest


def invite(session: Session, user: User, interest: Interest) -> Interest:
    """Invite the organisation to make a full application, and tell it by email."""
    interest = _decide(session, user, interest, InterestStatus.INVITED)
    notifications.interest_invited(session, interest)
    return interest


def decline(session: Session, user: User, interest: Interest, reason: str) -> Interest:
    """Decline with the reason the applicant reads on its page and in the email."""
    reason = reason.strip()
    if not reason:
        raise ValidationFailed({"reason": "Enter the reason the applicant will read"})
    if len(reason) > MAX_REASON:
        raise ValidationFailed({"reason": f"The reason must be {MAX_REASON:,} characters or "
                                          "fewer"})
    interest = _decide(session, user, interest, InterestStatus.DECLINED, reason)
    notifications.interest_declined(session, interest)
    return interest
