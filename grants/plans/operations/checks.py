"""Rules and steps the plan, priority and key aim operations share."""


from sqlalchemy.orm import Session

from grants.core import clock
from grants.core.errors import ValidationFailed
from grants.plans.models import MAX_TEXT_LENGTH, KeyAim, Priority
from grants.records.operations.audit import record_event


def check_text(value: str, field_name: str, name: str) -> None:
    if len(value) > MAX_TEXT_LENGTH:
        raise ValidationFailed(
            {field_name: f"{name} must be {MAX_TEXT_LENGTH:,} characters or fewer"}
        )


def set_retired(session: Session, record: Priority | KeyAim, entity_type: str, *,
                retired: bool, actor_id: int | None) -> None:
    """Retire a priority or key aim (new rounds stop offering it; what uses it keeps it), or
    reinstate it. Doing either twice changes nothing: a retirement keeps its first time."""
    if retired == (record.retired_at is not None):
        return
    before = {"retired_at": record.retired_at.isoformat() if record.retired_at else None}
    record.retired_at = clock.utcnow() if retired else None
    session.flush()
    record_event(session, actor_id=actor_id,
                 action=f"{entity_type}.{'retired' if retired else 'reinstated'}",
                 entity_type=entity_type, entity_id=record.id, before=before,
                 after={"retired_at": record.retired_at.isoformat() if retired else None})
