"""Writing audit events: who did what to which record, in the same transaction as the change."""

import logging
from typing import Any

from sqlalchemy.orm import Session

from grants.records.models import AuditEvent

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


def record_changes(session: Session, action: str, entity_type: str, entity_id: int,
                   before: dict[str, Any], after: dict[str, Any], actor_id: int | None
                   ) -> None:
    """An audit event with only the values that changed (none when nothing did)."""
    changed = [key for key in after if before.get(key) != after[key]]
    if changed:
        record_event(session, actor_id=actor_id, action=action, entity_type=entity_type,
                     entity_id=entity_id, before={k: before.get(k) for k in changed},
                     after={k: after[k] for k in changed})
