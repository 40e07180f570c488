"""Reviews: a reviewer's scores and recommendation, a draft until submitted, once; and staff
reopening a submitted review, with a reason the reviewer is told. Every change writes an audit
event against the application."""

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from grants.accounts.models import User
from grants.applications.models import Application
from grants.assessment import notifications
from grants.assessment.models import (
    ConflictStatus,
    CriterionScore,
    Recommendation,
    Review,
    ReviewAssignment,
)
from grants.assessment.operations.kept_scores import refresh_score, round_criteria
from grants.assessment.operations.review_queries import MAX_NOTE, audit, ensure_being_assessed
from grants.assessment.operations.scoring import one_decimal, review_weighted_score
from grants.auth import permissions
from grants.core import clock
from grants.core.errors import Conflict, NotFound, Refusal, ValidationFailed
from grants.core.locks import lock_row
from grants.core.money import format_pounds
from grants.funds.models import Round, ScoringCriterion

logger = logging.getLogger(__name__)

MAX_COMMENT = 5000


@dataclass
class CriterionAnswer:
    score: int | None = None
    comment: str = ""


@dataclass
class ReviewAnswers:
    """What the reviewer typed, already parsed to types (the form did that)."""

    scores: dict[int, CriterionAnswer] = field(default_factory=dict)  # by criterion id
    recommendation: Recommendation | None = None
    recommended_amount_pence: int | None = None
    comment: str = ""


def score_field(criterion_id: int) -> str:
    return f"score_{criterion_id}"


def comment_field(criterion_id: int) -> str:
    return f"comment_{criterion_id}"


def check_answers(answers: ReviewAnswers, criteria: Sequence[ScoringCriterion],
                  application: Application, round_: Round, *, complete: bool
                  ) -> dict[str, str]:
    """The problems with the answers, by form field. A draft (complete=False) may leave things
    out but not give a score outside the range; a submission must answer everything, with a
    comment on every score of 0 or the maximum."""
    errors: dict[str, str] = {}
    for criterion in criteria:
        errors.update(_check_criterion(criterion, answers.scores.get(criterion.id)
                                       or CriterionAnswer(), complete=complete))
    errors.update(_check_recommendation(answers, application, round_, complete=complete))
    if complete and not answers.comment:
        errors["comment"] = "Enter your overall comment"
    if len(answers.comment) > MAX_COMMENT:
        errors["comment"] = f"Overall comment must be {MAX_COMMENT:,} characters or fewer"
    return errors


def _check_criterion(criterion: ScoringCriterion, answer: CriterionAnswer, *,
                     complete: bool) -> dict[str, str]:
    errors: dict[str, str] = {}
    score_name, comment_name = score_field(criterion.id), comment_field(criterion.id)
    if answer.score is None:
        if complete:
            errors[score_name] = f"Enter a score for {criterion.name}"
    elif not 0 <= answer.score <= criterion.max_score:
        errors[score_name] = (f"Score for {criterion.name} must be a whole number from 0 "
                              f"to {criterion.max_score}")
    elif complete and answer.score in (0, criterion.max_score) and not answer.comment:
        errors[comment_name] = (f"Explain a score of {answer.score} for {criterion.name}: "
                                f"a comment is needed at 0 and at {criterion.max_score}")
    if len(answer.comment) > MAX_COMMENT:
        errors[comment_name] = f"Comment must be {MAX_COMMENT:,} characters or fewer"
    return errors


def _check_recommendation(answers: ReviewAnswers, application: Application, round_: Round,
                          *, complete: bool) -> dict[str, str]:
    recommendation = answers.recommendation
    amount = answers.recommended_amount_pence
    if recommendation is None:
        return {"recommendation": "Select your recommendation"} if complete else {}
    if recommendation is not Recommendation.FUND_IN_PART:
        return {}
    requested = application.amount_requested_pence
    minimum = round_.min_award_pence or 1
    if amount is None:
        return ({"recommended_amount": "Enter the amount you recommend, in pounds"}
                if complete else {})
    if amount < minimum:
        return {"recommended_amount": f"Amount must be at least {format_pounds(minimum)}, the "
                                      "round's minimum award"}
    if requested is not None and amount >= requested:
        return {"recommended_amount": f"Amount must be less than the {format_pounds(requested)} "
                                      "requested: to recommend the full amount, choose Fund"}
    return {}


def _ensure_may_score(reviewer: User, assignment: ReviewAssignment) -> None:
    if not permissions.may_review(reviewer, assignment):
        raise NotFound("Assignment not found")
    ensure_being_assessed(assignment.application)
    if assignment.conflict is not ConflictStatus.NO_CONFLICT:
        raise Refusal("Declare whether you have a conflict of interest before you score "
                          "this application")


