"""Marking many applications of a round eligible at once, from the staff list: each one waiting
to be screened with every mandatory question answered, none of them "no"; the rest are skipped,
saying why."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from grants.accounts.models import User
from grants.applications.models import Application, ApplicationStatus
from grants.assessment.models import EligibilityAnswer, EligibilityAnswerValue, ScreeningOutcome
from grants.assessment.operations.screening import (
    decide,
    failing_questions,
    questions_of,
    status_words,
    unanswered_mandatory,
)
from grants.core.locks import lock_rows
from grants.funds.models import EligibilityQuestion


def why_not_eligible_in_bulk(questions: Iterable[EligibilityQuestion],
                             answers: Mapping[int, EligibilityAnswerValue | None],
                             status: ApplicationStatus) -> str | None:
    """Why "mark as eligible" skips the application, or None when it may be marked."""
    if status is not ApplicationStatus.SUBMITTED:
        return f"it is {status_words(status)}, not waiting to be screened"
    questions = list(questions)
    if failing_questions(questions, answers):
        return "a mandatory eligibility question is answered no"
    if unanswered_mandatory(questions, answers):
        return "not every mandatory eligibility question has been answered"
    return None


@dataclass
class BulkOutcome:
    marked: list[Application] = field(default_factory=list)
    # (application, why it was skipped)
    skipped: list[tuple[Application, str]] = field(default_factory=list)


def mark_eligible_in_bulk(session: Session, user: User, round_id: int,
                          application_ids: Iterable[int]) -> BulkOutcome:
    """Make each chosen application of the round eligible when it is waiting to be screened
    and every mandatory question is answered, none of them "no"; skip the rest, saying why."""
    wanted = list(dict.fromkeys(application_ids))
    outcome = BulkOutcome()
    if not wanted:
        return outcome
    applications = lock_rows(session, (
        select(Application)
        .where(Application.id.in_(wanted), Application.round_id == round_id)
        .options(joinedload(Application.round))
        .order_by(Application.sequence, Application.id)
    ))
    if not applications:
        return outcome
    questions = questions_of(applications[0])
    stored: dict[int, dict[int, EligibilityAnswerValue]] = {}
    for row in session.scalars(select(EligibilityAnswer).where(
            EligibilityAnswer.application_id.in_([a.id for a in applications]))):
        stored.setdefault(row.application_id, {})[row.question_id] = row.answer
    for application in applications:
        why = why_not_eligible_in_bulk(questions, stored.get(application.id, {}),
                                       application.status)
        if why:
            outcome.skipped.append((application, why))
            continue
        decide(session, user, application, ScreeningOutcome.ELIGIBLE, "",
                note="marked eligible with others from the list")
        outcome.marked.append(application)
    return outcome
