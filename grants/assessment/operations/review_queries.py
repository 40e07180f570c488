"""Reviewers, their assignments and reviews as the pages read them, and the rules every
reviewer use case shares (which applications are being assessed, note lengths, the audit)."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from grants.accounts.models import Role, User, UserRole
from grants.applications.models import Application, ApplicationStatus, Document
from grants.assessment.models import ConflictStatus, Review, ReviewAssignment
from grants.assessment.operations.kept_scores import NAME_ONLY
from grants.auth import permissions
from grants.core.errors import NotFound, Refusal, only_if_visible, or_not_found
from grants.funds.models import Round
from grants.records.operations.audit import record_event

ASSIGNABLE_STATUSES = (ApplicationStatus.ELIGIBLE, ApplicationStatus.IN_REVIEW)
MAX_NOTE = 2000


def audit(session: Session, actor: User, application_id: int, action: str, **kwargs) -> None:
    record_event(session, actor_id=actor.id, action=action, entity_type="application",
                 entity_id=application_id, **kwargs)


def ensure_being_assessed(application: Application) -> None:
    if application.status not in ASSIGNABLE_STATUSES:
        raise Refusal("This application is no longer being assessed, so it cannot be "
                      "reviewed")


# --- Reviewers and their load -------------------------------------------------------------

def reviewers(session: Session) -> list[User]:
    """Everyone with the reviewer role and an active account, by name then id."""
    return list(session.scalars(
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.REVIEWER, User.is_active_account.is_(True))
        .order_by(User.name, User.id)
    ))


@dataclass
class ReviewerLoad:
    reviewer: User
    active: int = 0  # assignments in the round not removed
    declared: int = 0  # of those, declared no conflict
    submitted: int = 0  # of those, with a submitted review


def reviewer_loads(session: Session, round_id: int) -> list[ReviewerLoad]:
    """Each reviewer's standing assignments in the round, in two queries."""
    loads = {reviewer.id: ReviewerLoad(reviewer) for reviewer in reviewers(session)}
    rows = session.execute(
        select(ReviewAssignment.reviewer_id, ReviewAssignment.conflict, Review.submitted_at)
        .join(Application, Application.id == ReviewAssignment.application_id)
        .outerjoin(Review, Review.assignment_id == ReviewAssignment.id)
        .where(Application.round_id == round_id, ReviewAssignment.removed_at.is_(None))
    ).all()
    for reviewer_id, conflict, submitted_at in rows:
        load = loads.get(reviewer_id)
        if load is None:  # no longer a reviewer, but the assignment still stands
            continue
        load.active += 1
        load.declared += conflict is ConflictStatus.NO_CONFLICT
        load.submitted += submitted_at is not None
    return list(loads.values())


def assignable_applications(session: Session, round_id: int) -> list[Application]:
    """The round's eligible and in-review applications, in reference order."""
    return list(session.scalars(
        select(Application)
        .where(Application.round_id == round_id, Application.status.in_(ASSIGNABLE_STATUSES))
        .options(joinedload(Application.organisation))
        .order_by(Application.reference, Application.id)
    ))


def active_counts(session: Session, round_id: int) -> dict[int, int]:
    """Standing assignments per application of the round."""
    return dict(session.execute(
        select(ReviewAssignment.application_id, func.count())
        .join(Application, Application.id == ReviewAssignment.application_id)
        .where(Application.round_id == round_id, ReviewAssignment.removed_at.is_(None))
        .group_by(ReviewAssignment.application_id)
    ).all())


# --- Records the pages look up ------------------------------------------------------------

def sent_application(session: Session, application_id: int) -> Application:
    """The application with its organisation and round, once it has been sent (has a
    reference); NotFound otherwise."""
    application = session.get(Application, application_id, options=[
        joinedload(Application.organisation), joinedload(Application.round)])
    if application is None or application.reference is None:
        raise NotFound("Application not found")
    return application


