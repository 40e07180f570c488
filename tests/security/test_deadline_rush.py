"""The deadline rush: 50 organisations press "Accept and send" around the closing time at once.

Whether a submission is in time is decided by when the server received its request, not when
it was handled: the requests received just before closing are processed after it (each waits
for the round's reference counter), and every one of them must still be accepted.
"""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from flask import g, has_request_context
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grants.accounts.models import Role
from grants.applications.models import Application, ApplicationStatus
from grants.core import clock
from grants.extensions import db
from grants.funds.models import RoundOrganisationType
from grants.organisations.models import OrganisationType
from grants.records.models import AuditEvent, OutboxMessage
from tests.applications.completing import complete, submit_form
from tests.fixtures.auth import sign_in

pytestmark = [pytest.mark.committing, pytest.mark.usefixtures("postgresql_only")]

CLOSES_AT = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
BEFORE = CLOSES_AT - timedelta(seconds=1)
AFTER = CLOSES_AT + timedelta(seconds=1)
# Signing in and opening the pages happen a little earlier, well inside the idle timeout.
SETTING_UP = CLOSES_AT - timedelta(minutes=2)
THREADS_PER_SIDE = 25
TIME_LIMIT_SECONDS = 120


class ThreadClock:
    """Each thread's own time: when its request reaches the server, and (for the requests
    received in time) a moment past the closing time for everything done after arriving."""

    def __init__(self) -> None:
        self.local = threading.local()

    def now(self) -> datetime:
        arrival = getattr(self.local, "arrival", None)
        if arrival is None:
            return SETTING_UP
        if has_request_context() and "request_received_at" in g:
            return max(arrival, CLOSES_AT + timedelta(seconds=5))
        return arrival


@pytest.fixture
def thread_clock(monkeypatch):
    thread_clock = ThreadClock()
    monkeypatch.setattr(clock, "utcnow", thread_clock.now)
    return thread_clock


@pytest.fixture
def make_rush(thread_clock, round_factory, user_factory, organisation_factory,
              membership_factory, application_factory, new_client):
    """`make_rush(n)`: n complete drafts in one round, each with a signed-in member on their
    own client, the check answers form already open: (client, application id, form) each."""

    def make(count: int):
        round_ = round_factory(
            code="PPAF-RUSH", opens_at=CLOSES_AT - timedelta(days=28), closes_at=CLOSES_AT,
            launched_at=CLOSES_AT - timedelta(days=30), min_award_pence=100_000,
            max_award_pence=1_000_000,
        )
        round_.organisation_type_rows = [
            RoundOrganisationType(organisation_type=OrganisationType.COMMUNITY_GROUP)]
        db.session.commit()
        entrants = []
        for number in range(count):
            user = user_factory(roles=[Role.APPLICANT], email=f"rush{number}@example.org")
            organisation = organisation_factory(
                organisation_type=OrganisationType.COMMUNITY_GROUP)
            membership_factory(user=user, organisation=organisation)
            draft = application_factory(round=round_, organisation=organisation,
                                        created_by=user)
            complete(draft)
            client = new_client()
            assert sign_in(client, user.email).status_code == 302
            entrants.append((client, draft.id, submit_form(client, draft)))
        db.session.close()
        return entrants

    return make


def test_fifty_submissions_around_the_closing_time(app, make_rush, thread_clock):
    rush = make_rush(2 * THREADS_PER_SIDE)
    arrivals = [BEFORE] * THREADS_PER_SIDE + [AFTER] * THREADS_PER_SIDE
    start = threading.Barrier(len(rush))
    answers: dict[int, tuple[int, str, str]] = {}
    failures: list[BaseException] = []

    def press_send(client, application_id, form, arrival):
        try:
            thread_clock.local.arrival = arrival
            start.wait(timeout=30)
            response = client.post(f"/applications/{application_id}/submit", data=form)
            answers[application_id] = (response.status_code, response.headers.get("Location"),
                                       response.get_data(as_text=True))
        except BaseException as error:  # reported to the test below
            failures.append(error)

    threads = [threading.Thread(target=press_send, args=(*entrant, arrival))
               for entrant, arrival in zip(rush, arrivals, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIME_LIMIT_SECONDS)
    assert not any(thread.is_alive() for thread in threads), "the rush did not finish in time"
    assert failures == []
    assert len(answers) == len(rush)

    in_time = [application_id for (_, application_id, _) in rush[:THREADS_PER_SIDE]]
    too_late = [application_id for (_, application_id, _) in rush[THREADS_PER_SIDE:]]
    assert all(status < 500 for status, _, _ in answers.values())
    for application_id in in_time:
        status, location, _ = answers[application_id]
        assert (status, location) == (302, f"/applications/{application_id}/submitted")
    for application_id in too_late:
        status, _, html = answers[application_id]
        assert status == 200
        assert "This round closed at" in html and "Your application was not sent." in html

    with Session(db.engine) as session:
        rows = {row.id: row for row in session.scalars(select(Application))}
        assert len(rows) == len(rush)  # nothing lost
        sent = [rows[application_id] for application_id in in_time]
        assert all(row.status is ApplicationStatus.SUBMITTED for row in sent)
        assert all(row.submitted_at == BEFORE for row in sent)
        references = sorted(row.reference for row in sent)
        assert references == [f"PPAF-RUSH-{number:04d}"
                              for number in range(1, THREADS_PER_SIDE + 1)]
        for application_id in too_late:
            row = rows[application_id]
            assert row.status is ApplicationStatus.DRAFT
            assert row.reference is None and row.submitted_at is None
        submitted_events = session.scalars(
            select(AuditEvent.entity_id).where(AuditEvent.action == "application.submitted")
        ).all()
        assert sorted(submitted_events) == sorted(in_time)  # each exactly once
        emails = session.scalar(select(func.count(OutboxMessage.id)).where(
            OutboxMessage.idempotency_key.like("application-submitted:%")))
        assert emails == 2 * THREADS_PER_SIDE  # the member and the organisation's contact


def test_a_double_click_in_the_rush_is_sent_once(app, make_rush, thread_clock):
    [(client, application_id, form)] = make_rush(1)
    start = threading.Barrier(2)
    statuses: list[int] = []

    def press_send():
        thread_clock.local.arrival = BEFORE
        start.wait(timeout=30)
        statuses.append(client.post(submit_path_for(application_id), data=form).status_code)

    # One browser's double click: two requests with the same session and form.
    threads = [threading.Thread(target=press_send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIME_LIMIT_SECONDS)

    assert statuses == [302, 302]
    with Session(db.engine) as session:
        assert session.scalars(select(Application.reference).where(
            Application.id == application_id)).one() == "PPAF-RUSH-0001"
        assert len(session.scalars(select(AuditEvent).where(
            AuditEvent.action == "application.submitted")).all()) == 1


def submit_path_for(application_id: int) -> str:
    return f"/applications/{application_id}/submit"
