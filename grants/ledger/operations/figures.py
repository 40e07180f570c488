"""A fund's ledger: the one rule for each of its figures, per financial year.

For each financial year of a fund:

- **brought forward**: what was available at the end of the year before (nothing before the
  fund's first year);
- **paid in**: money recorded as paid into the fund for the year (`MoneyPaidIn`, in the year
  staff stated, by default that of the day it was received);
- **returned**: unspent money recipients paid back on the fund's awards, in the year it was
  received; it is the fund's to spend again;
- **committed**: the budgets of the fund's rounds of the year (`Round.financial_year`),
  whatever they have awarded so far: a round's budget holds its money from the day it is
  set, and lowering it gives money back. Direct awards, made outside any round, are
  committed in their own year through the fund's direct awards round of that year, whose
  budget is always what its awards commit (`grants.awards.operations.committed.
  settle_direct_budget`): recorded, they hold their money; declined or withdrawn, they give
  it back;
- **paid out**: approved payments of the fund's awards, in the year they were paid. It is
  money already committed, so it does not change what is available;
- **available**: brought forward + paid in + returned − committed, carried forward to the
  next year.

Every figure is worked out here alone: the fund's money page and its CSV, the rounds
dashboard, the reports and the budget guard (`grants.ledger.operations.guard`) read a `Ledger`,
and a test fails if other code adds these figures up again.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from grants.awards.models import Award, Payment, PaymentStatus
from grants.core import clock, data_version
from grants.funds.models import Fund, Round
from grants.ledger.models import MoneyPaidIn, money_year_of
from grants.monitoring.models import Repayment


def available_of(brought_forward_pence: int, paid_in_pence: int, returned_pence: int,
                 committed_pence: int) -> int:
    """The money a fund has not committed at the end of a year: the one rule."""
    return brought_forward_pence + paid_in_pence + returned_pence - committed_pence


@dataclass(frozen=True)
class LedgerYear:
    """One financial year of a fund's ledger, in pence."""

    year: str
    brought_forward_pence: int = 0
    paid_in_pence: int = 0
    returned_pence: int = 0
    committed_pence: int = 0
    paid_out_pence: int = 0

    @property
    def available_pence(self) -> int:
        return available_of(self.brought_forward_pence, self.paid_in_pence,
                            self.returned_pence, self.committed_pence)

    def to_json(self) -> dict[str, str | int]:
        """The year's figures in pence, as the `report` command writes them."""
        return {"financial_year": self.year,
                "brought_forward_pence": self.brought_forward_pence,
                "paid_in_pence": self.paid_in_pence, "returned_pence": self.returned_pence,
                "committed_pence": self.committed_pence, "paid_out_pence": self.paid_out_pence,
                "available_pence": self.available_pence}


@dataclass(frozen=True)
class Spare:
    """What a new commitment in a year may take, and the year that limits it: a later year
    whose rounds count on the money carried forward may leave less than the year's own."""

    pence: int
    limited_by: str


@dataclass(frozen=True)
class Ledger:
    """A fund's ledger: every financial year from its first with money moving to its last,
    oldest first, without gaps."""

    fund: Fund
    years: tuple[LedgerYear, ...] = ()

    @property
    def kept(self) -> bool:
        """Whether the fund keeps track of its money: its budgets are limited by the money paid
        in, or some has been recorded. (A fund whose budget is granted and that records no
        money would show every budget as overcommitted.)"""
        return self.fund.budgets_limited_by_money_paid_in or any(
            row.paid_in_pence for row in self.years)

    def year(self, label: str) -> LedgerYear:
        """The year's figures; a year before the first holds nothing, and a year after the
        last brings forward what the last carried."""
        for row in self.years:
            if row.year == label:
                return row
        if self.years and label > self.years[-1].year:
            return LedgerYear(label, brought_forward_pence=self.years[-1].available_pence)
        return LedgerYear(label)

    def through(self, label: str) -> tuple[LedgerYear, ...]:
        """Every year of the ledger, and on to the given year (such as the current one) when
        it comes later."""
        if not self.years or label <= self.years[-1].year:
            return self.years
        rows, year = list(self.years), self.years[-1].year
        while year < label:
            year = clock.financial_year_after(year)
            rows.append(self.year(year))
        return tuple(rows)

    def spare(self, label: str) -> Spare:
        """What a new commitment in the year may take without leaving it, or any later year,
        with less than nothing available."""
        rows = [self.year(label), *(row for row in self.years if row.year > label)]
        least = min(rows, key=lambda row: row.available_pence)
        return Spare(least.available_pence, least.year)

    def spare_besides(self, label: str, counted_pence: int) -> Spare:
        """What a commitment of the year that the ledger counts already (a direct award
        recorded, at its sign-off) may have: what is spare with its own money given back to
        the year, and so carried to every later one."""
        spare = self.spare(label)
        return Spare(spare.pence + counted_pence, spare.limited_by)


