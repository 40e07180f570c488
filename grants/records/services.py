"""Writing the record: audit events and queued emails."""

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.records.models import AuditEvent, OutboxMessage

logger = logging.getLogger(__name__)


def record_event(
    session: Session,
    *,
    actor_id: int | None,
    action: str,
    entity_type: str,
    entity_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    """Add an audit event to the current transaction, so it stands or falls with the change."""
    event = AuditEvent(
        actor_id=actor_id,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        before=before,
        after=after,
        note=note,
    )
    session.add(event)
    session.flush()
    return event


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
