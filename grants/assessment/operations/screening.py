"""Eligibility screening: staff answer the round's eligibility questions for a submitted
application and decide whether it is eligible; a decision can be reversed, with a reason.

A "no" to a mandatory question makes the application not eligible, and the applicant is told
why (by email, on their dashboard and on their questions page). Every screening, reversal and
bulk decision writes an audit event in the same transaction.
"""
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, case, select
from sqlalchemy.orm import Session, joinedload

from grants.accounts.models import User
from grants.applications.models import Application, ApplicationStatus
from grants.assessment import notifications
from grants.assessment.models import (
    EligibilityAnswer,
    EligibilityAnswerValue,
    ScreeningDecision,
    ScreeningOutcome,
)
from grants.assessment.operations.recipients import applicant_recipients
from grants.core import clock
from grants.core.errors import Refusal, ValidationFailed
from grants.core.locks import lock_row
from grants.funds.models import EligibilityQuestion
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)


MAX_REASON_LENGTH = 2000
MAX_NOTE_LENGTH = 1000

# The statuses whose screening decision can be reversed.
REVERSIBLE_STATUSES = frozenset({
    ApplicationStatus.ELIGIBLE, ApplicationStatus.INELIGIBLE, ApplicationStatus.IN_REVIEW,
})
# Screened already: waiting for review, in review, or decided.
SCREENED_STATUSES = REVERSIBLE_STATUSES | frozenset({
    ApplicationStatus.AWARDED, ApplicationStatus.DECLINED, ApplicationStatus.OFFER_ACCEPTED,
    ApplicationStatus.PAID, ApplicationStatus.MONITORING_DUE, ApplicationStatus.CLOSED,
})


class ScreeningRefused(Refusal):
    """The application cannot be screened (or re-screened) now; the message says why."""


def answer_field(question_id: int) -> str:
    """The form field (and error key) for a question's answer."""
    return f"answer_{question_id}"


def note_field(question_id: int) -> str:
    return f"note_{question_id}"


# --- Reading ------------------------------------------------------------------------------

def answers_for(session: Session, application_id: int) -> dict[int, EligibilityAnswer]:
    """Staff's answers to the eligibility questions, by question id."""
    rows = session.scalars(
        select(EligibilityAnswer)
        .where(EligibilityAnswer.application_id == application_id)
        .options(joinedload(EligibilityAnswer.answered_by))
    )
    return {row.question_id: row for row in rows}


def decisions_for(session: Session, application_id: int) -> list[ScreeningDecision]:
    """Every screening decision on the application, newest (the one that stands) first."""
    return list(session.scalars(
        select(ScreeningDecision)
        .where(ScreeningDecision.application_id == application_id)
        .options(joinedload(ScreeningDecision.decided_by))
        .order_by(ScreeningDecision.decided_at.desc(), ScreeningDecision.id.desc())
    ))


def _standing(query: Select, application_id: Any) -> Select:
    """The query narrowed to the application's decision that stands: its latest."""
    return (query.where(ScreeningDecision.application_id == application_id)
            .order_by(ScreeningDecision.decided_at.desc(), ScreeningDecision.id.desc())
            .limit(1))


def latest_decision(session: Session, application_id: int) -> ScreeningDecision | None:
    return session.scalars(_standing(select(ScreeningDecision), application_id)).first()


def ineligible_reason(session: Session, application: Application) -> str | None:
    """Why the application is not eligible, as the applicant is told; None unless it is."""
    if application.status is not ApplicationStatus.INELIGIBLE:
        return None
    decision = latest_decision(session, application.id)
    if decision is None or decision.outcome is not ScreeningOutcome.INELIGIBLE:
        return None
    return decision.reason


def failing_questions(
    questions: Iterable[EligibilityQuestion],
    answers: Mapping[int, EligibilityAnswerValue | None],
) -> list[EligibilityQuestion]:
    """The mandatory questions answered "no": any one makes the application not eligible."""
    return [question for question in questions
            if question.mandatory and answers.get(question.id) is EligibilityAnswerValue.NO]


def unanswered_mandatory(
    questions: Iterable[EligibilityQuestion],
    answers: Mapping[int, EligibilityAnswerValue | None],
) -> list[EligibilityQuestion]:
    return [question for question in questions
            if question.mandatory and answers.get(question.id) is None]


def suggested_reason(failing: list[EligibilityQuestion]) -> str:
    """A starting point for the reason the applicant sees, from the questions answered no."""
    if not failing:
        return ""
    if len(failing) == 1:
        return ("Your application does not meet this eligibility requirement of the round: "
                f"{failing[0].text}")
    requirements = "\n".join(f"- {question.text}" for question in failing)
    return ("Your application does not meet these eligibility requirements of the round:\n"
            f"{requirements}")


def status_words(status: ApplicationStatus) -> str:
    return {
        ApplicationStatus.DRAFT: "a draft",
        ApplicationStatus.ELIGIBLE: "already eligible",
        ApplicationStatus.INELIGIBLE: "already not eligible",
        ApplicationStatus.IN_REVIEW: "in review",
        ApplicationStatus.WITHDRAWN: "withdrawn",
    }.get(status, status.value.replace("_", " "))


# --- Screening ----------------------------------------------------------------------------

@dataclass(frozen=True)
class AnswerInput:
    """What staff chose for one question: no choice yet is None."""

    value: EligibilityAnswerValue | None
    note: str = ""


def questions_of(application: Application) -> list[EligibilityQuestion]:
    return list(application.round.eligibility_questions)


