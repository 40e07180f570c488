"""Two staff changing the plan at the same moment (PostgreSQL: SQLite serialises writers)."""

import threading
from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from grants.extensions import db
from grants.plans import services
from grants.plans.models import Plan, Priority

pytestmark = pytest.mark.committing

# How long to wait for the second transaction to queue behind the first's locks.
WAIT_SECONDS = 10


@pytest.fixture(autouse=True)
def postgresql_only(db_session):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite lets one writer in at a time")


def _waiting_for_a_lock() -> bool:
    with db.engine.connect() as conn:
        return bool(conn.scalar(text(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )))


def race(first, second) -> list[BaseException]:
    """Run `first(session)` and keep its transaction open while `second(session)` starts in
    another thread and queues behind it; then commit the first and let the second finish."""
    errors: list[BaseException] = []
    engine = db.engine  # the thread has no app context to find it

    def run_second():
        try:
            with Session(engine) as session, session.begin():
                second(session)
        except BaseException as error:  # reported to the test below
            errors.append(error)

    with Session(db.engine) as session:
        with session.begin():
            first(session)
            thread = threading.Thread(target=run_second)
            thread.start()
            for _ in range(WAIT_SECONDS * 20):
                if _waiting_for_a_lock() or not thread.is_alive():
                    break
                thread.join(timeout=0.05)
            assert thread.is_alive(), f"the second did not wait for the first: {errors}"
    thread.join(timeout=WAIT_SECONDS)
    assert not thread.is_alive()
    return errors


def _plan(session: Session, code: str, *, current: bool = False) -> int:
    plan = Plan(code=code, title=code, valid_from=date(2024, 4, 1), is_current=current)
    session.add(plan)
    session.flush()
    return plan.id


def test_two_people_making_different_plans_current_leave_one_current_plan(app):
    with Session(db.engine) as session, session.begin():
        _plan(session, "OLD", current=True)
        first_id = _plan(session, "FIRST")
        second_id = _plan(session, "SECOND")

    errors = race(
        lambda s: services.make_plan_current(s, s.get(Plan, first_id), actor_id=None),
        lambda s: services.make_plan_current(s, s.get(Plan, second_id), actor_id=None),
    )

    assert errors == []
    with Session(db.engine) as session:
        assert session.scalars(select(Plan.code).where(Plan.is_current)).all() == ["SECOND"]


def test_two_people_adding_priorities_at_once_get_different_numbers(app):
    with Session(db.engine) as session, session.begin():
        plan_id = _plan(session, "PLAN")

    errors = race(
        lambda s: services.add_priority(s, s.get(Plan, plan_id), actor_id=None, title="One"),
        lambda s: services.add_priority(s, s.get(Plan, plan_id), actor_id=None, title="Two"),
    )

    assert errors == []
    with Session(db.engine) as session:
        rows = session.execute(select(Priority.code, Priority.title).order_by(Priority.number))
        assert rows.all() == [("P1", "One"), ("P2", "Two")]
