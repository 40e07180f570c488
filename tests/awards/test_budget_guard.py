"""The budget guard: a round's committed money (awards not declined or withdrawn) never goes
over its budget, whether the award is new, changed, or comes back after a decline. Racing
deciders are in test_budget_guard_concurrency.py (PostgreSQL)."""

import pytest
from sqlalchemy import event, func, select

from grants.applications.models import ApplicationStatus
from grants.awards.models import Award, AwardStatus
from grants.awards.operations.committed import committed_pence
from grants.decisions.models import Decision, DecisionOutcome
from grants.decisions.operations.guard import decide
from grants.decisions.operations.queries import decision_for
from grants.decisions.operations.rules import DecisionInput, OverBudget
from grants.extensions import db
from tests.awards.decisions_data import (  # noqa: F401  (fixed_clock is a fixture)
    PUBLIC_REASON,
    decided,
    deciding_round,
    declared,
    eligible,
    fixed_clock,
    staff_member,
)
from tests.fixtures.factories import AwardFactory

FULL = DecisionOutcome.AWARD_IN_FULL
PART = DecisionOutcome.AWARD_IN_PART
DECLINE = DecisionOutcome.DECLINE

pytestmark = pytest.mark.usefixtures("fixed_clock")


@pytest.fixture
def small_round():
    """Budget £6,000; awards from £1,000 to £6,000."""
    return deciding_round(budget_pence=600_000, max_award_pence=600_000)


@pytest.fixture
def sam():
    return staff_member("Sam Staff")


def over_budget(user, application, outcome=FULL, **values) -> str:
    declared(user, application)
    with pytest.raises(OverBudget) as refusal:
        decide(db.session, user, application, DecisionInput(public_reason=PUBLIC_REASON,
            outcome=outcome, reason="Worth funding", out_of_rank_reason="Geographic spread",
            **values))
    db.session.rollback()
    return refusal.value.message


def test_an_award_beyond_what_is_left_is_refused_saying_what_is_left(small_round, sam):
    first = eligible(small_round, 1, amount_pence=400_000)
    second = eligible(small_round, 2, amount_pence=500_000)
    decided(sam, first, FULL)
    assert over_budget(sam, second) == ("Only £2,000 of the round's £6,000 budget is left; "
                                        "this award of £5,000 would go over it")
    assert decision_for(db.session, second.id) is None
    assert db.session.scalar(select(func.count(Award.id))) == 1
    assert second.status is ApplicationStatus.ELIGIBLE
    assert committed_pence(db.session, small_round.id) == 400_000


def test_an_award_that_uses_the_last_penny_is_allowed(small_round, sam):
    decided(sam, eligible(small_round, 1, amount_pence=400_000), FULL)
    decided(sam, eligible(small_round, 2, amount_pence=200_000), FULL)
    assert committed_pence(db.session, small_round.id) == 600_000


def test_an_award_in_part_is_refused_on_its_amount_field(small_round, sam):
    decided(sam, eligible(small_round, 1, amount_pence=500_000), FULL)
    second = eligible(small_round, 2, amount_pence=500_000)
    declared(sam, second)
    with pytest.raises(OverBudget) as refusal:
        decide(db.session, sam, second, DecisionInput(public_reason=PUBLIC_REASON,
            outcome=PART, amount_pence=200_000, reason="Part"))
    assert refusal.value.field == "amount"
    assert "Only £1,000 of the round's £6,000 budget is left" in refusal.value.message


def test_changing_an_award_counts_only_its_new_amount(small_round, sam):
    application = eligible(small_round, 1, amount_pence=600_000)
    decided(sam, application, PART, amount_pence=400_000, reason="Part")
    decided(sam, application, FULL)  # £6,000 in all, not £4,000 + £6,000
    assert committed_pence(db.session, small_round.id) == 600_000
    assert db.session.scalar(select(func.count(Award.id))) == 1


def test_an_award_brought_back_after_a_decline_is_guarded_again(small_round, sam):
    first = eligible(small_round, 1, amount_pence=400_000)
    second = eligible(small_round, 2, amount_pence=400_000)
    decided(sam, first, FULL)
    decided(sam, first, DECLINE, out_of_rank_reason="")
    decided(sam, second, FULL, out_of_rank_reason="The first was declined")
    assert "Only £2,000 of the round's £6,000 budget is left" in over_budget(sam, first)
    award = db.session.scalars(select(Award).where(Award.application_id == first.id)).one()
    assert award.status is AwardStatus.WITHDRAWN
    assert decision_for(db.session, first.id).outcome is DECLINE
    assert committed_pence(db.session, small_round.id) == 400_000


def test_awards_made_elsewhere_in_the_round_count_and_released_ones_do_not(small_round, sam):
    AwardFactory(round=small_round, amount_pence=300_000)  # e.g. imported
    AwardFactory(round=small_round, amount_pence=500_000, status=AwardStatus.WITHDRAWN)
    AwardFactory(round=small_round, amount_pence=500_000, status=AwardStatus.DECLINED)
    application = eligible(small_round, 1, amount_pence=400_000)
    assert "Only £3,000 of the round's £6,000 budget is left" in over_budget(sam, application)
    decided(sam, application, PART, amount_pence=300_000, reason="What is left")
    assert committed_pence(db.session, small_round.id) == 600_000


def test_a_declined_decision_needs_no_budget(sam):
    full = deciding_round(budget_pence=500_000, max_award_pence=500_000)
    decided(sam, eligible(full, 1, amount_pence=500_000), FULL)
    decided(sam, eligible(full, 2), DECLINE)
    assert db.session.scalar(select(func.count(Decision.id))) == 2


def test_the_round_row_is_locked_before_the_committed_money_is_read(small_round, sam):
    application = eligible(small_round, 1, amount_pence=400_000)
    declared(sam, application)
    statements: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        statements.append(" ".join(statement.split()).lower())

    engine = db.session.get_bind().engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        decide(db.session, sam, application, DecisionInput(public_reason=PUBLIC_REASON,
            outcome=FULL, reason="Strong"))
    finally:
        event.remove(engine, "before_cursor_execute", note)
    sqlite = engine.dialect.name == "sqlite"
    lock = next(i for i, s in enumerate(statements)
                if (s.startswith("update funding_round") if sqlite
                    else s.startswith("select") and "from funding_round" in s
                    and " for update" in s))
    committed = next(i for i, s in enumerate(statements) if "sum(award.amount_pence)" in s)
    assert lock < committed
    assert not [s for s in statements[:lock] if "award" in s or "decision" in s]
