"""Staff agreeing a variation: a new end date or a changed purpose, with why. A new end date
moves the end-of-grant report and works the twice-yearly returns out again: more for a longer
grant, and those a shorter one no longer owes cancelled."""

import logging
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.awards.models import Award, AwardStatus
from grants.awards.operations.terms import report_due_after
from grants.core import clock
from grants.core.errors import ValidationFailed
from grants.core.formatting import format_london_date
from grants.core.locks import lock_row
from grants.monitoring import notifications
from grants.monitoring.models import Variation
from grants.monitoring.operations.guard import MonitoringRefused, check_staff
from grants.monitoring.operations.schedule import (
    MONITORED_STATUSES,
    end_of_grant_due_on,
    ensure_reports,
    project_end_on,
    reports_of,
    reschedule,
    sync_application_status,
)
from grants.monitoring.operations.wording import award_label
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

MAX_REASON = 2000
MAX_PURPOSE = 2000


def why_not_variable(award: Award) -> str | None:
    if award.status not in MONITORED_STATUSES:
        if award.status is AwardStatus.CLOSED:
            return "This grant is closed, so it cannot be varied"
        return "Only an accepted grant can be varied"
    return None


def agree_variation(session: Session, user: User, award: Award, *, new_end_on: date | None,
                    changed_purpose: str, reason: str) -> Variation:
    """Record a change staff agreed to the grant: a new end date, a changed purpose, or both,
    with why. A new end date moves the end-of-grant report to 3 months after it, and the
    grant's returns are worked out again for its new dates."""
    check_staff(user)
    award = lock_row(session, Award, award.id, missing="There is no such award")
    MonitoringRefused.raise_if(why_not_variable(award))
    changed_purpose = (changed_purpose or "").strip()
    reason = (reason or "").strip()
    current_end = project_end_on(session, award)
    errors = _variation_errors(award, current_end, new_end_on, changed_purpose, reason)
    if errors:
        raise ValidationFailed(errors)

    reports = ensure_reports(session, award)
    previous_due = end_of_grant_due_on(session, award)
    new_due = report_due_after(new_end_on) if new_end_on is not None else previous_due
    variation = Variation(award_id=award.id, new_end_on=new_end_on,
                          changed_purpose=changed_purpose, reason=reason,
                          previous_report_due_on=previous_due, new_report_due_on=new_due,
                          agreed_by_id=user.id, agreed_at=clock.utcnow())
    session.add(variation)
    award.report_due_on = new_due
    session.flush()
    changes = reschedule(session, award, reports, actor_id=user.id)
    record_event(session, actor_id=user.id, action="award.variation_agreed",
                 entity_type="award", entity_id=award.id,
                 before={"end_on": current_end.isoformat(),
                         "report_due_on": previous_due.isoformat()},
                 after={"variation_id": variation.id,
                        "new_end_on": new_end_on.isoformat() if new_end_on else None,
                        "changed_purpose": changed_purpose, "reason": reason,
                        "report_due_on": new_due.isoformat(), **changes.as_record()})
    sync_application_status(session, award, reports_of(session, award),
                            clock.today_in_london())
    notifications.variation_agreed(session, award, variation, label=award_label(award))
    logger.info("variation %s agreed for award %s by user %s; report due %s (was %s)",
                variation.id, award.id, user.id, new_due, previous_due)
    return variation


def _variation_errors(award: Award, current_end: date, new_end_on: date | None,
                      changed_purpose: str, reason: str) -> dict[str, str]:
    errors = {}
    if new_end_on is None and not changed_purpose:
        errors["new_end_on"] = "Enter the new end date, the changed purpose, or both"
    elif new_end_on is not None:
        application = award.application
        starts_on = application.planned_start if application is not None else None
        if new_end_on == current_end:
            errors["new_end_on"] = (f"The project already ends on "
                                    f"{format_london_date(current_end)}. Enter a different date")
        elif starts_on is not None and new_end_on < starts_on:
            errors["new_end_on"] = ("The new end date must be on or after the project's start, "
                                    f"{format_london_date(starts_on)}")
    if len(changed_purpose) > MAX_PURPOSE:
        errors["changed_purpose"] = (f"The changed purpose must be {MAX_PURPOSE} characters or "
                                     "fewer")
    if not reason:
        errors["reason"] = "Enter why the change was agreed"
    elif len(reason) > MAX_REASON:
        errors["reason"] = f"The reason must be {MAX_REASON} characters or fewer"
    return errors


def variations_of(session: Session, award: Award) -> list[Variation]:
    return list(session.scalars(
        select(Variation).where(Variation.award_id == award.id)
        .order_by(Variation.agreed_at, Variation.id)))
