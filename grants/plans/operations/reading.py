"""Reading plans, priorities and key aims, and what a new round may be opened to."""

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from grants.core.errors import or_not_found
from grants.plans.models import KeyAim, Plan, Priority


def list_plans(session: Session) -> list[Plan]:
    """Every plan, the current one first, then the newest."""
    return list(session.scalars(
        select(Plan).order_by(Plan.is_current.desc(), Plan.valid_from.desc(), Plan.id.desc())
    ))


def current_plan(session: Session) -> Plan | None:
    return session.scalars(select(Plan).where(Plan.is_current).order_by(Plan.id)).first()


def get_plan(session: Session, plan_id: int) -> Plan:
    """The plan with its priorities and their key aims (three queries whatever their number)."""
    plan = session.scalars(
        select(Plan)
        .where(Plan.id == plan_id)
        .options(selectinload(Plan.priorities).selectinload(Priority.key_aims))
    ).one_or_none()
    return or_not_found(plan, "Plan not found")


def get_priority(session: Session, plan_id: int, priority_id: int) -> Priority:
    """The priority, if it belongs to the plan."""
    priority = session.scalars(
        select(Priority)
        .where(Priority.id == priority_id, Priority.plan_id == plan_id)
        .options(selectinload(Priority.key_aims))
    ).one_or_none()
    return or_not_found(priority, "Priority not found")


def get_key_aim(session: Session, plan_id: int, priority_id: int, key_aim_id: int) -> KeyAim:
    """The key aim, if it belongs to the priority and the priority to the plan."""
    key_aim = session.scalars(
        select(KeyAim)
        .join(KeyAim.priority)
        .where(KeyAim.id == key_aim_id, KeyAim.priority_id == priority_id,
               Priority.plan_id == plan_id)
    ).one_or_none()
    return or_not_found(key_aim, "Key aim not found")


@dataclass(frozen=True)
class OfferedPriority:
    """A priority a new round may fund, with the key aims it may name."""

    priority: Priority
    key_aims: list[KeyAim] = field(default_factory=list)


def offerable_priorities(session: Session, plan: Plan | int) -> list[OfferedPriority]:
    """The plan's priorities that are not retired, each with its key aims that are not retired,
    in number order: what a new round may be opened to."""
    plan_id = plan if isinstance(plan, int) else plan.id
    priorities = session.scalars(
        select(Priority)
        .where(Priority.plan_id == plan_id, Priority.retired_at.is_(None))
        .options(selectinload(Priority.key_aims))
        .order_by(Priority.number)
    )
    return [
        OfferedPriority(priority, [aim for aim in priority.key_aims if aim.retired_at is None])
        for priority in priorities
    ]
