"""Two staff changing the plan at the same moment (PostgreSQL: SQLite serialises writers)."""

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.extensions import db
from grants.offices.models import Office
from grants.plans.models import Plan, Priority
from grants.plans.operations import plans, priorities
from tests.fixtures.concurrency import race

# How long to wait for the second transaction to queue behind the first's locks.
pytestmark = [pytest.mark.committing, pytest.mark.usefixtures("postgresql_only")]


def _plan(session: Session, code: str, *, current: bool = False) -> int:
    office = session.scalars(select(Office)).first() or Office(
        name="Thames Valley", short_name="Thames Valley", slug="thames-valley",
        funder_org_id="GB-GOR-PC000117", grant_id_prefix="360G-tvopcc",
        funder_name="Thames Valley", contact_email="grants@example.org")
    plan = Plan(office=office, code=code, title=code, valid_from=date(2024, 4, 1),
                is_current=current)
    session.add(plan)
    session.flush()
    return plan.id


def test_two_people_making_different_plans_current_leave_one_current_plan(app):
    with Session(db.engine) as session, session.begin():
        _plan(session, "OLD", current=True)
        first_id = _plan(session, "FIRST")
        second_id = _plan(session, "SECOND")

    errors = race(
        lambda s: plans.make_plan_current(s, s.get(Plan, first_id), actor_id=None),
        lambda s: plans.make_plan_current(s, s.get(Plan, second_id), actor_id=None),
    )

    assert errors == []
    with Session(db.engine) as session:
        assert session.scalars(select(Plan.code).where(Plan.is_current)).all() == ["SECOND"]


def test_two_people_adding_priorities_at_once_get_different_numbers(app):
    with Session(db.engine) as session, session.begin():
        plan_id = _plan(session, "PLAN")

    errors = race(
        lambda s: priorities.add_priority(s, s.get(Plan, plan_id), actor_id=None, title="One"),
        lambda s: priorities.add_priority(s, s.get(Plan, plan_id), actor_id=None, title="Two"),
    )

    assert errors == []
    with Session(db.engine) as session:
        rows = session.execute(select(Priority.code, Priority.title).order_by(Priority.number))
        assert rows.all() == [("P1", "One"), ("P2", "Two")]
