"""Questions staff ask an applicant about a submitted application, and the applicant's answers.

Answering a question changes nothing in the application itself: it stays as it was sent.
"""

import logging
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, joinedload

from grants.accounts.models import User
from grants.applications.models import Application, ApplicationStatus
from grants.assessment import notifications
from grants.assessment.models import Clarification
from grants.assessment.operations.recipients import applicant_recipients
from grants.auth import permissions
from grants.core import clock
from grants.core.errors import (
    Forbidden,
    NotFound,
    Refusal,
    or_not_found,
    required_text,
)
from grants.core.translatable import N_
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

MAX_QUESTION_LENGTH = 1000
MAX_ANSWER_LENGTH = 2000


# Applications staff may ask about: sent, and not withdrawn.
_NOT_ASKABLE = frozenset({ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN})


def ensure_may_answer(user: User, application: Application) -> None:
    """Only members of the application's organisation answer its questions; anyone else is
    told it does not exist."""
    if not permissions.may_answer_clarifications(user, application):
        raise NotFound("Application not found")


def clarifications_for(session: Session, application_id: int) -> list[Clarification]:
    """The questions asked about the application, oldest first, with who asked and who
    answered (for staff's and reviewers' pages, and the applicant's)."""
    return list(session.scalars(
        select(Clarification)
        .where(Clarification.application_id == application_id)
        .options(joinedload(Clarification.asked_by), joinedload(Clarification.answered_by))
        .order_by(Clarification.asked_at, Clarification.id)
    ))


def get_clarification(session: Session, application_id: int,
                      clarification_id: int) -> Clarification:
    clarification = session.scalars(
        select(Clarification).where(Clarification.id == clarification_id,
                                    Clarification.application_id == application_id)
    ).one_or_none()
    return or_not_found(clarification, "Question not found")


def ask_clarification(session: Session, user: User, application: Application,
                      question: str) -> Clarification:
    """Ask the applicant a question: they are emailed a link to answer it on the service."""
    if not permissions.may_screen(user):
        raise Forbidden("Only staff can ask applicants questions")
    if application.status in _NOT_ASKABLE:
        raise Refusal("You can only ask about an application that has been sent and not "
                          "withdrawn", field="question")
    text = required_text(question, "question", "Enter the question to ask the applicant",
                 MAX_QUESTION_LENGTH, "The question")
    clarification = Clarification(application_id=application.id, question=text,
                                  asked_by_id=user.id)
    session.add(clarification)
    session.flush()
    record_event(
        session, actor_id=user.id, action="application.clarification_asked",
        entity_type="application", entity_id=application.id,
        after={"clarification_id": clarification.id},
    )
    notifications.question_asked(session, application, clarification,
                                 applicant_recipients(session, application))
    logger.info("clarification %s asked about application %s", clarification.id,
                application.id)
    return clarification


def answer_clarification(session: Session, user: User, application: Application,
                         clarification: Clarification, answer: str) -> Clarification:
    """A member of the organisation answers a question, once. Nobody is emailed."""
    if not permissions.may_answer_clarifications(user, application):
        raise NotFound("Question not found")
    if clarification.application_id != application.id:
        raise NotFound("Question not found")
    if application.status is ApplicationStatus.WITHDRAWN:
        raise Refusal(N_("This application has been withdrawn, so its questions cannot be "
                         "answered"), field="answer")
    if clarification.answered_at is not None:
        raise Refusal(N_("This question has already been answered"), field="answer")
    text = required_text(answer, "answer", "Enter your answer", MAX_ANSWER_LENGTH, "Your answer")
    now = clock.utcnow()
    # One UPDATE that only an unanswered question passes, so two members answering at the
    # same moment cannot both succeed.
    result = session.execute(
        update(Clarification)
        .where(Clarification.id == clarification.id, Clarification.answered_at.is_(None))
        .values(answer=text, answered_by_id=user.id, answered_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Refusal(N_("This question has already been answered"), field="answer")
    session.refresh(clarification)
    record_event(
        session, actor_id=user.id, action="application.clarification_answered",
        entity_type="application", entity_id=application.id,
        after={"clarification_id": clarification.id},
    )
    logger.info("clarification %s answered", clarification.id)
    return clarification


def unanswered_count_column(application_id: Any) -> Any:
    """SQL: how many questions from staff wait for the application's answer: a column for a
    list of applications, read in the list's own query."""
    return (select(func.count(Clarification.id))
            .where(Clarification.application_id == application_id,
                   Clarification.answered_at.is_(None))
            .scalar_subquery())
