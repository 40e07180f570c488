"""A round's scoring criteria: what reviewers score, each with its weight and maximum score."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from grants.core.errors import NotFound
from grants.funds.models import MAX_NAME_LENGTH, Round, ScoringCriterion
from grants.funds.operations import round_lists

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


def _apply(criterion: ScoringCriterion, details: CriterionDetails) -> None:
    criterion.name = details.name.strip()
    criterion.guidance = details.guidance.strip()
    criterion.weight = details.weight
    criterion.max_score = details.max_score


def _criterion_snapshot(criterion: ScoringCriterion) -> dict[str, Any]:
    return {"position": criterion.position, "name": criterion.name,
            "guidance": criterion.guidance, "weight": criterion.weight,
            "max_score": criterion.max_score}


CRITERIA = round_lists.RoundList(
    attribute="scoring_criteria", item="criterion", locked=CRITERIA_LOCKED, field="name",
    errors=_criterion_errors, create=ScoringCriterion, apply=_apply,
    snapshot=_criterion_snapshot,
)


def add_criterion(session: Session, round_: Round, details: CriterionDetails, *,
                  actor_id: int | None) -> ScoringCriterion:
    return round_lists.add(session, CRITERIA, round_, details, actor_id=actor_id)


def update_criterion(session: Session, criterion: ScoringCriterion, details: CriterionDetails,
                     *, actor_id: int | None) -> ScoringCriterion:
    return round_lists.update(session, CRITERIA, criterion, details, actor_id=actor_id)


def remove_criterion(session: Session, criterion: ScoringCriterion, *,
                     actor_id: int | None) -> None:
    round_lists.remove(session, CRITERIA, criterion, actor_id=actor_id)
