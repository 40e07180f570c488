"""The round's rules for each section's answers. Each `apply_*` checks the answers against the
round and writes them to the application, or raises ValidationFailed naming each field."""

import calendar
from datetime import date

from sqlalchemy.orm import Session

from grants import clock
from grants.applications.models import Application
from grants.errors import ValidationFailed

# A project may run for at most this long: grants are spent within 12 months.
MAX_PROJECT_MONTHS = 12


def _add_months(day: date, months: int) -> date:
    """The same day of the month `months` later, or that month's last day if it is shorter."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def earliest_project_start(application: Application) -> date:
    """Projects start no earlier than the day the round closes: grants are decided after."""
    return clock.to_london(application.round.closes_at).date()


def apply_project(session: Session, application: Application, *, title: str, summary: str,
                  description: str, planned_start: date, planned_end: date) -> None:
    errors: dict[str, str] = {}
    earliest = earliest_project_start(application)
    if planned_start < earliest:
        errors["planned_start"] = (
            f"The project must start on or after {earliest.day} {earliest:%B %Y}, when the "
            "round closes")
    if planned_end < planned_start:
        errors["planned_end"] = "The project must end on or after the day it starts"
    elif planned_end > _add_months(planned_start, MAX_PROJECT_MONTHS):
        errors["planned_end"] = (
            f"The project must end within {MAX_PROJECT_MONTHS} months of its start")
    if errors:
        raise ValidationFailed(errors)
    application.title = title
    application.summary = summary
    application.description = description
    application.planned_start = planned_start
    application.planned_end = planned_end
