"""The grant agreement's terms: what is paid, by when it is spent and when its report is due."""

import calendar
from dataclasses import dataclass
from datetime import date

from grants.awards.models import Award
from grants.core import clock

# A grant without planned dates is spent within this many months of accepting the offer (and
# no project may plan to run for longer).
SPENDING_MONTHS = 12


# The end-of-grant report is due this many months after the project ends.
REPORT_MONTHS_AFTER_END = 3


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter (31 January
    plus one month is 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def planned_dates(award: Award, varied_end: date | None = None
                  ) -> tuple[date | None, date | None]:
    """When the funded activity starts and ends as planned: the award's own dates where it
    holds them (an imported grant), else its application's; a variation's new end replaces
    the planned one. The 360Giving export publishes these."""
    if award.planned_start is not None or award.planned_end is not None:
        start, end = award.planned_start, award.planned_end
    elif award.application is not None:
        start, end = award.application.planned_start, award.application.planned_end
    else:
        start, end = None, None
    return start, varied_end or end


@dataclass(frozen=True)
class SpendingPeriod:
    """When the grant is spent: the project's planned dates where it has them (`planned`),
    else the 12 months from accepting the offer (both None until then)."""

    starts_on: date | None
    ends_on: date | None
    planned: bool


def spending_period(award: Award, *, accepted_on: date | None = None,
                    varied_end: date | None = None) -> SpendingPeriod:
    """The one rule for the grant's spending period, which the offer, the end-of-grant report
    and the returns all follow."""
    start, end = planned_dates(award, varied_end)
    accepted = accepted_on or award.accepted_on
    if end is not None:
        return SpendingPeriod(start or accepted, end, planned=True)
    if accepted is None:
        return SpendingPeriod(None, None, planned=False)
    return SpendingPeriod(accepted, add_months(accepted, SPENDING_MONTHS), planned=False)


def report_due_after(ends_on: date) -> date:
    """The end-of-grant report is due 3 months after the grant's spending period ends."""
    return add_months(ends_on, REPORT_MONTHS_AFTER_END)


def report_due_date(award: Award, accepted_on: date | None = None) -> date | None:
    """When the end-of-grant report is due: 3 months after the spending period ends (None
    for a grant without planned dates until it is accepted)."""
    ends_on = spending_period(award, accepted_on=accepted_on).ends_on
    return report_due_after(ends_on) if ends_on is not None else None


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
    # The spending period (`spending_period`): the project's planned dates when it has them;
    # otherwise known once the offer is accepted.
    spend_from: date | None
    spend_by: date | None
    spending_planned: bool
    report_due_on: date | None


def offer_terms(award: Award) -> OfferTerms:
    application = award.application
    offered_on = clock.to_london(award.offered_at).date() if award.offered_at else None
    period = spending_period(award)
    return OfferTerms(
        recipient=award.organisation.name,
        project_title=(application.title if application and application.title
                       else award.title),
        reference=application.reference if application else None,
        amount_pence=award.amount_pence,
        conditions=award.conditions.strip(),
        offered_on=offered_on,
        spending_months=SPENDING_MONTHS,
        spend_from=period.starts_on,
        spend_by=period.ends_on,
        spending_planned=period.planned,
        report_due_on=award.report_due_on or report_due_date(award),
    )
