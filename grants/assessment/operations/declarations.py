"""Reviewers' declarations of conflicts of interest, made before they see more of an
application than its organisation's name. A conflict ends the assignment and tells the staff
member who made it; no conflict opens the application to the reviewer."""

import logging

from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.assessment import notifications
from grants.assessment.models import ConflictStatus, ReviewAssignment
from grants.assessment.operations.kept_scores import refresh_score
from grants.assessment.operations.review_queries import MAX_NOTE, audit, ensure_being_assessed
from grants.auth import permissions
from grants.core import clock
from grants.core.errors import Conflict, NotFound, ValidationFailed, required_text

logger = logging.getLogger(__name__)

CONFLICT_REASON_PREFIX = "declared a conflict of interest: "


def declare(session: Session, reviewer: User, assignment: ReviewAssignment, *,
            has_conflict: bool | None, note: str = "") -> ReviewAssignment:
    """The reviewer's declaration. A conflict ends the assignment and tells the staff member
    who made it; no conflict opens the application to the reviewer."""
    if not permissions.may_review(reviewer, assignment):
        raise NotFound("Assignment not found")
    ensure_being_assessed(assignment.application)
    note = (note or "").strip()
    if assignment.conflict is ConflictStatus.NO_CONFLICT:
        if has_conflict is False:
            return assignment  # a repeated form: already declared
        raise Conflict("You have already declared that you have no conflict of interest")
    if has_conflict is None:
        raise ValidationFailed({"conflict": "Select whether you have a conflict of interest"})
    if has_conflict or note:  # a conflict needs its description; any description its limit
        note = required_text(note, "note", "Describe your conflict of interest", MAX_NOTE,
                             "Description")
    now = clock.utcnow()
    assignment.declared_at = now
    if not has_conflict:
        assignment.conflict = ConflictStatus.NO_CONFLICT
        session.flush()
        audit(session, reviewer, assignment.application_id, "review.no_conflict_declared",
              after={"assignment_id": assignment.id})
        return assignment
    assignment.conflict = ConflictStatus.CONFLICT
    assignment.conflict_note = note
    assignment.removed_at = now
    assignment.removal_reason = CONFLICT_REASON_PREFIX + note
    session.flush()
    refresh_score(session, assignment.application_id)
    audit(session, reviewer, assignment.application_id, "review.conflict_declared",
          after={"assignment_id": assignment.id, "note": note})
    notifications.conflict_declared(session, assignment, note)
    logger.info("assignment %s ended by a declared conflict", assignment.id)
    return assignment
