"""The staff rounds dashboard: a fund's rounds in a financial year, their money and
applications."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from grants.applications.models import Application, ApplicationStatus
from grants.awards.operations.committed import committed_pence_by_round
from grants.core import clock
from grants.decisions.operations.remaining import RoundRemaining
from grants.funds.models import Fund, Round, RoundStatus, financial_years_with_rounds
from grants.funds.operations import wording

ALL_FUNDS = "all"
DEFAULT_FUND_CODE = "PPAF"


@dataclass(frozen=True)
class DashboardRow(RoundRemaining):
    """One round on the dashboard, with its money and its applications counted."""

    round: Round
    name: str
    status: RoundStatus
    committed_pence: int
    application_counts: dict[ApplicationStatus, int]

    @property
    def draft_applications(self) -> int:
        return self.application_counts.get(ApplicationStatus.DRAFT, 0)

    @property
    def total_applications(self) -> int:
        return sum(self.application_counts.values())

    @property
    def submitted_applications(self) -> int:
        """Applications sent in, whatever has happened to them since."""
        return self.total_applications - self.draft_applications


@dataclass(frozen=True)
class DashboardTotals:
    budget_pence: int = 0
    committed_pence: int = 0
    remaining_pence: int = 0
    draft_applications: int = 0
    submitted_applications: int = 0
    total_applications: int = 0


@dataclass(frozen=True)
class Dashboard:
    funds: list[Fund]
    fund: Fund | None  # None: every fund
    years: list[str]
    year: str
    show_archived: bool
    rows: list[DashboardRow] = field(default_factory=list)

    @property
    def fund_choice(self) -> str:
        return self.fund.code if self.fund is not None else ALL_FUNDS

    @property
    def totals(self) -> DashboardTotals:
        return DashboardTotals(
            budget_pence=sum(row.round.budget_pence for row in self.rows),
            committed_pence=sum(row.committed_pence for row in self.rows),
            remaining_pence=sum(row.remaining_pence for row in self.rows),
            draft_applications=sum(row.draft_applications for row in self.rows),
            submitted_applications=sum(row.submitted_applications for row in self.rows),
            total_applications=sum(row.total_applications for row in self.rows),
        )


def _choose_fund(funds: list[Fund], fund_code: str | None) -> Fund | None:
    """The fund asked for; when none (or an unknown one) is asked for, the PPAF if there is
    one, else every fund."""
    by_code = {fund.code: fund for fund in funds}
    if fund_code == ALL_FUNDS:
        return None
    if fund_code in by_code:
        return by_code[fund_code]
    return by_code.get(DEFAULT_FUND_CODE)


def _choose_year(year: str | None, current: str) -> str:
    """The financial year asked for when it is one ("2019/20"), else the current one."""
    try:
        start = clock.financial_year_start(year or "")
    except ValueError:
        return current
    return year if 1900 <= start <= 2999 else current


def rounds_dashboard(
    session: Session, *, fund_code: str | None = None, year: str | None = None,
    show_archived: bool = False, now: datetime | None = None,
) -> Dashboard:
    """A fund's rounds in a financial year with committed money and applications counted.

    Five queries whatever the number of rounds: funds, years, rounds, committed money and
    application counts.
    """
    now = now or clock.utcnow()
    funds = list(session.scalars(select(Fund).order_by(Fund.code)))
    fund = _choose_fund(funds, fund_code)
    current = clock.financial_year_of(clock.to_london(now).date())
    chosen_year = _choose_year(year, current)
    years = sorted({*financial_years_with_rounds(session), current, chosen_year}, reverse=True)

    query = (
        select(Round)
        .options(joinedload(Round.fund))
        .where(Round.financial_year == chosen_year)
        .order_by(Round.opens_at, Round.code)
    )
    if fund is not None:
        query = query.where(Round.fund_id == fund.id)
    if not show_archived:
        query = query.where(Round.archived_at.is_(None))
    rounds = list(session.scalars(query))

    round_ids = [round_.id for round_ in rounds]
    committed = committed_pence_by_round(session, round_ids)
    counts = application_counts_by_round(session, round_ids)
    rows = [
        DashboardRow(
            round=round_,
            name=wording.round_name(round_.title, round_.financial_year),
            status=round_.status_at(now),
            committed_pence=committed.get(round_.id, 0),
            application_counts=counts.get(round_.id, {}),
        )
        for round_ in rounds
    ]
    return Dashboard(funds=funds, fund=fund, years=years, year=chosen_year,
                     show_archived=show_archived, rows=rows)


def application_counts_by_round(
    session: Session, round_ids: list[int]
) -> dict[int, dict[ApplicationStatus, int]]:
    """How many applications each round has in each status, in one grouped query."""
    if not round_ids:
        return {}
    rows = session.execute(
        select(Application.round_id, Application.status, func.count(Application.id))
        .where(Application.round_id.in_(round_ids))
        .group_by(Application.round_id, Application.status)
    )
    counts: dict[int, Counter[ApplicationStatus]] = {}
    for round_id, status, count in rows:
        counts.setdefault(round_id, Counter())[status] = int(count)
    return {round_id: dict(counter) for round_id, counter in counts.items()}
