"""A round's scoring criteria: what reviewers score, each with its weight and maximum score."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from grants.core.errors import NotFound, ValidationFailed
from grants.funds.models import MAX_NAME_LENGTH, Round, ScoringCriterion
from grants.funds.operations.history import record_changes
from grants.funds.operations.rounds import next_position, refuse_when_locked
from grants.records.services import record_event

MAX_WEIGHT = 1000
MAX_SCORE = 100
CRITERIA_LOCKED = "its scoring criteria"


@dataclass(frozen=True)
class CriterionDetails:
    name: str
    guidance: str = ""
    weight: int = 1
    max_score: int = 5


def get_criterion(round_: Round, criterion_id: int) -> ScoringCriterion:
    for criterion in round_.scoring_criteria:
        if criterion.id == criterion_id:
            return criterion
    raise NotFound("There is no such criterion in this round")


def _criterion_errors(details: CriterionDetails) -> dict[str, str]:
    errors = {}
    if not details.name.strip():
        errors["name"] = "Enter the criterion's name"
    elif len(details.name) > MAX_NAME_LENGTH:
        errors["name"] = f"Name must be {MAX_NAME_LENGTH} characters or fewer"
    if not 1 <= details.weight <= MAX_WEIGHT:
        errors["weight"] = f"Weight must be a whole number from 1 to {MAX_WEIGHT}"
    if not 1 <= details.max_score <= MAX_SCORE:
        errors["max_score"] = f"Maximum score must be a whole number from 1 to {MAX_SCORE}"
    return errors


def _criterion_snapshot(criterion: ScoringCriterion) -> dict[str, Any]:
    return {"position": criterion.position, "name": criterion.name,
            "guidance": criterion.guidance, "weight": criterion.weight,
            "max_score": criterion.max_score}


def add_criterion(session: Session, round_: Round, details: CriterionDetails, *,
                  actor_id: int | None) -> ScoringCriterion:
    refuse_when_locked(session, round_, CRITERIA_LOCKED, "name")
    errors = _criterion_errors(details)
    if errors:
        raise ValidationFailed(errors)
    criterion = ScoringCriterion(position=next_position(round_.scoring_criteria),
                                 name=details.name.strip(), guidance=details.guidance.strip(),
                                 weight=details.weight, max_score=details.max_score)
    round_.scoring_criteria.append(criterion)
    session.flush()
    record_event(session, actor_id=actor_id, action="round.criterion_added",
                 entity_type="round", entity_id=round_.id, after=_criterion_snapshot(criterion))
    return criterion


def update_criterion(session: Session, criterion: ScoringCriterion, details: CriterionDetails,
                     *, actor_id: int | None) -> ScoringCriterion:
    refuse_when_locked(session, criterion.round, CRITERIA_LOCKED, "name")
    errors = _criterion_errors(details)
    if errors:
        raise ValidationFailed(errors)
    before = _criterion_snapshot(criterion)
    criterion.name = details.name.strip()
    criterion.guidance = details.guidance.strip()
    criterion.weight = details.weight
    criterion.max_score = details.max_score
    session.flush()
    record_changes(session, "round.criterion_changed", "round", criterion.round_id, before,
                   _criterion_snapshot(criterion), actor_id)
    return criterion


def remove_criterion(session: Session, criterion: ScoringCriterion, *,
                     actor_id: int | None) -> None:
    round_ = criterion.round
    refuse_when_locked(session, round_, CRITERIA_LOCKED, "name")
    before = _criterion_snapshot(criterion)
    round_.scoring_criteria.remove(criterion)
    session.flush()
    record_event(session, actor_id=actor_id, action="round.criterion_removed",
                 entity_type="round", entity_id=round_.id, before=before)
