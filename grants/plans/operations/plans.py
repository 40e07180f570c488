"""Plans: adding one, changing its title and dates, and choosing the current one."""

import logging
import re
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grants.core.errors import ValidationFailed
from grants.core.locks import lock_rows
from grants.offices.models import Office
from grants.offices.operations.reading import the_only_office
from grants.plans.models import MAX_CODE_LENGTH, MAX_TITLE_LENGTH, Plan
from grants.records.operations.audit import record_changes, record_event

logger = logging.getLogger(__name__)

# Letters, numbers and hyphens, starting and ending with a letter or number.
CODE_FORMAT = re.compile(r"[A-Z0-9](?:[A-Z0-9-]*[A-Z0-9])?")
CODE_FORMAT_MESSAGE = (
    "Code must use only letters, numbers and hyphens, like TVPCC-PCP-2021-24"
)
DATES_MESSAGE = "Valid to must be the same as or after valid from"


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


def create_plan(session: Session, *, actor_id: int | None, code: str, title: str,
                valid_from: date | None, valid_to: date | None,
                make_current: bool = False, office_id: int | None = None) -> Plan:
    """Add a plan (without priorities yet) to the office (the creating staff member's; without
    one, the service's one office); optionally make it the current one."""
    code = normalise_code(code)
    title = (title or "").strip()
    _check_plan(session, title=title, valid_from=valid_from, valid_to=valid_to, code=code)
    office = (session.get_one(Office, office_id) if office_id is not None
              else the_only_office(session))
    plan = Plan(office=office, code=code, title=title,
                valid_from=valid_from, valid_to=valid_to, is_current=False)
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
    record_changes(session, "plan.updated", "plan", plan.id, before, _plan_fields(plan),
                   actor_id)
    return plan


def make_plan_current(session: Session, plan: Plan, *, actor_id: int | None) -> Plan:
    """Make this the one current plan, unsetting the one before in the same transaction."""
    # Lock every plan row (there are few) so that two people choosing different plans at once
    # take turns, and the second one sees the first's choice.
    plans = lock_rows(session, select(Plan).order_by(Plan.id))
    previous = [other for other in plans if other.is_current and other.id != plan.id]
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
