"""The High Sheriff changes or withdraws a nomination before staff decide on it."""

import logging

from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.auth import permissions
from grants.core import clock
from grants.core.errors import NotFound, ValidationFailed
from grants.nominations.models import Nomination, NominationStatus
from grants.nominations.operations.finding import (
    locked_nomination,
    snapshot,
    why_not_changeable,
)
from grants.nominations.operations.guard import NominationRefused, OverAllocation, over_allocation
from grants.nominations.operations.nominating import NominationInput, text_errors
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)


def _check_changeable(user: User, nomination: Nomination) -> None:
    if not permissions.may_view_nomination(user, nomination):
        raise NotFound("There is no such nomination")
    if not permissions.may_change_nomination(user, nomination):
        if nomination.status not in permissions.CHANGEABLE_NOMINATION_STATUSES:
            raise NominationRefused(why_not_changeable(nomination))
        raise NominationRefused("Only the county's current High Sheriff can change this "
                                "nomination")


def update_nomination(session: Session, user: User, nomination_id: int,
                      data: NominationInput) -> Nomination:
    """The High Sheriff changes the amount, priority, purpose, reason or contact; a nomination
    staff asked to change goes back to them."""
    round_, nomination = locked_nomination(session, nomination_id)
    _check_changeable(user, nomination)
    errors, values = text_errors(data, round_)
    over = "amount" not in errors and over_allocation(session, round_.id, nomination.county_id,
                                            data.amount_pence, excluding=nomination.id)
    if over:
        errors.update(over.nominator_errors())
    if errors:
        raise (OverAllocation if over else ValidationFailed)(errors)
    before = snapshot(nomination)
    nomination.amount_pence = data.amount_pence
    nomination.priority_id = data.priority_id
    nomination.purpose = values["purpose"]
    nomination.reason = values["reason"]
    if values["contact_email"]:
        nomination.contact_name = values["contact_name"]
        nomination.contact_email = values["contact_email"]
    resubmitted = nomination.status is NominationStatus.CHANGES_REQUESTED
    nomination.status = NominationStatus.SUBMITTED
    nomination.updated_at = clock.utcnow()
    session.flush()
    after = snapshot(nomination)
    if after != before:
        record_event(session, actor_id=user.id,
                     action="nomination.resubmitted" if resubmitted else "nomination.changed",
                     entity_type="nomination", entity_id=nomination.id, before=before,
                     after=after)
        logger.info("nomination %s in round %s changed by user %s: %d pence held (was %d)",
                    nomination.id, round_.id, user.id, nomination.amount_pence,
                    before["amount_pence"])
    return nomination


def withdraw_nomination(session: Session, user: User, nomination_id: int) -> Nomination:
    """The High Sheriff withdraws a nomination before staff decide; its money goes back to
    the county. Withdrawing again changes nothing."""
    round_, nomination = locked_nomination(session, nomination_id)
    if nomination.status is NominationStatus.WITHDRAWN:
        if not permissions.may_view_nomination(user, nomination):
            raise NotFound("There is no such nomination")
        return nomination
    _check_changeable(user, nomination)
    before = snapshot(nomination)
    nomination.status = NominationStatus.WITHDRAWN
    nomination.updated_at = clock.utcnow()
    session.flush()
    record_event(session, actor_id=user.id, action="nomination.withdrawn",
                 entity_type="nomination", entity_id=nomination.id, before=before,
                 after=snapshot(nomination))
    logger.info("nomination %s withdrawn by user %s: %d pence returned to county %s in "
                "round %s", nomination.id, user.id, nomination.amount_pence,
                nomination.county_id, round_.id)
    return nomination
