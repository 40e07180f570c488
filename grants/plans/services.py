"""The Police and Crime Plan: adding plans, choosing the current one, and keeping its
priorities and key aims, which rounds, applications and awards point at."""

import logging
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select, union
from sqlalchemy.orm import Session, selectinload

from grants.applications.models import Application, application_key_aim, application_priority
from grants.awards.models import Award, award_key_aim
from grants.core import clock
from grants.core.errors import Conflict, NotFound, ValidationFailed
from grants.funds.models import Round, round_key_aim, round_priority
from grants.plans.models import KeyAim, Plan, Priority
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

MAX_CODE_LENGTH = 40
MAX_TITLE_LENGTH = 200
MAX_TEXT_LENGTH = 5000
# Letters, numbers and hyphens, starting and ending with a letter or number.
CODE_FORMAT = re.compile(r"[A-Z0-9](?:[A-Z0-9-]*[A-Z0-9])?")
CODE_FORMAT_MESSAGE = (
    "Code must use only letters, numbers and hyphens, like TVPCC-PCP-2021-24"
)
DATES_MESSAGE = "Valid to must be the same as or after valid from"
# How many round codes a refusal names before it says "and N more".
ROUNDS_NAMED = 3


# Reading -------------------------------------------------------------------------------------

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
    if plan is None:
        raise NotFound("Plan not found")
    return plan


def get_priority(session: Session, plan_id: int, priority_id: int) -> Priority:
    """The priority, if it belongs to the plan."""
    priority = session.scalars(
        select(Priority)
        .where(Priority.id == priority_id, Priority.plan_id == plan_id)
        .options(selectinload(Priority.key_aims))
    ).one_or_none()
    if priority is None:
        raise NotFound("Priority not found")
    return priority


def get_key_aim(session: Session, plan_id: int, priority_id: int, key_aim_id: int) -> KeyAim:
    """The key aim, if it belongs to the priority and the priority to the plan."""
    key_aim = session.scalars(
        select(KeyAim)
        .join(KeyAim.priority)
        .where(KeyAim.id == key_aim_id, KeyAim.priority_id == priority_id,
               Priority.plan_id == plan_id)
    ).one_or_none()
    if key_aim is None:
        raise NotFound("Key aim not found")
    return key_aim


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


# Plans ---------------------------------------------------------------------------------------

def normalise_code(code: str) -> str:
    return (code or "").strip().upper()


def _code_error(session: Session, code: str) -> str | None:
    """Why a new plan cannot have this (normalised) code, or None when it can."""
    if not code:
        return "Enter a code for the plan"
    if len(code) > MAX_CODE_LENGTH:
        return f"Code must be {MAX_CODE_LENGTH} characters or fewer"
    if not CODE_FORMAT.fullmatch(code):
        return CODE_FORMAT_MESSAGE
    if session.scalars(select(Plan.id).where(func.upper(Plan.code) == code)).first():
        return f"A plan with the code {code} already exists"
    return None


def _check_plan(session: Session, *, title: str, valid_from: date | None,
                valid_to: date | None, code: str | None = None) -> None:
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = "Enter the plan's title"
    elif len(title) > MAX_TITLE_LENGTH:
        errors["title"] = f"Title must be {MAX_TITLE_LENGTH} characters or fewer"
    if code is not None and (message := _code_error(session, code)):
        errors["code"] = message
    if valid_from is None:
        errors["valid_from"] = "Enter the date the plan is valid from"
    elif valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = DATES_MESSAGE
    if errors:
        raise ValidationFailed(errors)


def _plan_fields(plan: Plan) -> dict[str, Any]:
    return {
        "code": plan.code,
        "title": plan.title,
        "valid_from": plan.valid_from.isoformat() if plan.valid_from else None,
        "valid_to": plan.valid_to.isoformat() if plan.valid_to else None,
        "is_current": plan.is_current,
    }


def _changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    """Only the fields that changed, before and after."""
    changed = [key for key in after if before.get(key) != after[key]]
    return {key: before.get(key) for key in changed}, {key: after[key] for key in changed}


