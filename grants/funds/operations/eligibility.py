"""A round's eligibility questions: the checklist staff answer when they screen an application."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from grants.core.errors import NotFound
from grants.funds.models import EligibilityQuestion, Round
from grants.funds.operations import round_lists

QUESTIONS_LOCKED = "its eligibility questions"


@dataclass(frozen=True)
class QuestionDetails:
    text: str
    guidance: str = ""
    mandatory: bool = True


def get_question(round_: Round, question_id: int) -> EligibilityQuestion:
    for question in round_.eligibility_questions:
        if question.id == question_id:
            return question
    raise NotFound("There is no such question in this round")


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


def add_question(session: Session, round_: Round, details: QuestionDetails, *,
                 actor_id: int | None) -> EligibilityQuestion:
    return round_lists.add(session, QUESTIONS, round_, details, actor_id=actor_id)


def update_question(session: Session, question: EligibilityQuestion, details: QuestionDetails,
                    *, actor_id: int | None) -> EligibilityQuestion:
    return round_lists.update(session, QUESTIONS, question, details, actor_id=actor_id)


def remove_question(session: Session, question: EligibilityQuestion, *,
                    actor_id: int | None) -> None:
    round_lists.remove(session, QUESTIONS, question, actor_id=actor_id)