def get_review(session: Session, review_id: int) -> Review:
    return or_not_found(session.get(Review, review_id), "Review not found")


def application_document(session: Session, application_id: int, document_id: int) -> Document:
    """One document of the application; NotFound for any other."""
    application = session.scalars(
        select(Application).where(Application.id == application_id)
        .options(selectinload(Application.documents))).one()
    document = next((doc for doc in application.documents if doc.id == document_id), None)
    return or_not_found(document, "Document not found")


# --- Assignments -------------------------------------------------------------------------

def get_assignment(session: Session, assignment_id: int) -> ReviewAssignment:
    """The assignment with its application, organisation, round, reviewer and review."""
    assignment = session.get(ReviewAssignment, assignment_id, options=[
        joinedload(ReviewAssignment.application).joinedload(Application.organisation),
        joinedload(ReviewAssignment.application).joinedload(Application.round),
        joinedload(ReviewAssignment.reviewer),
        joinedload(ReviewAssignment.assigned_by),
        joinedload(ReviewAssignment.review).selectinload(Review.scores),
    ])
    return or_not_found(assignment, "Assignment not found")


def get_own_assignment(session: Session, reviewer: User, assignment_id: int
                       ) -> ReviewAssignment:
    """The reviewer's own standing assignment; NotFound for anyone else's."""
    assignment = get_assignment(session, assignment_id)
    return only_if_visible(assignment, permissions.may_review(reviewer, assignment),
                           "Assignment not found")


def assignments_of(session: Session, reviewer: User) -> list[ReviewAssignment]:
    """The reviewer's standing assignments, with what their list shows."""
    return list(session.scalars(
        select(ReviewAssignment)
        .join(Application, Application.id == ReviewAssignment.application_id)
        .join(Round, Round.id == Application.round_id)
        .where(ReviewAssignment.reviewer_id == reviewer.id,
               ReviewAssignment.removed_at.is_(None))
        .options(
            joinedload(ReviewAssignment.application).joinedload(Application.organisation),
            joinedload(ReviewAssignment.application).joinedload(Application.round),
            joinedload(ReviewAssignment.review),
        )
        .order_by(Round.closes_at.desc(), Round.id, Application.reference, Application.id)
    ).unique())


def next_step(assignment: ReviewAssignment) -> str:
    """What the reviewer does next: "declare", "score" or "submitted"."""
    if assignment.conflict is not ConflictStatus.NO_CONFLICT:
        return "declare"
    if assignment.review is not None and assignment.review.submitted_at is not None:
        return "submitted"
    return "score"


def panel_assignments(session: Session, application_id: int) -> list[ReviewAssignment]:
    """Every assignment of the application, standing ones first, with its reviewer, who made
    it and its review with scores (the review panel)."""
    return list(session.scalars(
        select(ReviewAssignment)
        .where(ReviewAssignment.application_id == application_id)
        .options(joinedload(ReviewAssignment.reviewer).options(*NAME_ONLY),
                 joinedload(ReviewAssignment.assigned_by).options(*NAME_ONLY),
                 joinedload(ReviewAssignment.review).selectinload(Review.scores))
        .order_by(ReviewAssignment.removed_at.is_not(None), ReviewAssignment.assigned_at,
                  ReviewAssignment.id)
    ).unique())


# --- What the reviewer may read -----------------------------------------------------------

def other_submitted_reviews(session: Session, assignment: ReviewAssignment
                            ) -> list[Review]:
    """The other reviewers' submitted reviews of the application (standing assignments)."""
    return list(session.scalars(
        select(Review)
        .join(Review.assignment)
        .where(ReviewAssignment.application_id == assignment.application_id,
               ReviewAssignment.id != assignment.id,
               ReviewAssignment.removed_at.is_(None),
               Review.submitted_at.is_not(None))
        .options(joinedload(Review.assignment).joinedload(ReviewAssignment.reviewer),
                 selectinload(Review.scores))
        .order_by(Review.submitted_at, Review.id)
    ).unique())
