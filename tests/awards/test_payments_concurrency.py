"""Staff recording and approving payments of one award at the same moment, from separate
connections and threads: the money paid or waiting for approval never comes to more than the
award (PostgreSQL: SQLite lets one writer in at a time)."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grants.accounts.models import Role, User
from grants.awards.models import Award, AwardStatus, BankDetails, Payment, PaymentStatus
from grants.awards.operations import payments
from grants.core import clock
from grants.core.errors import Refusal
from grants.extensions import db
from grants.records.models import AuditEvent
from tests.fixtures.concurrency import WAIT_SECONDS, race

# How long to wait for the second transaction to queue behind the first's locks.
pytestmark = [pytest.mark.committing, pytest.mark.usefixtures("postgresql_only")]
AMOUNT = 250_000


@pytest.fixture
def setting(user_factory, award_factory):
    """An accepted award with verified bank details, and three members of staff: ids only,
    for sessions of other threads."""
    recorder, second, approver = (user_factory(roles=[Role.STAFF]) for _ in range(3))
    now = datetime.now(UTC)
    award = award_factory(amount_pence=AMOUNT, status=AwardStatus.ACCEPTED,
                          offered_at=now - timedelta(days=3), accepted_at=now,
                          accepted_on=clock.today_in_london() - timedelta(days=1))
    award.bank_details.append(BankDetails(
        account_name="Reading Street Support", sort_code="309430", account_number="00733445",
        entered_by_id=recorder.id, verified_by_id=approver.id, verified_at=now))
    db.session.commit()
    ids = {"award": award.id, "recorder": recorder.id, "second": second.id,
           "approver": approver.id}
    db.session.close()
    return ids


def _record(user_id: int, award_id: int, amount_pence: int):
    def record(session: Session) -> Payment:
        return payments.record_payment(
            session, session.get(User, user_id), session.get(Award, award_id),
            paid_on=clock.today_in_london(), amount_pence=amount_pence, reference=f"BACS-{user_id}")
    return record


def _approve(user_id: int, payment_id: int):
    def approve(session: Session) -> Payment:
        return payments.approve_payment(session, session.get(User, user_id),
                                        session.get(Payment, payment_id))
    return approve


def _held(award_id: int) -> int:
    with Session(db.engine) as session:
        return session.scalar(
            select(func.coalesce(func.sum(Payment.amount_pence), 0))
            .where(Payment.award_id == award_id,
                   Payment.status.in_(payments.HOLDING_STATUSES)))


def test_two_staff_recording_at_once_cannot_take_the_total_over_the_award(app, setting):
    errors = race(_record(setting["recorder"], setting["award"], 150_000),
                  _record(setting["second"], setting["award"], 150_000), app=app)

    assert [type(error).__name__ for error in errors] == ["ValidationFailed"]
    assert "The most you can record is £1,000" in str(errors[0])
    assert _held(setting["award"]) == 150_000


def test_two_approvers_approving_one_payment_at_once_approve_it_once(app, setting):
    with Session(db.engine) as session, session.begin():
        payment_id = _record(setting["recorder"], setting["award"], AMOUNT)(session).id

    errors = race(_approve(setting["approver"], payment_id),
                  _approve(setting["second"], payment_id), app=app)

    assert [str(error) for error in errors] == ["This payment is approved"]
    with Session(db.engine) as session:
        assert session.get(Payment, payment_id).approved_by_id == setting["approver"]
        assert session.get(Award, setting["award"]).status is AwardStatus.PAID
        assert session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "award.paid")) == 1


def test_a_recording_waiting_behind_an_approval_sees_what_is_left(app, setting):
    with Session(db.engine) as session, session.begin():
        payment_id = _record(setting["recorder"], setting["award"], 200_000)(session).id

    errors = race(_approve(setting["approver"], payment_id),
                  _record(setting["second"], setting["award"], 60_000), app=app)

    assert [type(error).__name__ for error in errors] == ["ValidationFailed"]
    assert _held(setting["award"]) == 200_000


def test_many_staff_recording_and_approving_at_once_never_exceed_the_award(app, setting):
    with Session(db.engine) as session, session.begin():
        awaiting = _record(setting["recorder"], setting["award"], 100_000)(session).id
    engine = db.engine
    start = threading.Barrier(7)
    outcomes: list[str] = []

    def attempt(work):
        try:
            # The award's bank details are encrypted with the app's keys: an app context.
            with app.app_context(), Session(engine) as session, session.begin():
                start.wait(timeout=WAIT_SECONDS)
                work(session)
            outcomes.append("done")
        except Refusal as refusal:
            outcomes.append(type(refusal).__name__)

    # Six recordings of £500 against the £1,500 left, while the first £1,000 is approved.
    work = [_approve(setting["approver"], awaiting)]
    work += [_record(user_id, setting["award"], 50_000)
             for user_id in (setting["recorder"], setting["second"]) * 3]
    threads = [threading.Thread(target=attempt, args=(w,)) for w in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WAIT_SECONDS * 2)

    assert not any(thread.is_alive() for thread in threads)
    assert sorted(outcomes) == ["ValidationFailed"] * 3 + ["done"] * 4
    assert _held(setting["award"]) == AMOUNT
    with Session(db.engine) as session:
        statuses = session.scalars(select(Payment.status).where(
            Payment.award_id == setting["award"])).all()
    assert sorted(s.value for s in statuses) == ["approved"] + ["awaiting_approval"] * 3
    assert PaymentStatus.REJECTED not in statuses
