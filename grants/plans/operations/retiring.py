"""Retiring a priority or key aim, so new rounds stop offering it, and reinstating it."""

from sqlalchemy.orm import Session

from grants.core import clock
from grants.plans.models import KeyAim, Priority
from grants.records.operations.audit import record_event


def set_retired(session: Session, record: Priority | KeyAim, *, retired: bool,
                actor_id: int | None) -> None:
    """Retire a priority or key aim (new rounds stop offering it; what uses it keeps it), or
    reinstate it. Doing either twice changes nothing: a retirement keeps its first time."""
    if retired == (record.retired_at is not None):
        return
    entity_type = "key_aim" if isinstance(record, KeyAim) else "priority"
    before = {"retired_at": record.retired_at.isoformat() if record.retired_at else None}
    record.retired_at = clock.utcnow() if retired else None
    session.flush()
    record_event(session, actor_id=actor_id,
                 action=f"{entity_type}.{'retired' if retired else 'reinstated'}",
                 entity_type=entity_type, entity_id=record.id, before=before,
                 after={"retired_at": record.retired_at.isoformat() if retired else None})
