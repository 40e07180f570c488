"""Submissions at the same moment (PostgreSQL: SQLite lets one writer in at a time)."""


import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.applications.models import Application
from grants.applications.operations import submission
from grants.extensions import db
from grants.records.models import AuditEvent, OutboxMessage
from tests.applications.completing import complete
from tests.fixtures.concurrency import race

# How long to wait for the second transaction to queue behind the first's locks.
pytestmark = [pytest.mark.committing, pytest.mark.usefixtures("postgresql_only")]


def _send(user_id: int, application_id: int):
    def send(session: Session):
        submission.submit_application(session, session.get(User, user_id),
                                      session.get(Application, application_id))
    return send


def test_a_double_click_sent_twice_at_once_makes_one_submission(app, draft, member):
    complete(draft)
    ids = (member.id, draft.id)
    db.session.close()

    errors = race(_send(*ids), _send(*ids), app=app)

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

    errors = race(_send(*first), _send(*second), app=app)

    assert errors == []
    with Session(db.engine) as session:
        references = dict(session.execute(select(Application.id, Application.reference)).all())
    assert references == {draft.id: "PPAF-2026-2-0001", other.id: "PPAF-2026-2-0002"}
