"""Sending the emails that are due from the outbox, one committed unit of work each."""

from sqlalchemy.orm import Session

from grants.records.operations.mail import Transport
from grants.records.operations.outbox import claim_next_due, deliver


def send_due(session: Session, transport: Transport, *, limit: int) -> tuple[int, int]:
    """Send up to `limit` due emails: (sent, failed). Each is committed as soon as it is sent,
    so a crash later in the run cannot make it go out twice."""
    sent = failed = 0
    for _ in range(limit):
        message = claim_next_due(session)
        if message is None:
            break
        if deliver(session, message, transport):
            sent += 1
        else:
            failed += 1
        session.commit()
    return sent, failed
