"""The yes/no questions a round adds to its public "Check if you can apply": staff set them
before the round opens, each with the answer needed and the reason given to someone who cannot
apply."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from grants.core.formatting import format_london_datetime
from grants.funds.models import CheckQuestion, Round, RoundStatus
from grants.funds.operations import round_lists

CHECK_QUESTIONS_LOCKED = "the questions of its eligibility check"
# A question and its reason as long as anyone should need.
MAX_TEXT = 500


@dataclass(frozen=True)
class CheckQuestionDetails:
    text: str
    needed_answer: bool
    reason: str


def _errors(details: CheckQuestionDetails) -> dict[str, str]:
    errors = {}
    if not details.text.strip():
        errors["text"] = "Enter the question"
    if not details.reason.strip():
        errors["reason"] = "Enter why someone who gives the other answer cannot apply"
    return errors


def _apply(question: CheckQuestion, details: CheckQuestionDetails) -> None:
    question.text = details.text.strip()
    question.needed_answer = details.needed_answer
    question.reason = details.reason.strip()


def _snapshot(question: CheckQuestion) -> dict[str, Any]:
    return {"position": question.position, "text": question.text,
            "needed_answer": question.needed_answer, "reason": question.reason}


def locked_once_open(session: Session, round_: Round, what: str) -> str | None:
    """People take the check while the round is open, so its questions stay as they were
    asked from the opening time on (a draft, or a launched round not yet open, may change)."""
    if round_.status in (RoundStatus.DRAFT, RoundStatus.UPCOMING):
        return None
    return (f"This round opened at {format_london_datetime(round_.opens_at)}, so {what} can "
            "no longer change")


CHECK_QUESTIONS = round_lists.RoundList(
    attribute="check_questions", item="check_question", locked=CHECK_QUESTIONS_LOCKED,
    field="text", errors=_errors, create=CheckQuestion, apply=_apply, snapshot=_snapshot,
    lock=locked_once_open,
)
