"""Moving a round on: launching a draft, starting assessment, marking it decided, archiving."""

import logging

from sqlalchemy.orm import Session

from grants.core import clock
from grants.core.errors import Conflict, ValidationFailed
from grants.core.formatting import format_london_datetime
from grants.core.locks import lock_row
from grants.core.money import format_pounds
from grants.funds.models import Round, RoundKind, RoundStatus
from grants.funds.operations.history import iso
from grants.funds.operations.settings import (
    RoundSettings,
    date_errors,
    money_errors,
    title_errors,
)
from grants.funds.operations.wording import STATUS_LABELS
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)


def _kind_launch_errors(round_: Round) -> dict[str, str]:
    errors = {}
    if round_.kind is RoundKind.OPEN:
        if not round_.priorities:
            errors["priorities"] = "Choose at least one priority for an open round"
        if not round_.organisation_type_rows:
            errors["organisation_types"] = "Choose at least one type of organisation that may apply"
        if not round_.scoring_criteria:
            errors["scoring_criteria"] = "Add at least one scoring criterion"
    if round_.kind is RoundKind.NOMINATION:
        allocated = sum(a.amount_pence for a in round_.county_allocations)
        if not round_.county_allocations:
            errors["county_allocations"] = "Set an allocation for at least one county"
        elif allocated > round_.budget_pence:
            errors["county_allocations"] = (
                f"The allocations add up to {format_pounds(allocated)}, which is more than "
                f"the budget of {format_pounds(round_.budget_pence)}")
    return errors


def launch_problems(session: Session, round_: Round) -> dict[str, str]:
    """Why the draft round cannot be launched yet, by the section to fix (empty when it can)."""
    settings = RoundSettings.of(round_)
    errors = {**title_errors(settings), **date_errors(settings), **money_errors(settings)}
    if round_.closes_at <= clock.utcnow():
        errors.setdefault("closes_at", "The closing date has passed: move it later to launch "
                                       "the round")
    errors.update(_kind_launch_errors(round_))
    return errors


def _require_status(round_: Round, wanted: RoundStatus, action: str) -> None:
    if round_.archived_at is not None:
        raise Conflict(f"This round is archived, so it cannot {action}")
    status = round_.status
    if status is not wanted:
        label = STATUS_LABELS[wanted].lower()
        article = "an" if label[0] in "aeiou" else "a"
        raise Conflict(f"Only {article} {label} round can {action}; this round is "
                       f"{STATUS_LABELS[status].lower()}")


def launch_round(session: Session, round_: Round, *, actor_id: int | None) -> Round:
    """Make a draft visible to applicants: upcoming until it opens, then open until it closes."""
    round_ = lock_row(session, Round, round_.id)
    _require_status(round_, RoundStatus.DRAFT, "be launched")
    problems = launch_problems(session, round_)
    if problems:
        raise ValidationFailed(problems)
    return _stamp(session, round_, "launched_at", "round.launched", actor_id)


def start_assessment(session: Session, round_: Round, *, actor_id: int | None) -> Round:
    round_ = lock_row(session, Round, round_.id)
    _require_status(round_, RoundStatus.CLOSED, "start assessment")
    return _stamp(session, round_, "assessing_at", "round.assessment_started", actor_id)


def mark_decided(session: Session, round_: Round, *, actor_id: int | None) -> Round:
    round_ = lock_row(session, Round, round_.id)
    _require_status(round_, RoundStatus.ASSESSING, "be marked decided")
    return _stamp(session, round_, "decided_at", "round.decided", actor_id)


def archive_round(session: Session, round_: Round, *, actor_id: int | None) -> Round:
    """Hide the round from applicants and the default staff view. An open round stays."""
    round_ = lock_row(session, Round, round_.id)
    if round_.archived_at is not None:
        raise Conflict("This round is already archived")
    if round_.status is RoundStatus.OPEN:
        closes = format_london_datetime(round_.closes_at)
        raise Conflict("An open round cannot be archived: applicants may be working on "
                       f"applications until it closes at {closes}")
    return _stamp(session, round_, "archived_at", "round.archived", actor_id)


def _stamp(session: Session, round_: Round, column: str, action: str,
           actor_id: int | None) -> Round:
    before = {column: None, "status": round_.status.value}
    setattr(round_, column, clock.utcnow())
    session.flush()
    record_event(session, actor_id=actor_id, action=action, entity_type="round",
                 entity_id=round_.id, before=before,
                 after={column: iso(getattr(round_, column)), "status": round_.status.value})
    logger.info("round %s: %s", round_.id, action)
    return round_
