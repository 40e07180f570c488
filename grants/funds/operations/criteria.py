"""A round's scoring criteria: what reviewers score, each with its weight and maximum score."""

from dataclasses import dataclass
from typing import Any

from grants.funds.models import MAX_NAME_LENGTH, ScoringCriterion
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
