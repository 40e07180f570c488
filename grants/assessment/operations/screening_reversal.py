"""Reversing a screening decision, with a reason: not eligible becomes eligible, and eligible
(or in review, once it has no reviewers) becomes not eligible."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.applications.models import Application, ApplicationStatus
from grants.assessment.models import ReviewAssignment, ScreeningDecision, ScreeningOutcome
from grants.assessment.operations.screening import (
    INELIGIBLE_REASON_MISSING,
    ScreeningRefused,
    clean_reason,
    decide,
)
from grants.core.errors import ValidationFailed
from grants.core.locks import lock_row


def has_active_reviewers(session: Session, application_id: int) -> bool:
    return session.scalar(
        select(ReviewAssignment.id)
        .where(ReviewAssignment.application_id == application_id,
               ReviewAssignment.removed_at.is_(None))
        .limit(1)
    ) is not None


def reversal_outcome(application: Application) -> ScreeningOutcome | None:
    """What reversing the screening decision would make the application, or None when its
    decision cannot be reversed."""
    if application.status is ApplicationStatus.INELIGIBLE:
        return ScreeningOutcome.ELIGIBLE
    if application.status in (ApplicationStatus.ELIGIBLE, ApplicationStatus.IN_REVIEW):
        return ScreeningOutcome.INELIGIBLE
    return None


REVIEWERS_ASSIGNED = ("This application has reviewers. Remove its reviewers before you make "
                      "it not eligible")


def reverse_screening(session: Session, user: User, application: Application, *,
                      reason: str, applicant_reason: str = "") -> ScreeningDecision:
    """Reverse the decision that stands: not eligible becomes eligible, and eligible (or in
    review, once it has no reviewers) becomes not eligible, which needs the reason the
    applicant will see. `reason` says why staff changed their mind; it is kept on the audit
    event (and on the decision when it makes the application eligible)."""
    application = lock_row(session, Application, application.id)
    outcome = reversal_outcome(application)
    if outcome is None:
        raise ScreeningRefused("This application has no screening decision that can be "
                               "reversed")
    if (outcome is ScreeningOutcome.INELIGIBLE
            and application.status is ApplicationStatus.IN_REVIEW
            and has_active_reviewers(session, application.id)):
        raise ScreeningRefused(REVIEWERS_ASSIGNED)
    errors: dict[str, str] = {}
    why = told = ""
    try:
        why = clean_reason(reason, "reason", "Enter why you are reversing the decision")
    except ValidationFailed as failure:
        errors.update(failure.errors)
    if outcome is ScreeningOutcome.INELIGIBLE:
        try:
            told = clean_reason(applicant_reason, "applicant_reason",
                                 INELIGIBLE_REASON_MISSING)
        except ValidationFailed as failure:
            errors.update(failure.errors)
    if errors:
        raise ValidationFailed(errors)
    return decide(session, user, application, outcome,
                   told if outcome is ScreeningOutcome.INELIGIBLE else why,
                   note=why, is_reversal=True)
