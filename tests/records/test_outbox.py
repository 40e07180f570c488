"""The outbox sends each email once, retries failures and never loses a message."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from grants.core import clock
from grants.records.models import OutboxMessage, OutboxStatus
from grants.records.operations import mail
from grants.records.operations.outbox import MAX_ATTEMPTS, claim_next_due, deliver, queue_email


class RecordingTransport:
    def __init__(self, fail: bool = False):
        self.sent: list[str] = []
        self.fail = fail

    def send(self, *, to_address, subject, body_text):
        if self.fail:
            raise OSError("connection refused")
        self.sent.append(to_address)


def test_queueing_with_the_same_key_twice_makes_one_message(db_session):
    first = queue_email(db_session, to_address="a@example.org", subject="S", body_text="B",
                        idempotency_key="submitted:7")
    second = queue_email(db_session, to_address="a@example.org", subject="S", body_text="B",
                         idempotency_key="submitted:7")

    assert first.id == second.id
    assert len(db_session.scalars(select(OutboxMessage)).all()) == 1


def test_a_sent_message_is_marked_and_not_sent_again(db_session):
    queue_email(db_session, to_address="a@example.org", subject="S", body_text="B")
    transport = RecordingTransport()

    message = claim_next_due(db_session)
    assert deliver(db_session, message, transport)

    assert message.status is OutboxStatus.SENT and message.sent_at is not None
    assert claim_next_due(db_session) is None
    assert transport.sent == ["a@example.org"]


def test_a_failure_is_retried_later_and_finally_kept_as_failed(db_session, monkeypatch):
    message = queue_email(db_session, to_address="a@example.org", subject="S", body_text="B")
    transport = RecordingTransport(fail=True)
    now = clock.utcnow()

    assert not deliver(db_session, message, transport)
    assert message.status is OutboxStatus.PENDING
    assert message.next_attempt_at > now
    assert "connection refused" in message.last_error
    assert claim_next_due(db_session) is None  # not due yet

    monkeypatch.setattr(clock, "utcnow", lambda: now + timedelta(days=2))
    assert claim_next_due(db_session) is message
    for _ in range(MAX_ATTEMPTS - 1):
        deliver(db_session, message, transport)
    assert message.status is OutboxStatus.FAILED
    assert db_session.get(OutboxMessage, message.id) is not None


def test_each_retry_waits_twice_as_long_as_the_last_up_to_a_day(db_session, monkeypatch):
    """The back-off, exactly: 2, 4, 8 ... minutes after each failed attempt, never more than a
    day, measured from the attempt that failed."""
    message = queue_email(db_session, to_address="a@example.org", subject="S", body_text="B")
    transport = RecordingTransport(fail=True)
    start = clock.utcnow().replace(microsecond=0)
    waits = []
    moment = start
    for _ in range(MAX_ATTEMPTS - 1):
        monkeypatch.setattr(clock, "utcnow", lambda moment=moment: moment)
        deliver(db_session, message, transport)
        waits.append(message.next_attempt_at - moment)
        moment = message.next_attempt_at
    assert waits == [min(timedelta(minutes=2 ** n), timedelta(days=1))
                     for n in range(1, MAX_ATTEMPTS)]
    assert waits[:3] == [timedelta(minutes=2), timedelta(minutes=4), timedelta(minutes=8)]


def test_outbox_send_command_writes_emails_to_the_log_without_smtp(runner, db_session,
                                                                   caplog):
    queue_email(db_session, to_address="b@example.org", subject="Your reference",
                body_text="PPAF-2026-1-0001")
    caplog.set_level("INFO", logger=mail.__name__)

    result = runner.invoke(args=["outbox", "send"])

    assert result.exit_code == 0, result.output
    assert "Sent 1 email;" in result.output
    assert "PPAF-2026-1-0001" in caplog.text


@pytest.mark.parametrize("host,kind", [("", mail.LogTransport), ("smtp.example.org",
                                                                  mail.SMTPTransport)])
def test_smtp_is_used_only_when_configured(host, kind):
    assert isinstance(mail.transport_for({"SMTP_HOST": host}), kind)
