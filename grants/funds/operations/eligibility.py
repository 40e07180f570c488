"""A round's eligibility questions: the checklist staff answer when they screen an application."""

from dataclasses import dataclass
from typing import Any

from grants.funds.models import EligibilityQuestion
from grants.funds.operations import round_lists

QUESTIONS_LOCKED = "its eligibility questions"


@dataclass(frozen=True)
class QuestionDetails:
    text: str
    guidance: str = ""
    mandatory: bool = True


def _question_errors(details: QuestionDetails) -> dict[str, str]:
    return {} if details.text.strip() else {"text": "Enter the question"}


def _apply(question: EligibilityQuestion, details: QuestionDetails) -> None:
    question.text = details.text.strip()
    question.guidance = details.guidance.strip()
    question.mandatory = details.mandatory


def _question_snapshot(question: EligibilityQuestion) -> dict[str, Any]:
    return {"position": question.position, "text": question.text,
            "guidance": question.guidance, "mandatory": question.mandatory}


QUESTIONS = round_lists.RoundList(
    attribute="eligibility_questions", item="question", locked=QUESTIONS_LOCKED, field="text",
    errors=_question_errors, create=EligibilityQuestion, apply=_apply,
    snapshot=_question_snapshot,
)
