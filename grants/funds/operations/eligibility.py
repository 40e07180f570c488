"""A round's eligibility questions: the checklist staff answer when they screen an application."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from grants.core.errors import NotFound, ValidationFailed
from grants.funds.models import EligibilityQuestion, Round
from grants.funds.operations.history import record_changes
from grants.funds.operations.rounds import next_position, refuse_when_locked
from grants.records.services import record_event

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


def _question_snapshot(question: EligibilityQuestion) -> dict[str, Any]:
    return {"position": question.position, "text": question.text,
            "guidance": question.guidance, "mandatory": question.mandatory}


def add_question(session: Session, round_: Round, details: QuestionDetails, *,
                 actor_id: int | None) -> EligibilityQuestion:
    refuse_when_locked(session, round_, QUESTIONS_LOCKED, "text")
    errors = _question_errors(details)
    if errors:
        raise ValidationFailed(errors)
    question = EligibilityQuestion(position=next_position(round_.eligibility_questions),
                                   text=details.text.strip(), guidance=details.guidance.strip(),
                                   mandatory=details.mandatory)
    round_.eligibility_questions.append(question)
    session.flush()
    record_event(session, actor_id=actor_id, action="round.question_added",
                 entity_type="round", entity_id=round_.id, after=_question_snapshot(question))
    return question


def update_question(session: Session, question: EligibilityQuestion, details: QuestionDetails,
                    *, actor_id: int | None) -> EligibilityQuestion:
    refuse_when_locked(session, question.round, QUESTIONS_LOCKED, "text")
    errors = _question_errors(details)
    if errors:
        raise ValidationFailed(errors)
    before = _question_snapshot(question)
    question.text = details.text.strip()
    question.guidance = details.guidance.strip()
    question.mandatory = details.mandatory
    session.flush()
    record_changes(session, "round.question_changed", "round", question.round_id, before,
                   _question_snapshot(question), actor_id)
    return question


def remove_question(session: Session, question: EligibilityQuestion, *,
                    actor_id: int | None) -> None:
    round_ = question.round
    refuse_when_locked(session, round_, QUESTIONS_LOCKED, "text")
    before = _question_snapshot(question)
    round_.eligibility_questions.remove(question)
    session.flush()
    record_event(session, actor_id=actor_id, action="round.question_removed",
                 entity_type="round", entity_id=round_.id, before=before)
