"""Submissions at the same moment (PostgreSQL: SQLite lets one writer in at a time)."""

import threading

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.applications import submission
from grants.applications.models import Application
from grants.extensions import db
from grants.records.models import AuditEvent, OutboxMessage
from tests.applications.completing import complete

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


def race(app, first, second) -> list[BaseException]:
    """Run `first(session)` and keep its transaction open while `second(session)` starts in
    another thread and queues behind it; then commit the first and let the second finish."""
    errors: list[BaseException] = []
    engine = db.engine

    def run_second():
        try:
            with app.app_context(), Session(engine) as session, session.begin():
                second(session)
        except BaseException as error:  # reported to the test below
            errors.append(error)

    with Session(engine) as session:
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


def _send(user_id: int, application_id: int):
    def send(session: Session):
        submission.submit_application(session, session.get(User, user_id),
                                      session.get(Application, application_id))
    return send


def test_a_double_click_sent_twice_at_once_makes_one_submission(app, draft, member):
    complete(draft)
    ids = (member.id, draft.id)
    db.session.close()

    errors = race(app, _send(*ids), _send(*ids))

    assert errors == []
    with Session(db.engine) as session:
        assert session.scalars(select(Application.reference)).all() == ["PPAF-2026-2-0001"]
        assert len(session.scalars(select(AuditEvent).where(
            AuditEvent.action == "application.submitted")).all()) == 1
        keys = session.scalars(select(OutboxMessage.idempotency_key)).all()
        assert sorted(keys) == [f"application-submitted:{draft.id}",
                                f"application-submitted:{draft.id}:organisation-contact"]


def test_two_organisations_submitting_at_once_get_consecutive_references(
    app, open_round, draft, member, application_factory, organisation_factory,
    membership_factory
):
    other = application_factory(round=open_round, organisation=organisation_factory())
    membership_factory(user=member, organisation=other.organisation)
    complete(draft)
    complete(other)
    first, second = (member.id, draft.id), (member.id, other.id)
    db.session.close()

    errors = race(app, _send(*first), _send(*second))

    assert errors == []
    with Session(db.engine) as session:
        references = dict(session.execute(select(Application.id, Application.reference)).all())
    assert references == {draft.id: "PPAF-2026-2-0001", other.id: "PPAF-2026-2-0002"}
