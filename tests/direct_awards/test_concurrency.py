"""Two staff recording direct awards in the same fund at the same moment, from separate
connections: the second waits for the first's lock on the fund and sees its award, so together
they never commit more than the fund holds, make one round for the year between them, and the
round's budget is what its awards commit (PostgreSQL: SQLite lets one writer in at a time)."""

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from grants.accounts.models import Role, User
from grants.awards.models import RELEASED_STATUSES, Award
from grants.core.errors import ValidationFailed
from grants.direct_awards.models import DecisionMaker, DirectAwardKind, OnwardGrant
from grants.direct_awards.operations.onward import OnwardGrantEntry, add_onward_grant
from grants.direct_awards.operations.recording import DirectAwardEntry, record_direct_award
from grants.direct_awards.operations.signing_off import (
    sign_off_direct_award,
    withdraw_direct_award,
)
from grants.extensions import db
from grants.funds.models import Round, RoundKind
from grants.ledger.operations.paid_in import PaidInEntry, add_entry
from tests.fixtures.concurrency import race

pytestmark = [pytest.mark.committing, pytest.mark.usefixtures("postgresql_only", "now")]


@pytest.fixture
def office(fund_factory, user_factory, organisation_factory, plan_factory, priority_factory,
           key_aim_factory):
    """A PPAF holding £10,000 for 2026/27, two members of staff and what an entry names."""
    fund = fund_factory(code="PPAF", name="Police Property Act Fund",
                        budgets_limited_by_money_paid_in=True)
    add_entry(db.session, fund, PaidInEntry(
        received_on=date(2026, 4, 20), amount_pence=10_000_00, source="Proceeds of property",
        reference="Q4 2025/26", financial_year="2026/27"), actor_id=None)
    first = user_factory(roles=[Role.STAFF])
    second = user_factory(roles=[Role.STAFF])
    organisation = organisation_factory()
    priority = priority_factory(plan=plan_factory(is_current=True), number=1, code="P1")
    aim = key_aim_factory(priority=priority, number=1)
    db.session.commit()
    return {"fund": fund.id, "first": first.id, "second": second.id,
            "entry": DirectAwardEntry(
                organisation_id=organisation.id, amount_pence=6_000_00,
                decided_on=date(2026, 5, 20), decision_maker=DecisionMaker.COMMISSIONER,
                delegate_name="", title="Urgent", public_reason="Urgent need.",
                priority_id=priority.id, key_aim_ids=[aim.id])}


def recorder(office, who: str, **changes):
    def record(session):
        record_direct_award(session, session.get(User, office[who]), office["fund"],
                            replace(office["entry"], **changes))

    return record


def direct_rounds(fund_id: int) -> list[tuple[int, int]]:
    """Each direct awards round of the fund: its budget and its awards' committed money."""
    with db.engine.connect() as conn:
        rounds = conn.execute(select(Round.id, Round.budget_pence).where(
            Round.fund_id == fund_id, Round.kind == RoundKind.DIRECT)).all()
        return [(budget, int(conn.scalar(
            select(func.coalesce(func.sum(Award.amount_pence), 0))
            .where(Award.round_id == round_id, Award.status.not_in(RELEASED_STATUSES)))))
            for round_id, budget in rounds]


def test_two_direct_awards_at_once_never_commit_more_than_the_fund_holds(app, office):
    errors = race(recorder(office, "first"), recorder(office, "second", title="Another"),
                  app=app)

    assert len(errors) == 1 and isinstance(errors[0], ValidationFailed)
    assert errors[0].errors == {"amount": (
        "£4,000 is available in the PPAF for 2026/27, so this direct award can be no more "
        "than £4,000 until more money is paid in")}
    assert direct_rounds(office["fund"]) == [(6_000_00, 6_000_00)]


def test_the_years_first_two_direct_awards_at_once_make_one_round_between_them(app, office):
    errors = race(recorder(office, "first", amount_pence=3_000_00),
                  recorder(office, "second", amount_pence=3_000_00, title="Another"), app=app)

    assert errors == []
    assert direct_rounds(office["fund"]) == [(6_000_00, 6_000_00)]


def test_one_withdrawn_while_another_is_recorded_leaves_the_budget_what_they_commit(
        app, office):
    recorder(office, "first", amount_pence=3_000_00)(db.session)
    db.session.commit()
    award_id = db.session.scalar(select(Award.id))

    def withdraw(session):
        withdraw_direct_award(session, session.get(User, office["second"]), award_id,
                              "Not needed after all")

    errors = race(recorder(office, "first", amount_pence=5_000_00, title="Another"), withdraw,
                  app=app)

    assert errors == []
    assert direct_rounds(office["fund"]) == [(5_000_00, 5_000_00)]


def test_two_onward_grants_at_once_never_add_up_to_more_than_the_allocation(app, office):
    record_direct_award(db.session, db.session.get(User, office["first"]), office["fund"],
                        replace(office["entry"], kind=DirectAwardKind.DELEGATED))
    award_id = db.session.scalar(select(Award.id))
    sign_off_direct_award(db.session, db.session.get(User, office["second"]), award_id,
                          confirmed=True)
    db.session.commit()

    def add(who: str, name: str):
        def adding(session):
            add_onward_grant(session, session.get(User, office[who]), award_id,
                             OnwardGrantEntry(recipient_name=name, amount_pence=4_000_00,
                                              awarded_on=date(2026, 5, 25)))

        return adding

    errors = race(add("first", "Reading Youth Club"), add("second", "Slough Foodbank"),
                  app=app)

    assert len(errors) == 1 and isinstance(errors[0], ValidationFailed)
    assert errors[0].errors["amount"].endswith(
        "more than the £6,000 allocated to it: £4,000 is recorded already, so £2,000 is left")
    with db.engine.connect() as conn:
        assert conn.scalar(select(func.sum(OnwardGrant.amount_pence))) == 4_000_00
