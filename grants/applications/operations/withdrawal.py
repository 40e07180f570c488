"""Withdrawing a submitted application before its decision."""

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.applications import notifications
from grants.applications.models import Application, ApplicationStatus
from grants.auth import permissions
from grants.awards.models import RELEASED_STATUSES, Award, AwardStatus
from grants.core import clock
from grants.core.errors import Refusal, ValidationFailed
from grants.core.locks import lock_row
from grants.core.translatable import N_, Words
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

MAX_WITHDRAWAL_REASON = 500


def withdraw_application(session: Session, user: User, application: Application,
                         reason: str) -> Application:
    """Withdraw a submitted application before a decision. Repeating it does nothing."""
    application = lock_row(session, Application, application.id)
    if application.status is ApplicationStatus.WITHDRAWN:
        return application
    if not permissions.may_withdraw_application(user, application):
        raise Refusal(N_("This application can no longer be withdrawn"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": N_("Enter why you are withdrawing the application")})
    if len(reason) > MAX_WITHDRAWAL_REASON:
        raise ValidationFailed({"reason": Words(
            N_("The reason must be %(limit)s characters or fewer"), limit=MAX_WITHDRAWAL_REASON)})
    before = application.status.value
    application.status = ApplicationStatus.WITHDRAWN
    application.withdrawn_at = clock.utcnow()
    application.withdrawal_reason = reason
    _release_unpublished_award(session, application)
    session.flush()
    record_event(
        session, actor_id=user.id, action="application.withdrawn",
        entity_type="application", entity_id=application.id,
        before={"status": before}, after={"status": application.status.value, "reason": reason},
    )
    notifications.application_withdrawn(session, user, application)
    logger.info("application %s withdrawn", application.id)
    return application


def _release_unpublished_award(session: Session, application: Application) -> None:
    """A decided application withdrawn before its decision is published gives its award's
    money back to the round at once."""
    award = session.scalars(select(Award).where(
        Award.application_id == application.id, Award.status.not_in(RELEASED_STATUSES))
    ).one_or_none()
    if award is None:
        return
    award.status = AwardStatus.WITHDRAWN
    award.withdrawn_at = clock.utcnow()
    award.withdrawal_reason = ("The applicant withdrew the application before the decision "
                               "was published")
    logger.info("award %s of %sp released: application %s withdrawn", award.id,
                award.amount_pence, application.id)
