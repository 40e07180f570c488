"""Assessment's emails: questions to the applicant, screening decisions they are told of, and
reviewers' conflicts and reopened reviews. The only place in the area that renders an email."""

from datetime import datetime

from sqlalchemy.orm import Session

from grants.applications.models import Application
from grants.assessment.models import Clarification, ReviewAssignment, ScreeningDecision
from grants.core.emails import email, rendered
from grants.core.links import external_url
from grants.offices.operations.speaking import office_of_round
from grants.records.operations.outbox import queue_email, queue_to_each

QUESTION_ASKED = email("assessment.clarification",
                       "A question about application {application.reference}")
NOT_ELIGIBLE = email("assessment.ineligible", "Application {application.reference}: not eligible")
ELIGIBLE_AGAIN = email("assessment.eligible_again",
                       "Application {application.reference}: being assessed again")
CONFLICT_DECLARED = email("assessment.conflict_declared",
                          "Conflict of interest declared on {application.reference}")
REVIEW_REOPENED = email("assessment.review_reopened",
                        "Your review of {application.reference} has been reopened")

# (key suffix, address) for each person the applicant side is told through.
Recipients = list[tuple[str, str]]


def question_asked(session: Session, application: Application, clarification: Clarification,
                   recipients: Recipients) -> None:
    """The applicant is asked a question, with a link to answer it on the service."""
    queue_to_each(session, recipients, key=f"clarification-asked:{clarification.id}", **rendered(
        QUESTION_ASKED, office=office_of_round(session, application.round), application=application,
        clarification=clarification,
        questions_url=external_url("assessment.answer_questions",
                                   application_id=application.id)))


def not_eligible(session: Session, application: Application, decision: ScreeningDecision,
                 recipients: Recipients) -> None:
    """The applicant is told their application is not eligible, and why."""
    _screening_email(session, NOT_ELIGIBLE, "ineligible", application, decision, recipients)


def eligible_again(session: Session, application: Application, decision: ScreeningDecision,
                   recipients: Recipients) -> None:
    """The applicant is told a reversed decision makes their application assessed again."""
    _screening_email(session, ELIGIBLE_AGAIN, "eligible-again", application, decision,
                     recipients)


def _screening_email(session: Session, declared, kind: str, application: Application,
                     decision: ScreeningDecision, recipients: Recipients) -> None:
    queue_to_each(session, recipients, key=f"screening-{kind}:{decision.id}", **rendered(
        declared, office=office_of_round(session, application.round), application=application,
        decision=decision,
        dashboard_url=external_url("organisations.dashboard"),
        questions_url=external_url("assessment.answer_questions",
                                   application_id=application.id)))


def conflict_declared(session: Session, assignment: ReviewAssignment, note: str) -> None:
    """The staff member who made the assignment is told the reviewer declared a conflict."""
    _about_assignment(
        session, CONFLICT_DECLARED, assignment, assignment.assigned_by.email,
        key=f"review-conflict:{assignment.id}:{assignment.declared_at.isoformat()}", note=note,
        reviewers_url=external_url("assessment.manage_reviewers",
                                   round_id=assignment.application.round_id))


def review_reopened(session: Session, assignment: ReviewAssignment, reason: str,
                    moment: datetime) -> None:
    """The reviewer is told staff reopened their review, and why."""
    _about_assignment(
        session, REVIEW_REOPENED, assignment, assignment.reviewer.email,
        key=f"review-reopened:{assignment.id}:{moment.isoformat()}", reason=reason,
        review_url=external_url("assessment.review_application", assignment_id=assignment.id))


def _about_assignment(session: Session, declared, assignment: ReviewAssignment, address: str,
                      *, key: str, **values) -> None:
    """An email about a reviewer's assignment to one person, sent once for its key."""
    queue_email(session, to_address=address, idempotency_key=key,
                **rendered(declared, office=office_of_round(session, assignment.application.round),
                           application=assignment.application, assignment=assignment,
                           **values))