def create_plan(session: Session, *, actor_id: int | None, code: str, title: str,
                valid_from: date | None, valid_to: date | None,
                make_current: bool = False) -> Plan:
    """Add a plan (without priorities yet); optionally make it the current one."""
    code = normalise_code(code)
    title = (title or "").strip()
    _check_plan(session, title=title, valid_from=valid_from, valid_to=valid_to, code=code)
    plan = Plan(code=code, title=title, valid_from=valid_from, valid_to=valid_to,
                is_current=False)
    session.add(plan)
    session.flush()
    record_event(session, actor_id=actor_id, action="plan.created", entity_type="plan",
                 entity_id=plan.id, after=_plan_fields(plan))
    logger.info("plan %s created by user %s", plan.id, actor_id)
    if make_current:
        make_plan_current(session, plan, actor_id=actor_id)
    return plan


def update_plan(session: Session, plan: Plan, *, actor_id: int | None, title: str,
                valid_from: date | None, valid_to: date | None) -> Plan:
    """Change a plan's title and dates. Its code stays: it names the plan in reports and in
    the shipped reference data."""
    title = (title or "").strip()
    _check_plan(session, title=title, valid_from=valid_from, valid_to=valid_to)
    before = _plan_fields(plan)
    plan.title = title
    plan.valid_from = valid_from
    plan.valid_to = valid_to
    session.flush()
    old, new = _changes(before, _plan_fields(plan))
    if new:
        record_event(session, actor_id=actor_id, action="plan.updated", entity_type="plan",
                     entity_id=plan.id, before=old, after=new)
    return plan


def make_plan_current(session: Session, plan: Plan, *, actor_id: int | None) -> Plan:
    """Make this the one current plan, unsetting the one before in the same transaction."""
    # Lock every plan row (there are few) so that two people choosing different plans at once
    # take turns on PostgreSQL, and the second one sees the first's choice; SQLite serialises
    # writers anyway.
    session.execute(select(Plan.id).with_for_update()).all()
    previous = list(session.scalars(
        select(Plan).where(Plan.is_current, Plan.id != plan.id)
        .execution_options(populate_existing=True)
    ))
    session.refresh(plan, ["is_current"])
    for other in previous:
        other.is_current = False
        record_event(session, actor_id=actor_id, action="plan.no_longer_current",
                     entity_type="plan", entity_id=other.id,
                     before={"is_current": True}, after={"is_current": False})
    # Unset the old one before setting the new one, so there is never a moment with two.
    session.flush()
    if not plan.is_current:
        plan.is_current = True
        session.flush()
        record_event(session, actor_id=actor_id, action="plan.made_current",
                     entity_type="plan", entity_id=plan.id,
                     before={"is_current": False}, after={"is_current": True})
        logger.info("plan %s made current by user %s", plan.id, actor_id)
    return plan


# Priorities ----------------------------------------------------------------------------------

def _check_priority(title: str) -> None:
    if not title:
        raise ValidationFailed({"title": "Enter the priority's title"})
    if len(title) > MAX_TITLE_LENGTH:
        raise ValidationFailed({"title": f"Title must be {MAX_TITLE_LENGTH} characters or fewer"})


def _check_text(value: str, field_name: str, name: str) -> None:
    if len(value) > MAX_TEXT_LENGTH:
        raise ValidationFailed(
            {field_name: f"{name} must be {MAX_TEXT_LENGTH} characters or fewer"}
        )


def _priority_fields(priority: Priority) -> dict[str, Any]:
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
    _check_text(objective, "objective", "Objective")
    # Lock the plan so two people adding at once get different numbers (PostgreSQL).
    session.execute(select(Plan.id).where(Plan.id == plan.id).with_for_update()).all()
    number = next_priority_number(session, plan)
    priority = Priority(plan_id=plan.id, number=number, code=f"P{number}", title=title,
                        objective=objective)
    session.add(priority)
    session.flush()
    session.expire(plan, ["priorities"])
    record_event(session, actor_id=actor_id, action="priority.created",
                 entity_type="priority", entity_id=priority.id,
                 after={"plan_id": plan.id, **_priority_fields(priority)})
    return priority


def update_priority(session: Session, priority: Priority, *, actor_id: int | None,
                    title: str, objective: str) -> Priority:
    title = (title or "").strip()
    objective = (objective or "").strip()
    _check_priority(title)
    _check_text(objective, "objective", "Objective")
    before = _priority_fields(priority)
    priority.title = title
    priority.objective = objective
    session.flush()
    old, new = _changes(before, _priority_fields(priority))
    if new:
        record_event(session, actor_id=actor_id, action="priority.updated",
                     entity_type="priority", entity_id=priority.id, before=old, after=new)
    return priority


