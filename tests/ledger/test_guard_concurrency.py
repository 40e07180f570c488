"""Two staff setting budgets in the same fund at the same moment, from separate connections:
the second waits for the first and sees its budget, so together they never commit more than
the fund holds (PostgreSQL: SQLite lets one writer in at a time)."""

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from grants.core.errors import ValidationFailed
from grants.extensions import db
from grants.funds.models import Fund, Round, RoundKind
from grants.funds.operations.settings import RoundSettings, create_round, update_round
from grants.ledger.operations.paid_in import PaidInEntry, add_entry
from tests.fixtures.concurrency import race

pytestmark = [pytest.mark.committing, pytest.mark.usefixtures("postgresql_only")]

SETTINGS = RoundSettings(
    title="PPAF 2026/27 Round", kind=RoundKind.NOMINATION,
    opens_at=datetime(2026, 9, 1, 8, tzinfo=UTC), closes_at=datetime(2026, 9, 30, 11, tzinfo=UTC),
    budget_pence=6_000_00, financial_year="2026/27")


@pytest.fixture
def fund_with_10000(fund_factory):
    fund = fund_factory(code="PPAF", name="Police Property Act Fund",
                        budgets_limited_by_money_paid_in=True)
    add_entry(db.session, fund, PaidInEntry(
        received_on=date(2026, 4, 20), amount_pence=10_000_00, source="Proceeds of property",
        reference="Q4 2025/26", financial_year="2026/27"), actor_id=None)
    db.session.commit()
    return fund.id


def committed(fund_id: int) -> int:
    with db.engine.connect() as conn:
        return conn.scalar(select(func.sum(Round.budget_pence)).where(Round.fund_id == fund_id))


def test_two_new_rounds_at_once_never_commit_more_than_the_fund_holds(app, fund_with_10000):
    def create(session):
        create_round(session, session.get(Fund, fund_with_10000), SETTINGS, actor_id=None)

    errors = race(create, create, app=app)

    assert len(errors) == 1 and isinstance(errors[0], ValidationFailed)
    assert errors[0].errors == {"budget": (
        "£4,000 is available in the PPAF for 2026/27, so the budget can be no more than "
        "£4,000 until more money is paid in")}
    assert committed(fund_with_10000) == 6_000_00


def test_a_top_up_at_the_same_moment_as_a_new_round_waits_and_sees_it(app, fund_with_10000):
    first = create_round(db.session, db.session.get(Fund, fund_with_10000),
                         replace(SETTINGS, budget_pence=3_000_00), actor_id=None)
    db.session.commit()
    first_id = first.id

    def create(session):
        create_round(session, session.get(Fund, fund_with_10000), SETTINGS, actor_id=None)

    def top_up(session):
        round_ = session.get(Round, first_id)
        update_round(session, round_, replace(RoundSettings.of(round_), budget_pence=5_000_00),
                     actor_id=None)

    errors = race(create, top_up, app=app)

    assert len(errors) == 1
    assert errors[0].errors == {"budget": (
        "£1,000 is available in the PPAF for 2026/27, so this round's budget can be no more "
        "than £4,000 until more money is paid in")}
    assert committed(fund_with_10000) == 9_000_00
