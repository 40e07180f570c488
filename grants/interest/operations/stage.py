"""A round's expression-of-interest stage as staff set it up before the round opens: whether
it has one, when the stage closes (after the round opens, before it closes), and which of the
round's sections of questions it asks beside the title, summary and amount every one asks."""

import logging
from datetime import datetime

from sqlalchemy.orm import Session

from grants.core import clock
from grants.core.errors import ValidationFailed
from grants.core.formatting import format_london_datetime
from grants.funds.models import QuestionSection, Round, RoundKind, RoundQuestion, RoundStatus
from grants.funds.operations.history import iso
from grants.records.operations.audit import record_changes

logger = logging.getLogger(__name__)

# The round's states in which its stage may still be set up: before it opens.
BEFORE_OPENING = frozenset({RoundStatus.DRAFT, RoundStatus.UPCOMING})


def has_stage(round_: Round) -> bool:
    return round_.interest_closes_at is not None


def interest_sections(round_: Round) -> list[QuestionSection]:
    """The round's sections of questions its expression of interest asks, in order."""
    return [section for section in round_.question_sections if section.in_interest]


def interest_questions(round_: Round) -> list[RoundQuestion]:
    return [question for section in interest_sections(round_)
            for question in section.questions]


def why_stage_cannot_change(round_: Round, now: datetime) -> str | None:
    """Why staff may not set up the round's stage now, or None while they may."""
    if round_.kind is not RoundKind.OPEN:
        return "Only an open round can have an expression of interest stage"
    if round_.status_at(now) not in BEFORE_OPENING:
        return ("The round has opened, so whether it has an expression of interest stage "
                "can no longer change")
    return None


def stage_date_errors(opens_at: datetime, closes_at: datetime,
                      interest_closes_at: datetime | None, field: str) -> dict[str, str]:
    """The stage must close after the round opens and before it closes: on `field`."""
    if interest_closes_at is None:
        return {}
    if interest_closes_at <= opens_at:
        return {field: ("The expression of interest stage must close after the round opens "
                        f"({format_london_datetime(opens_at)})")}
    if interest_closes_at >= closes_at:
        return {field: ("The expression of interest stage must close before the round closes "
                        f"({format_london_datetime(closes_at)})")}
    return {}


def _snapshot(round_: Round) -> dict:
    return {"interest_closes_at": iso(round_.interest_closes_at),
            "interest_sections": [section.title for section in interest_sections(round_)]}


def set_stage(session: Session, round_: Round, *, closes_at: datetime | None,
              section_ids: set[int], actor_id: int | None) -> Round:
    """Give the round an expression-of-interest stage closing at `closes_at` that asks the
    chosen sections of questions, or (with no closing time) take the stage away."""
    why = why_stage_cannot_change(round_, clock.utcnow())
    if why:
        raise ValidationFailed({"has_stage": why})
    errors = stage_date_errors(round_.opens_at, round_.closes_at, closes_at, "closes_on")
    if errors:
        raise ValidationFailed(errors)
    before = _snapshot(round_)
    round_.interest_closes_at = closes_at
    for section in round_.question_sections:
        section.in_interest = closes_at is not None and section.id in section_ids
    session.flush()
    record_changes(session, "round.interest_stage_changed", "round", round_.id, before,
                   _snapshot(round_), actor_id)
    logger.info("round %s expression of interest stage %s", round_.id,
                "set" if closes_at else "removed")
    return round_
