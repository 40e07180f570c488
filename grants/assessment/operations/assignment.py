"""Assigning one reviewer to one application, and removing a reviewer.

Rules kept here:
- only eligible or in-review applications get reviewers; the first one moves an eligible
  application into review;
- a reviewer is never assigned to an application of an organisation they belong to (or have
  asked to join), nor again to one on which they declared a conflict of interest.
Every change writes an audit event against the application.
"""

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.applications.models import Application, ApplicationStatus
from grants.assessment.models import ConflictStatus, ReviewAssignment
from grants.assessment.operations.kept_scores import refresh_score
from grants.assessment.operations.review_queries import ASSIGNABLE_STATUSES, MAX_NOTE, audit
from grants.auth import permissions
from grants.core import clock
from grants.core.errors import Conflict, Refusal, ValidationFailed
from grants.core.locks import lock_row
from grants.funds.models import Round

logger = logging.getLogger(__name__)


def why_not_assignable(reviewer: User, application: Application,
                       existing: ReviewAssignment | None) -> str | None:
    """Why the reviewer cannot be assigned to the application, or None when they can."""
    if application.status not in ASSIGNABLE_STATUSES:
        return "Only an eligible application, or one already in review, can have reviewers"
    if not permissions.is_reviewer(reviewer):
        return f"{reviewer.name} is not a reviewer"
    if not reviewer.is_active:
        return f"{reviewer.name}'s account is closed"
    if permissions.belongs_to_organisation(reviewer, application.organisation_id):
        return (f"{reviewer.name} is a member of {application.organisation.name}, so cannot "
                "review its application")
    if existing is not None and existing.conflict is ConflictStatus.CONFLICT:
        return f"{reviewer.name} declared a conflict of interest on this application"
    if existing is not None and existing.removed_at is None:
        return f"{reviewer.name} is already reviewing this application"
    return None


def _existing(session: Session, application_id: int, reviewer_id: int
              ) -> ReviewAssignment | None:
    return session.scalars(select(ReviewAssignment).where(
        ReviewAssignment.application_id == application_id,
        ReviewAssignment.reviewer_id == reviewer_id)).one_or_none()


def make_assignment(session: Session, staff: User, application: Application, reviewer: User,
                     existing: ReviewAssignment | None, *, bulk: bool) -> ReviewAssignment:
    now = clock.utcnow()
    if existing is None:
        assignment = ReviewAssignment(application_id=application.id, reviewer_id=reviewer.id,
                                      assigned_by_id=staff.id, assigned_at=now)
        session.add(assignment)
        before = None
    else:
        # Assigned again after staff removed them: a fresh start, declaration included. Any
        # review they wrote stays, as a draft or as submitted.
        assignment = existing
        before = {"removed_at": existing.removed_at.isoformat() if existing.removed_at else None,
                  "removal_reason": existing.removal_reason}
        assignment.assigned_by_id = staff.id
        assignment.assigned_at = now
        assignment.removed_at = None
        assignment.removal_reason = ""
        assignment.conflict = ConflictStatus.UNDECLARED
        assignment.conflict_note = ""
        assignment.declared_at = None
    session.flush()
    if existing is not None:
        refresh_score(session, application.id)  # a review they submitted counts again
    audit(session, staff, application.id, "review.assigned", before=before,
          after={"assignment_id": assignment.id, "reviewer_id": reviewer.id,
                 "reviewer": reviewer.name, "bulk": bulk})
    if application.status is ApplicationStatus.ELIGIBLE:
        application.status = ApplicationStatus.IN_REVIEW
        session.flush()
        audit(session, staff, application.id, "application.in_review",
              before={"status": ApplicationStatus.ELIGIBLE.value},
              after={"status": ApplicationStatus.IN_REVIEW.value})
    logger.info("reviewer %s assigned to application %s by user %s", reviewer.id,
                application.id, staff.id)
    return assignment


def assign_reviewer(session: Session, staff: User, application: Application,
                    reviewer: User) -> ReviewAssignment:
    """Assign one reviewer to one application; Refusal (on reviewer_id) says why not."""
    # Assignments in a round wait for each other, and see the application as it is now.
    lock_row(session, Round, application.round_id)
    lock_row(session, Application, application.id)
    existing = _existing(session, application.id, reviewer.id)
    reason = why_not_assignable(reviewer, application, existing)
    if reason is not None:
        raise Refusal(reason, field="reviewer_id")
    return make_assignment(session, staff, application, reviewer, existing, bulk=False)


def remove_assignment(session: Session, staff: User, assignment: ReviewAssignment,
                      reason: str) -> ReviewAssignment:
    """End an assignment, with a reason; the reviewer loses access at once."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": "Enter why you are removing this reviewer"})
    if len(reason) > MAX_NOTE:
        raise ValidationFailed({"reason": f"Reason must be {MAX_NOTE} characters or fewer"})
    if assignment.removed_at is not None:
        raise Conflict("This reviewer has already been removed from the application")
    assignment.removed_at = clock.utcnow()
    assignment.removal_reason = reason
    session.flush()
    refresh_score(session, assignment.application_id)
    audit(session, staff, assignment.application_id, "review.assignment_removed",
          after={"assignment_id": assignment.id, "reviewer_id": assignment.reviewer_id,
                 "reason": reason})
    logger.info("assignment %s removed by user %s", assignment.id, staff.id)
    return assignment
