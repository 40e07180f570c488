"""Key aims under a priority: adding and changing them."""

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grants.core.errors import ValidationFailed
from grants.core.locks import lock_row
from grants.plans.models import KeyAim, Priority
from grants.plans.operations.checks import check_text
from grants.records.operations.audit import record_changes, record_event


def _check_key_aim(text: str) -> None:
    if not text:
        raise ValidationFailed({"text": "Enter the key aim"})
    check_text(text, "text", "Key aim")


def key_aim_fields(key_aim: KeyAim) -> dict[str, Any]:
    return {
        "code": f"{key_aim.priority.code}.{key_aim.number}",
        "number": key_aim.number,
        "text": key_aim.text,
        "wording": key_aim.wording,
        "retired_at": key_aim.retired_at.isoformat() if key_aim.retired_at else None,
    }


def next_key_aim_number(session: Session, priority: Priority) -> int:
    highest = session.scalar(
        select(func.max(KeyAim.number)).where(KeyAim.priority_id == priority.id)
    )
    return (highest or 0) + 1


def add_key_aim(session: Session, priority: Priority, *, actor_id: int | None,
                text: str) -> KeyAim:
    """Add a key aim to the priority with the next number ("P3.4" after P3.3)."""
    text = (text or "").strip()
    _check_key_aim(text)
    lock_row(session, Priority, priority.id)
    number = next_key_aim_number(session, priority)
    key_aim = KeyAim(priority=priority, number=number, text=text, wording="plan")
    session.add(key_aim)
    session.flush()
    record_event(session, actor_id=actor_id, action="key_aim.created", entity_type="key_aim",
                 entity_id=key_aim.id,
                 after={"priority_id": priority.id, **key_aim_fields(key_aim)})
    return key_aim


def update_key_aim(session: Session, key_aim: KeyAim, *, actor_id: int | None,
                   text: str) -> KeyAim:
    text = (text or "").strip()
    _check_key_aim(text)
    before = key_aim_fields(key_aim)
    key_aim.text = text
    session.flush()
    record_changes(session, "key_aim.updated", "key_aim", key_aim.id, before,
                   key_aim_fields(key_aim), actor_id)
    return key_aim

