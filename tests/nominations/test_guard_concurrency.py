"""The per-county guard under concurrency (PostgreSQL: SQLite lets one writer in at a time).
Two requests at once, each in its own connection: the second queues at the round's lock, then
reads what the first committed."""

import pytest
from sqlalchemy import func, select

from grants.accounts.models import User
from grants.awards.models import Award
from grants.extensions import db
from grants.nominations.models import Nomination, NominationStatus
from grants.nominations.operations import changing, deciding, guard, nominating
from tests.fixtures.concurrency import race
from tests.nominations.conftest import (
    REASON,
    high_sheriff,
    nominate,
    nomination_round,
    organisation,
    staff_member,
)

pytestmark = [pytest.mark.committing, pytest.mark.usefixtures("fixed_clock", "postgresql_only")]


def _input(round_, org, amount_pence: int) -> nominating.NominationInput:
    return nominating.NominationInput(
        amount_pence=amount_pence, priority_id=round_.priorities[0].id, purpose="Kit",
        reason="Good work", organisation_id=org.id)


def test_two_nominations_racing_for_the_countys_last_money_let_exactly_one_in(app):
    round_ = nomination_round()  # Berkshire: £10,000
    sheriff = high_sheriff()
    nominate(round_, sheriff, 400_000)
    first_org, second_org = organisation(), organisation()
    ids = (round_.id, sheriff.id)
    first_org_id = first_org.id
    first_input, second_input = (_input(round_, first_org, 600_000),
                                 _input(round_, second_org, 600_000))
    db.session.commit()  # the last factory flushed its roles only
    db.session.close()

    def attempt(data):
        def run(session):
            nominating.nominate(session, session.get(User, ids[1]), ids[0], data)
        return run

    errors = race(attempt(first_input), attempt(second_input), app=app)

    assert len(errors) == 1 and isinstance(errors[0], guard.OverAllocation)
    assert errors[0].errors == {"amount": "Berkshire has no money left in this round. Lower or "
                                          "withdraw another of its nominations first"}
    assert db.session.scalar(select(func.sum(Nomination.amount_pence))) == 1_000_000
    assert db.session.scalar(select(Nomination.organisation_id).where(
        Nomination.amount_pence == 600_000)) == first_org_id


def test_a_raised_amount_racing_a_new_nomination_cannot_take_the_county_over(app):
    round_ = nomination_round()
    sheriff = high_sheriff()
    existing = nominate(round_, sheriff, 400_000)
    other = organisation()
    ids = (round_.id, sheriff.id, existing.id, sheriff.county_id)
    raised = nominating.NominationInput(amount_pence=800_000,
                                      priority_id=round_.priorities[0].id, purpose="More",
                                      reason="More")
    new = _input(round_, other, 500_000)
    db.session.commit()  # the last factory flushed its roles only
    db.session.close()

    def raise_it(session):
        changing.update_nomination(session, session.get(User, ids[1]), ids[2], raised)

    def add_new(session):
        nominating.nominate(session, session.get(User, ids[1]), ids[0], new)

    errors = race(raise_it, add_new, app=app)

    assert len(errors) == 1 and "Berkshire has £2,000 left" in errors[0].errors["amount"]
    position = guard.county_position(db.session, ids[0], ids[3])
    assert position.committed_pence == 800_000


def test_two_staff_approving_the_same_nomination_at_once_make_one_award(app):
    round_ = nomination_round()
    nomination = nominate(round_, high_sheriff(), 1_000_000)
    first, second = staff_member("First"), staff_member("Second")
    ids = (nomination.id, first.id, second.id, round_.id, nomination.county_id)
    db.session.commit()  # the last factory flushed its roles only
    db.session.close()

    def approve_as(user_id):
        def run(session):
            deciding.approve_nomination(session, session.get(User, user_id), ids[0],
                                        public_reason=REASON)
        return run

    errors = race(approve_as(ids[1]), approve_as(ids[2]), app=app)

    assert errors == []
    assert db.session.scalar(select(func.count(Award.id))) == 1
    assert db.session.get(Nomination, ids[0]).status is NominationStatus.APPROVED
    position = guard.county_position(db.session, ids[3], ids[4])
    assert (position.awarded_pence, position.pending_pence) == (1_000_000, 0)