def retire_priority(session: Session, priority: Priority, *, actor_id: int | None) -> Priority:
    """Stop offering the priority to new rounds; what already uses it keeps it."""
    if priority.retired_at is None:
        priority.retired_at = clock.utcnow()
        session.flush()
        record_event(session, actor_id=actor_id, action="priority.retired",
                     entity_type="priority", entity_id=priority.id,
                     before={"retired_at": None},
                     after={"retired_at": priority.retired_at.isoformat()})
    return priority


def reinstate_priority(session: Session, priority: Priority, *,
                       actor_id: int | None) -> Priority:
    if priority.retired_at is not None:
        before = {"retired_at": priority.retired_at.isoformat()}
        priority.retired_at = None
        session.flush()
        record_event(session, actor_id=actor_id, action="priority.reinstated",
                     entity_type="priority", entity_id=priority.id,
                     before=before, after={"retired_at": None})
    return priority


# Key aims ------------------------------------------------------------------------------------

def _check_key_aim(text: str) -> None:
    if not text:
        raise ValidationFailed({"text": "Enter the key aim"})
    _check_text(text, "text", "Key aim")


def _key_aim_fields(key_aim: KeyAim) -> dict[str, Any]:
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
    session.execute(
        select(Priority.id).where(Priority.id == priority.id).with_for_update()
    ).all()
    number = next_key_aim_number(session, priority)
    key_aim = KeyAim(priority=priority, number=number, text=text, wording="plan")
    session.add(key_aim)
    session.flush()
    record_event(session, actor_id=actor_id, action="key_aim.created", entity_type="key_aim",
                 entity_id=key_aim.id,
                 after={"priority_id": priority.id, **_key_aim_fields(key_aim)})
    return key_aim


def update_key_aim(session: Session, key_aim: KeyAim, *, actor_id: int | None,
                   text: str) -> KeyAim:
    text = (text or "").strip()
    _check_key_aim(text)
    before = _key_aim_fields(key_aim)
    key_aim.text = text
    session.flush()
    old, new = _changes(before, _key_aim_fields(key_aim))
    if new:
        record_event(session, actor_id=actor_id, action="key_aim.updated",
                     entity_type="key_aim", entity_id=key_aim.id, before=old, after=new)
    return key_aim


def retire_key_aim(session: Session, key_aim: KeyAim, *, actor_id: int | None) -> KeyAim:
    if key_aim.retired_at is None:
        key_aim.retired_at = clock.utcnow()
        session.flush()
        record_event(session, actor_id=actor_id, action="key_aim.retired",
                     entity_type="key_aim", entity_id=key_aim.id,
                     before={"retired_at": None},
                     after={"retired_at": key_aim.retired_at.isoformat()})
    return key_aim


def reinstate_key_aim(session: Session, key_aim: KeyAim, *, actor_id: int | None) -> KeyAim:
    if key_aim.retired_at is not None:
        before = {"retired_at": key_aim.retired_at.isoformat()}
        key_aim.retired_at = None
        session.flush()
        record_event(session, actor_id=actor_id, action="key_aim.reinstated",
                     entity_type="key_aim", entity_id=key_aim.id,
                     before=before, after={"retired_at": None})
    return key_aim


# Deleting what nothing uses ------------------------------------------------------------------

