"""Priorities of a plan: adding and changing them."""

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grants.core.errors import ValidationFailed
from grants.core.locks import lock_row
from grants.plans.models import MAX_TITLE_LENGTH, Plan, Priority
from grants.plans.operations.checks import check_text
from grants.records.operations.audit import record_changes, record_event


def _check_priority(title: str) -> None:
    if not title:
        raise ValidationFailed({"title": "Enter the priority's title"})
    if len(title) > MAX_TITLE_LENGTH:
        raise ValidationFailed({"title": f"Title must be {MAX_TITLE_LENGTH} characters or fewer"})


def priority_fields(priority: Priority) -> dict[str, Any]:
    return {
        "code": priority.code,
        "number": priority.number,
        "title": priority.title,
        "objective": priority.objective,
        "retired_at": priority.retired_at.isoformat() if priority.retired_at else None,
    }


def next_priority_number(session: Session, plan: Plan) -> int:
    """One more than the highest number in the plan. Retired priorities keep theirs, and no
    number below the highest is given again: numbers identify priorities in reports."""
    highest = session.scalar(select(func.max(Priority.number)).where(Priority.plan_id == plan.id))
    return (highest or 0) + 1


def add_priority(session: Session, plan: Plan, *, actor_id: int | None, title: str,
                 objective: str = "") -> Priority:
    """Add a priority to the plan with the next number ("P6" after P5)."""
    title = (title or "").strip()
    objective = (objective or "").strip()
    _check_priority(title)
    check_text(objective, "objective", "Objective")
    # Lock the plan so two people adding at once get different numbers (PostgreSQL).
    lock_row(session, Plan, plan.id)
    number = next_priority_number(session, plan)
    priority = Priority(plan_id=plan.id, number=number, code=f"P{number}", title=title,
                        objective=objective)
    session.add(priority)
    session.flush()
    session.expire(plan, ["priorities"])
    record_event(session, actor_id=actor_id, action="priority.created",
                 entity_type="priority", entity_id=priority.id,
                 after={"plan_id": plan.id, **priority_fields(priority)})
    return priority


def update_priority(session: Session, priority: Priority, *, actor_id: int | None,
                    title: str, objective: str) -> Priority:
    title = (title or "").strip()
    objective = (objective or "").strip()
    _check_priority(title)
    check_text(objective, "objective", "Objective")
    before = priority_fields(priority)
    priority.title = title
    priority.objective = objective
    session.flush()
    record_changes(session, "priority.updated", "priority", priority.id, before,
                   priority_fields(priority), actor_id)
    return priority

