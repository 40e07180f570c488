"""The email outbox: queueing an email with the change it reports, and sending what is due."""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.core import clock
from grants.records.models import OutboxMessage, OutboxStatus
from grants.records.operations.mail import Transport

# A message that still fails after this many attempts is marked failed (and kept) for staff.
MAX_ATTEMPTS = 8

logger = logging.getLogger(__name__)


def queue_email(
    session: Session,
    *,
    to_address: str,
    subject: str,
    body_text: str,
    idempotency_key: str | None = None,
) -> OutboxMessage:
    """Queue an email in the current transaction. With a key already queued, returns that one."""
    if idempotency_key is not None:
        existing = session.scalars(
            select(OutboxMessage).where(OutboxMessage.idempotency_key == idempotency_key)
        ).first()
        if existing is not None:
            return existing
    message = OutboxMessage(
        to_address=to_address,
        subject=subject,
        body_text=body_text,
        idempotency_key=idempotency_key,
    )
    session.add(message)
    session.flush()
    logger.info("queued email %s: %s", message.id, subject)
    return message


def queue_to_each(session: Session, recipients: Iterable[tuple[str, str]], *, key: str,
                  subject: str, body_text: str) -> None:
    """Queue one email to each (key suffix, address), keyed by `key` and the suffix."""
    for suffix, address in recipients:
        queue_email(session, to_address=address, subject=subject, body_text=body_text,
                    idempotency_key=f"{key}{suffix}")


def claim_next_due(session: Session) -> OutboxMessage | None:
    """The oldest pending message whose next attempt is due, locked for this transaction.

    On PostgreSQL locked rows are skipped, so two senders running at once never take the same
    message; SQLite serialises writers instead.
    """
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING,
               OutboxMessage.next_attempt_at <= clock.utcnow())
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    return session.scalars(query).first()


def retry_delay(attempts: int) -> timedelta:
    """Wait 2, 4, 8 ... minutes between attempts, at most a day."""
    return min(timedelta(minutes=2 ** attempts), timedelta(days=1))


def deliver(session: Session, message: OutboxMessage, transport: Transport) -> bool:
    """Try to send one message; record the outcome on it. True when it was sent."""
    now: datetime = clock.utcnow()
    message.attempts += 1
    try:
        transport.send(to_address=message.to_address, subject=message.subject,
                       body_text=message.body_text)
    except Exception as error:  # any failure is kept on the message and retried later
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        if message.attempts >= MAX_ATTEMPTS:
            message.status = OutboxStatus.FAILED
            logger.error("email %s failed %d times; giving up", message.id, message.attempts)
        else:
            message.next_attempt_at = now + retry_delay(message.attempts)
            logger.warning("email %s failed (attempt %d); will retry", message.id,
                           message.attempts)
        session.flush()
        return False
    message.status = OutboxStatus.SENT
    message.sent_at = now
    message.last_error = ""
    session.flush()
    return True