def _store_answers(session: Session, user: User, application: Application,
                   questions: list[EligibilityQuestion],
                   inputs: Mapping[int, AnswerInput]) -> dict[int, EligibilityAnswerValue | None]:
    """Insert or update an answer for each question chosen; returns every question's answer."""
    known = {question.id for question in questions}
    unknown = set(inputs) - known
    if unknown:
        raise Refusal("An answer was for a question this round does not ask")
    errors = {note_field(question_id): f"The note must be {MAX_NOTE_LENGTH} characters or fewer"
              for question_id, given in inputs.items()
              if len((given.note or "").strip()) > MAX_NOTE_LENGTH}
    if errors:
        raise ValidationFailed(errors)
    stored = answers_for(session, application.id)
    for question in questions:
        given = inputs.get(question.id)
        if given is None or given.value is None:
            continue
        row = stored.get(question.id)
        note = (given.note or "").strip()
        if row is None:
            row = EligibilityAnswer(application_id=application.id, question_id=question.id,
                                    answer=given.value, note=note, answered_by_id=user.id)
            session.add(row)
            stored[question.id] = row
        elif row.answer is not given.value or row.note != note:
            row.answer = given.value
            row.note = note
            row.answered_by_id = user.id
            row.answered_at = clock.utcnow()
    session.flush()
    return {question.id: stored[question.id].answer if question.id in stored else None
            for question in questions}


def _ensure_awaiting_screening(application: Application) -> None:
    if application.status is ApplicationStatus.SUBMITTED:
        return
    if application.status in SCREENED_STATUSES:
        raise ScreeningRefused("This application has already been screened. To change the "
                               "decision, reverse it and give a reason.")
    raise ScreeningRefused(f"This application cannot be screened: it is "
                           f"{status_words(application.status)}")


def save_answers(session: Session, user: User, application: Application,
                 inputs: Mapping[int, AnswerInput]) -> dict[int, EligibilityAnswerValue | None]:
    """Keep staff's answers without deciding yet (screening can take more than one sitting)."""
    application = lock_row(session, Application, application.id)
    _ensure_awaiting_screening(application)
    answers = _store_answers(session, user, application, questions_of(application), inputs)
    record_event(
        session, actor_id=user.id, action="application.screening_answers_saved",
        entity_type="application", entity_id=application.id,
        after={"answers": {str(qid): value.value if value else None
                           for qid, value in answers.items()}},
    )
    return answers


def clean_reason(reason: str | None, field_name: str, missing: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationFailed({field_name: missing})
    if len(text) > MAX_REASON_LENGTH:
        raise ValidationFailed({field_name: f"The reason must be {MAX_REASON_LENGTH} "
                                            "characters or fewer"})
    return text


INELIGIBLE_REASON_MISSING = ("Enter why the application is not eligible. The applicant will "
                             "see this reason")


def screen_application(session: Session, user: User, application: Application,
                       inputs: Mapping[int, AnswerInput], *,
                       reason: str = "") -> ScreeningDecision:
    """Store the answers and decide: a "no" to any mandatory question makes the application
    not eligible (and needs the reason the applicant will see); otherwise it is eligible once
    every mandatory question is answered. Only a submitted application can be screened."""
    application = lock_row(session, Application, application.id)
    _ensure_awaiting_screening(application)
    questions = questions_of(application)
    answers = _store_answers(session, user, application, questions, inputs)
    failing = failing_questions(questions, answers)
    if failing:
        text = clean_reason(reason, "reason", INELIGIBLE_REASON_MISSING)
        outcome = ScreeningOutcome.INELIGIBLE
    else:
        missing = unanswered_mandatory(questions, answers)
        if missing:
            raise ValidationFailed({
                answer_field(question.id): "Select yes, no or not applicable"
                for question in missing})
        text = ""
        outcome = ScreeningOutcome.ELIGIBLE
    return decide(session, user, application, outcome, text, failing=failing)


def decide(session: Session, user: User, application: Application,
            outcome: ScreeningOutcome, reason: str, *, failing=(), note: str = "",
            is_reversal: bool = False) -> ScreeningDecision:
    before = application.status
    decision = ScreeningDecision(
        application_id=application.id, outcome=outcome, reason=reason,
        is_reversal=is_reversal, decided_by_id=user.id,
    )
    session.add(decision)
    application.status = (ApplicationStatus.ELIGIBLE if outcome is ScreeningOutcome.ELIGIBLE
                          else ApplicationStatus.INELIGIBLE)
    session.flush()
    record_event(
        session, actor_id=user.id,
        action="application.screening_reversed" if is_reversal else "application.screened",
        entity_type="application", entity_id=application.id,
        before={"status": before.value},
        after={"status": application.status.value, "decision_id": decision.id,
               "outcome": outcome.value, "reason": reason,
               "failed_questions": [question.id for question in failing]},
        note=note,
    )
    if outcome is ScreeningOutcome.INELIGIBLE:
        notifications.not_eligible(session, application, decision,
                                   applicant_recipients(session, application))
    elif is_reversal:
        notifications.eligible_again(session, application, decision,
                                     applicant_recipients(session, application))
    logger.info("application %s screened %s (decision %s%s)", application.id, outcome.value,
                decision.id, ", a reversal" if is_reversal else "")
    return decision


# --- Lists of applications ----------------------------------------------------------------

def ineligible_reason_column() -> Any:
    """SQL: `ineligible_reason` as a column of a query of applications, for a list of them
    read in one query: the reason of the decision that stands when the application is not
    eligible, else NULL."""
    reason = _standing(select(case((ScreeningDecision.outcome == ScreeningOutcome.INELIGIBLE,
                                    ScreeningDecision.reason))), Application.id)
    return case((Application.status == ApplicationStatus.INELIGIBLE, reason.scalar_subquery()))