def _locked_review(session: Session, assignment: ReviewAssignment) -> Review | None:
    """The assignment's review (None before its first save), locked against a second request."""
    lock_row(session, ReviewAssignment, assignment.id)
    return session.scalars(select(Review).where(
        Review.assignment_id == assignment.id).options(selectinload(Review.scores))
    ).one_or_none()


def _new_review(session: Session, assignment: ReviewAssignment) -> Review:
    review = Review(assignment_id=assignment.id, updated_at=clock.utcnow())
    session.add(review)
    session.flush()
    return review


def save_review(session: Session, reviewer: User, assignment: ReviewAssignment,
                answers: ReviewAnswers, *, submit: bool) -> Review:
    """Save the reviewer's answers as a draft, or submit them (once: a second submission
    changes nothing). ValidationFailed says what is missing or wrong, by field."""
    _ensure_may_score(reviewer, assignment)
    review = _locked_review(session, assignment)
    if review is not None and review.submitted_at is not None:
        if submit:
            return review  # already submitted: a double click or a resent form
        raise Conflict("You have submitted this review, so it can no longer change")
    application = assignment.application
    round_ = application.round
    criteria = round_criteria(session, round_.id)
    errors = check_answers(answers, criteria, application, round_, complete=submit)
    if errors:
        raise ValidationFailed(errors)
    # Created only once the answers pass, so a refused first save leaves no review behind.
    if review is None:
        review = _new_review(session, assignment)
    session.refresh(assignment, ["review"])
    existing = {score.criterion_id: score for score in review.scores}
    for criterion in criteria:
        answer = answers.scores.get(criterion.id) or CriterionAnswer()
        row = existing.get(criterion.id)
        if row is None:
            row = CriterionScore(criterion_id=criterion.id)
            review.scores.append(row)
        row.score = answer.score
        row.comment = answer.comment
    review.recommendation = answers.recommendation
    review.recommended_amount_pence = (answers.recommended_amount_pence
                                       if answers.recommendation is Recommendation.FUND_IN_PART
                                       else None)
    review.comment = answers.comment
    now = clock.utcnow()
    review.updated_at = now
    if submit:
        review.submitted_at = now
        score = review_weighted_score(review, criteria)
        review.score_numerator, review.score_denominator = score.numerator, score.denominator
    session.flush()
    if submit:
        refresh_score(session, application.id)
    described = describe_review(review, criteria)
    audit(session, reviewer, application.id,
          "review.submitted" if submit else "review.draft_saved",
          after={"assignment_id": assignment.id, **described})
    if submit:
        logger.info("review %s submitted for application %s", review.id, application.id)
    return review


def describe_review(review: Review, criteria: Sequence[ScoringCriterion]) -> dict:
    """What the audit trail records about a review's answers."""
    scores = {score.criterion_id: score for score in review.scores}
    complete = all(scores.get(c.id) is not None and scores[c.id].score is not None
                   for c in criteria) and bool(criteria)
    return {
        "review_id": review.id,
        "scores": {str(c.id): {"score": scores[c.id].score, "comment": scores[c.id].comment}
                   for c in criteria if c.id in scores},
        "weighted_score": one_decimal(review_weighted_score(review, criteria))
        if complete else None,
        "recommendation": review.recommendation.value if review.recommendation else None,
        "recommended_amount_pence": review.recommended_amount_pence,
        "comment": review.comment,
    }


def reopen_review(session: Session, staff: User, review: Review, reason: str) -> Review:
    """Staff send a submitted review back to its reviewer, with a reason they are told."""
    if not permissions.may_manage_reviews(staff):
        raise NotFound("Review not found")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": "Enter why you are reopening this review"})
    if len(reason) > MAX_NOTE:
        raise ValidationFailed({"reason": f"Reason must be {MAX_NOTE} characters or fewer"})
    review = lock_row(session, Review, review.id)
    if review.submitted_at is None:
        raise Conflict("This review is not submitted, so there is nothing to reopen")
    if review.assignment.removed_at is not None:
        raise Conflict("This reviewer has been removed from the application, so their review "
                       "cannot be reopened")
    before = {"submitted_at": review.submitted_at.isoformat()}
    now = clock.utcnow()
    review.submitted_at = None
    review.score_numerator = review.score_denominator = None
    review.reopened_at = now
    review.reopened_by_id = staff.id
    review.reopen_reason = reason
    session.flush()
    refresh_score(session, review.assignment.application_id)
    assignment = review.assignment
    audit(session, staff, assignment.application_id, "review.reopened", before=before,
          after={"review_id": review.id, "assignment_id": assignment.id, "reason": reason})
    notifications.review_reopened(session, assignment, reason, now)
    logger.info("review %s reopened by user %s", review.id, staff.id)
    return review
