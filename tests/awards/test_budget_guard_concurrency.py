"""Staff deciding at the same moment, from separate connections and threads, can never take a
round over its budget (PostgreSQL: SQLite lets one writer in at a time)."""

import threading
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from grants.accounts.models import User
from grants.applications.models import Application, ApplicationStatus
from grants.awards.models import Award
from grants.awards.operations.committed import committed_pence
from grants.core.errors import Refusal
from grants.decisions.models import Decision, DecisionOutcome
from grants.decisions.operations.guard import decide
from grants.decisions.operations.rules import DecisionInput, OverBudget
from grants.extensions import db
from grants.records.models import AuditEvent
from tests.awards.decisions_data import (  # noqa: F401  (fixed_clock is a fixture)
    PUBLIC_REASON,
    deciding_round,
    declared,
    eligible,
    fixed_clock,
    staff_member,
)

pytestmark = [pytest.mark.committing, pytest.mark.usefixtures("fixed_clock")]

# How long a thread may wait for the others at the start line, or for its turn at the lock.
WAIT_SECONDS = 30


@pytest.fixture(autouse=True)
def postgresql_only(db_session):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite lets one writer in at a time")


@dataclass
class Attempt:
    application_id: int
    saved: bool = False
    error: BaseException | None = None


def race(app, user_ids: list[int], application_ids: list[int],
         outcome=DecisionOutcome.AWARD_IN_FULL) -> list[Attempt]:
    """Each (user, application) decides at once in its own thread, app context, session and
    connection, starting together; each commits what it saved."""
    attempts = [Attempt(application_id) for application_id in application_ids]
    start = threading.Barrier(len(attempts), timeout=WAIT_SECONDS)

    def run(user_id: int, attempt: Attempt) -> None:
        with app.app_context():
            session = db.session  # Flask-SQLAlchemy: this thread's own session
            try:
                # Wait for the others first: the engine's pool has fewer connections than
                # there are threads, so none may hold one at the start line.
                start.wait()
                user = session.get(User, user_id)
                application = session.get(Application, attempt.application_id)
                decide(session, user, application, DecisionInput(public_reason=PUBLIC_REASON,
                    outcome=outcome, reason="Strong application",
                    out_of_rank_reason="Geographic spread"))
                session.commit()
                attempt.saved = True
            except BaseException as error:  # reported to the test
                session.rollback()
                attempt.error = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(user_id, attempt))
               for user_id, attempt in zip(user_ids, attempts, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WAIT_SECONDS * 2)
    assert not any(thread.is_alive() for thread in threads)
    return attempts


def set_up(count: int, *, budget_pence: int, amount_pence: int, deciders: int):
    """A round with `count` eligible applications asking for the same amount, and staff who
    have declared no conflict on each; committed for the threads to see."""
    round_ = deciding_round(budget_pence=budget_pence, max_award_pence=budget_pence)
    staff = [staff_member(f"Staff {n}") for n in range(deciders)]
    applications = [eligible(round_, n, amount_pence=amount_pence)
                     for n in range(1, count + 1)]
    for person in staff:
        for application in applications:
            declared(person, application)
    db.session.commit()
    ids = (round_.id, [p.id for p in staff], [a.id for a in applications])
    db.session.close()
    return ids


def check_refusals(round_id: int, attempts: list[Attempt], budget_pence: int) -> None:
    """Committed money within the budget; each refusal a clear over-budget message; nothing
    saved for a refused attempt."""
    with db.session.no_autoflush:
        assert committed_pence(db.session, round_id) <= budget_pence
        for attempt in attempts:
            if attempt.saved:
                continue
            assert isinstance(attempt.error, OverBudget), repr(attempt.error)
            assert "budget is left; this award of" in attempt.error.message
            assert db.session.scalar(select(func.count(Decision.id)).where(
                Decision.application_id == attempt.application_id)) == 0
            assert db.session.scalar(select(func.count(Award.id)).where(
                Award.application_id == attempt.application_id)) == 0
            assert db.session.scalar(select(func.count(AuditEvent.id)).where(
                AuditEvent.entity_id == attempt.application_id,
                AuditEvent.action == "application.decided")) == 0
            assert db.session.get(Application, attempt.application_id).status \
                is ApplicationStatus.ELIGIBLE


def test_two_staff_awarding_at_once_cannot_go_over_the_budget(app):
    round_id, (first, second), application_ids = set_up(
        2, budget_pence=600_000, amount_pence=400_000, deciders=2)

    attempts = race(app, [first, second], application_ids)

    assert sorted(attempt.saved for attempt in attempts) == [False, True]
    refused = next(attempt for attempt in attempts if not attempt.saved)
    assert refused.error.message == ("Only £2,000 of the round's £6,000 budget is left; this "
                                     "award of £4,000 would go over it")
    check_refusals(round_id, attempts, 600_000)
    assert committed_pence(db.session, round_id) == 400_000


def test_twenty_awards_at_once_fill_the_budget_and_no_more(app):
    round_id, staff_ids, application_ids = set_up(
        20, budget_pence=2_000_000, amount_pence=300_000, deciders=4)

    attempts = race(app, [staff_ids[n % 4] for n in range(20)], application_ids)

    assert sum(attempt.saved for attempt in attempts) == 6  # 6 × £3,000 of £20,000
    assert all(attempt.error is None or isinstance(attempt.error, Refusal)
               for attempt in attempts)
    check_refusals(round_id, attempts, 2_000_000)
    assert committed_pence(db.session, round_id) == 1_800_000


def test_the_same_award_sent_twice_at_once_makes_one_award(app):
    round_id, (first, second), (application_id,) = set_up(
        1, budget_pence=600_000, amount_pence=400_000, deciders=2)

    attempts = race(app, [first, second], [application_id, application_id])

    assert [attempt.error for attempt in attempts] == [None, None]
    assert db.session.scalar(select(func.count(Award.id))) == 1
    assert committed_pence(db.session, round_id) == 400_000
