"""Where a report falls in the Police and Crime Plan: the plan in force in a financial year,
which year of the plan it is, and which quarter of the year has been reached ("Year 3,
2019/20, Q4"), as the Commissioner's progress reports to the Panel are stamped."""

import logging
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from grants.core import clock
from grants.plans.models import Plan
from grants.reports.operations.selection import Selection

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlanPeriod:
    year: str  # "2019/20"
    quarter: int  # 1 (April to June) to 4 (January to March)
    plan_title: str | None  # None when no plan was in force in the year
    plan_first_year: str | None  # the plan's first financial year, "2017/18"
    plan_year: int | None  # 3 for the plan's third year

    @property
    def stamp(self) -> str:
        """"Year 3, 2019/20, Q4"; "2019/20, Q4" when no plan was in force."""
        year = f"Year {self.plan_year}, " if self.plan_year is not None else ""
        return f"{year}{self.year}, Q{self.quarter}"


def quarter_reached(year: str, today: date) -> int:
    """The quarter of the financial year that `today` is in: Q4 for a year already over, Q1
    for one not begun."""
    start = date(clock.financial_year_start(year), 4, 1)
    end = date(start.year + 1, 3, 31)
    day = min(max(today, start), end)
    return (day.month - 4) % 12 // 3 + 1


def plan_period(session: Session, year: str, today: date | None = None) -> PlanPeriod:
    """The plan in force in the financial year (the latest to start, where two overlap) and
    where the year and today fall in it. One query."""
    start = date(clock.financial_year_start(year), 4, 1)
    end = date(start.year + 1, 3, 31)
    plan = session.scalars(
        select(Plan).where(Plan.valid_from <= end,
                           or_(Plan.valid_to.is_(None), Plan.valid_to >= start))
        .order_by(Plan.valid_from.desc(), Plan.id.desc()).limit(1)).first()
    quarter = quarter_reached(year, today or clock.today_in_london())
    if plan is None:
        return PlanPeriod(year=year, quarter=quarter, plan_title=None, plan_first_year=None,
                          plan_year=None)
    first_year = clock.financial_year_of(plan.valid_from)
    return PlanPeriod(
        year=year, quarter=quarter, plan_title=plan.title, plan_first_year=first_year,
        plan_year=start.year - clock.financial_year_start(first_year) + 1)


def over_plan_period(selection: Selection, period: PlanPeriod) -> Selection:
    """The same report over the plan's years so far, up to and including the selection's
    year; the year alone when no plan was in force."""
    if period.plan_first_year is None:
        return selection
    return replace(selection, first_year=period.plan_first_year)