@dataclass(frozen=True)
class Usage:
    """What points at a priority or key aim: rounds by code, and counts of the rest."""

    round_codes: list[str]
    applications: int
    awards: int

    @property
    def in_use(self) -> bool:
        return bool(self.round_codes or self.applications or self.awards)

    def refusal(self, thing: str) -> str:
        """ "This priority is used by round PPAF-2019-1, so it cannot be deleted. …" """
        parts = []
        codes = self.round_codes
        if len(codes) == 1:
            parts.append(f"round {codes[0]}")
        elif 1 < len(codes) <= ROUNDS_NAMED:
            parts.append(f"rounds {_and_list(codes)}")
        elif codes:
            parts.append(f"{len(codes)} rounds (including {_and_list(codes[:ROUNDS_NAMED])})")
        if self.applications:
            parts.append(_count(self.applications, "application"))
        if self.awards:
            parts.append(_count(self.awards, "award"))
        return (f"This {thing} is used by {_and_list(parts)}, so it cannot be deleted. "
                "You can retire it instead.")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _and_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _usage(session: Session, *, priority_ids: list[int], key_aim_ids: list[int]) -> Usage:
    rounds = [select(round_priority.c.round_id).where(
        round_priority.c.priority_id.in_(priority_ids))]
    applications = [
        select(Application.id).where(Application.primary_priority_id.in_(priority_ids)),
        select(application_priority.c.application_id).where(
            application_priority.c.priority_id.in_(priority_ids)),
    ]
    awards = [select(Award.id).where(Award.priority_id.in_(priority_ids))]
    if key_aim_ids:
        rounds.append(select(round_key_aim.c.round_id).where(
            round_key_aim.c.key_aim_id.in_(key_aim_ids)))
        applications.append(select(application_key_aim.c.application_id).where(
            application_key_aim.c.key_aim_id.in_(key_aim_ids)))
        awards.append(select(award_key_aim.c.award_id).where(
            award_key_aim.c.key_aim_id.in_(key_aim_ids)))
    round_ids = union(*rounds).subquery()
    round_codes = list(session.scalars(
        select(Round.code).where(Round.id.in_(select(round_ids.c[0]))).order_by(Round.code)
    ))
    application_ids = union(*applications).subquery()
    award_ids = union(*awards).subquery()
    return Usage(
        round_codes=round_codes,
        applications=session.scalar(select(func.count()).select_from(application_ids)) or 0,
        awards=session.scalar(select(func.count()).select_from(award_ids)) or 0,
    )


def priority_usage(session: Session, priority: Priority) -> Usage:
    """What uses the priority or any of its key aims."""
    key_aim_ids = list(session.scalars(
        select(KeyAim.id).where(KeyAim.priority_id == priority.id)
    ))
    return _usage(session, priority_ids=[priority.id], key_aim_ids=key_aim_ids)


def key_aim_usage(session: Session, key_aim: KeyAim) -> Usage:
    return _usage(session, priority_ids=[], key_aim_ids=[key_aim.id])


def delete_priority(session: Session, priority: Priority, *, actor_id: int | None) -> None:
    """Delete a priority (and its key aims) that nothing uses; otherwise refuse with why.
    Other priorities keep their numbers."""
    # Lock the rows first: on PostgreSQL a round or application that starts pointing at them
    # meanwhile waits for this transaction, and one that did just before is seen below.
    session.execute(
        select(Priority.id).where(Priority.id == priority.id).with_for_update()
    ).all()
    session.execute(
        select(KeyAim.id).where(KeyAim.priority_id == priority.id).with_for_update()
    ).all()
    usage = priority_usage(session, priority)
    if usage.in_use:
        raise Conflict(usage.refusal("priority"))
    before = {
        "plan_id": priority.plan_id,
        **_priority_fields(priority),
        "key_aims": [{"number": aim.number, "text": aim.text} for aim in priority.key_aims],
    }
    plan = priority.plan
    priority_id = priority.id
    session.delete(priority)
    session.flush()
    session.expire(plan, ["priorities"])
    record_event(session, actor_id=actor_id, action="priority.deleted",
                 entity_type="priority", entity_id=priority_id, before=before)


def delete_key_aim(session: Session, key_aim: KeyAim, *, actor_id: int | None) -> None:
    """Delete a key aim that nothing uses; otherwise refuse with why."""
    session.execute(
        select(KeyAim.id).where(KeyAim.id == key_aim.id).with_for_update()
    ).all()
    usage = key_aim_usage(session, key_aim)
    if usage.in_use:
        raise Conflict(usage.refusal("key aim"))
    before = {"priority_id": key_aim.priority_id, **_key_aim_fields(key_aim)}
    priority = key_aim.priority
    key_aim_id = key_aim.id
    session.delete(key_aim)
    session.flush()
    session.expire(priority, ["key_aims"])
    record_event(session, actor_id=actor_id, action="key_aim.deleted",
                 entity_type="key_aim", entity_id=key_aim_id, before=before)
