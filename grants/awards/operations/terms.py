"""The grant agreement's terms: what is paid, by when it is spent and when its report is due."""

import calendar
from dataclasses import dataclass
from datetime import date

from grants.awards.models import Award
from grants.core import clock

# The grant is spent within this many months of accepting the offer.
SPENDING_MONTHS = 12


# The end-of-grant report is due this many months after the project ends.
REPORT_MONTHS_AFTER_END = 3


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter (31 January
    plus one month is 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def report_due_date(award: Award, accepted_on: date | None = None) -> date | None:
    """When the end-of-grant report is due: 3 months after the project's planned end; for an
    award without one, 3 months after the 12 months of spending (None until accepted)."""
    application = award.application
    if application is not None and application.planned_end is not None:
        return add_months(application.planned_end, REPORT_MONTHS_AFTER_END)
    start = accepted_on or award.accepted_on
    if start is None:
        return None
    return add_months(start, SPENDING_MONTHS + REPORT_MONTHS_AFTER_END)


@dataclass(frozen=True)
class OfferTerms:
    """What the grant agreement says, for the offer page and the emails."""

    recipient: str
    project_title: str
    reference: str | None
    amount_pence: int
    conditions: str
    offered_on: date | None
    spending_months: int
    # Known once the offer is accepted.
    spend_by: date | None
    report_due_on: date | None
    project_ends_on: date | None


def offer_terms(award: Award) -> OfferTerms:
    application = award.application
    offered_on = clock.to_london(award.offered_at).date() if award.offered_at else None
    return OfferTerms(
        recipient=award.organisation.name,
        project_title=(application.title if application and application.title
                       else award.title),
        reference=application.reference if application else None,
        amount_pence=award.amount_pence,
        conditions=award.conditions.strip(),
        offered_on=offered_on,
        spending_months=SPENDING_MONTHS,
        spend_by=add_months(award.accepted_on, SPENDING_MONTHS) if award.accepted_on else None,
        report_due_on=award.report_due_on or report_due_date(award),
        project_ends_on=application.planned_end if application else None,
    )