@dataclass
class _Sums:
    """One fund's money by financial year, as the queries add it up."""

    paid_in: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    returned: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    committed: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    paid_out: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def ledger(self, fund: Fund) -> Ledger:
        labels = {*self.paid_in, *self.returned, *self.committed, *self.paid_out}
        if not labels:
            return Ledger(fund)
        # Walked one year at a time from the first to the last, counted by the years' numbers.
        first = min(labels, key=clock.financial_year_start)
        last = max(labels, key=clock.financial_year_start)
        rows: list[LedgerYear] = []
        brought_forward, year = 0, first
        for _ in range(clock.financial_year_start(last) - clock.financial_year_start(first) + 1):
            row = LedgerYear(year, brought_forward_pence=brought_forward,
                             paid_in_pence=self.paid_in.get(year, 0),
                             returned_pence=self.returned.get(year, 0),
                             committed_pence=self.committed.get(year, 0),
                             paid_out_pence=self.paid_out.get(year, 0))
            rows.append(row)
            brought_forward = row.available_pence
            year = clock.financial_year_after(year)
        return Ledger(fund, tuple(rows))


def _by_day(rows: Iterable[tuple[int, date, int]], into: dict[int, _Sums], name: str) -> None:
    """Sums by fund and day, added into their financial years."""
    for fund_id, day, pence in rows:
        getattr(into[fund_id], name)[money_year_of(day)] += int(pence)


def ledgers(session: Session, funds: Sequence[Fund], *,
            leaving_out_round_id: int | None = None) -> dict[int, Ledger]:
    """Each fund's ledger by fund id: four queries whatever the number of funds, rounds or
    payments. `leaving_out_round_id` leaves one round's budget out of what is committed (the
    guard asks what a changed round may have)."""
    ids = [fund.id for fund in funds]
    if not ids:
        return {}
    sums: dict[int, _Sums] = defaultdict(_Sums)
    for fund_id, year, pence in session.execute(
            select(MoneyPaidIn.fund_id, MoneyPaidIn.financial_year,
                   func.sum(MoneyPaidIn.amount_pence))
            .where(MoneyPaidIn.fund_id.in_(ids))
            .group_by(MoneyPaidIn.fund_id, MoneyPaidIn.financial_year)):
        sums[fund_id].paid_in[year] += int(pence)
    budgets = (select(Round.fund_id, Round.financial_year, func.sum(Round.budget_pence))
               .where(Round.fund_id.in_(ids)).group_by(Round.fund_id, Round.financial_year))
    if leaving_out_round_id is not None:
        budgets = budgets.where(Round.id != leaving_out_round_id)
    for fund_id, year, pence in session.execute(budgets):
        sums[fund_id].committed[year] += int(pence)
    _by_day(session.execute(
        select(Round.fund_id, Payment.paid_on, func.sum(Payment.amount_pence))
        .join(Award, Award.id == Payment.award_id).join(Round, Round.id == Award.round_id)
        .where(Round.fund_id.in_(ids), Payment.status == PaymentStatus.APPROVED)
        .group_by(Round.fund_id, Payment.paid_on)), sums, "paid_out")
    _by_day(session.execute(
        select(Round.fund_id, Repayment.received_on, func.sum(Repayment.amount_pence))
        .join(Award, Award.id == Repayment.award_id).join(Round, Round.id == Award.round_id)
        .where(Round.fund_id.in_(ids))
        .group_by(Round.fund_id, Repayment.received_on)), sums, "returned")
    return {fund.id: sums[fund.id].ledger(fund) for fund in funds}


def fund_ledger(session: Session, fund: Fund, *,
                leaving_out_round_id: int | None = None) -> Ledger:
    """The fund's ledger (four queries)."""
    return ledgers(session, [fund], leaving_out_round_id=leaving_out_round_id)[fund.id]


def year_of_funds(session: Session, year: str, fund: Fund | None = None
                  ) -> list[tuple[Fund, LedgerYear]]:
    """The year's figures of the fund, or of every fund that keeps track of its money (by
    code), for the rounds dashboard and the year's report: five queries, or one when no fund
    can keep track (the ledger's four would add up every payment ever made, to show nothing)."""
    may_keep_track = or_(Fund.budgets_limited_by_money_paid_in,
                         select(MoneyPaidIn.id).where(MoneyPaidIn.fund_id == Fund.id).exists())
    funds = [fund] if fund is not None else list(session.scalars(
        select(Fund).where(may_keep_track).order_by(Fund.code)))

    def work_out() -> tuple[tuple[int, LedgerYear], ...]:
        return tuple((fund_id, ledger.year(year))
                     for fund_id, ledger in ledgers(session, funds).items() if ledger.kept)

    # Kept until the data changes (`grants.core.data_version`): a page shows these figures;
    # the budget guard works out its own ledger afresh, under its lock.
    by_id = {fund.id: fund for fund in funds}
    kept = data_version.kept(session, ("year of funds", year, tuple(by_id)), work_out)
    return [(by_id[fund_id], row) for fund_id, row in kept]
