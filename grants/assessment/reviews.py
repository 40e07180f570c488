"""Reviewers: assigning them (one at a time or in bulk), their declarations of conflicts of
interest, their scores and recommendations, and staff reopening a submitted review.

Rules kept here:
- only eligible or in-review applications get reviewers; the first one moves an eligible
  application into review;
- a reviewer is never assigned to an application of an organisation they belong to (or have
  asked to join), nor again to one on which they declared a conflict of interest;
- a reviewer declares before seeing more than the organisation's name; a conflict ends the
  assignment and tells the staff member who made it;
- a review is a draft until submitted, once; only staff reopen it, with a reason.
Every change writes an audit event against the application.
"""

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from grants.accounts.models import Role, User, UserRole
from grants.applications.models import Application, ApplicationStatus
from grants.assessment.models import (
    ConflictStatus,
    CriterionScore,
    Recommendation,
    Review,
    ReviewAssignment,
)
from grants.assessment.ranking import (
    one_decimal,
    refresh_score,
    review_weighted_score,
    round_criteria,
)
from grants.auth import permissions
from grants.core import clock
from grants.core.errors import Conflict, NotFound, Refusal, ValidationFailed
from grants.core.formatting import format_pounds
from grants.core.links import external_url
from grants.funds.models import Round, ScoringCriterion
from grants.organisations.models import Membership
from grants.records.operations.audit import record_event
from grants.records.operations.outbox import queue_email

logger = logging.getLogger(__name__)

ASSIGNABLE_STATUSES = (ApplicationStatus.ELIGIBLE, ApplicationStatus.IN_REVIEW)
MAX_REVIEWERS_PER_APPLICATION = 10
MAX_NOTE = 2000
MAX_COMMENT = 5000
CONFLICT_REASON_PREFIX = "declared a conflict of interest: "


def _audit(session: Session, actor: User, application_id: int, action: str, **kwargs) -> None:
    record_event(session, actor_id=actor.id, action=action, entity_type="application",
                 entity_id=application_id, **kwargs)


def _pounds(pence: int | None) -> str:
    return format_pounds(pence)


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


# --- Assigning ----------------------------------------------------------------------------

def _lock_round(session: Session, round_id: int) -> None:
    """Assignments in a round wait for each other (PostgreSQL; SQLite serialises writers)."""
    session.scalars(select(Round.id).where(Round.id == round_id).with_for_update()).one()


def _lock_application(session: Session, application: Application) -> ApplicationStatus:
    status = session.scalars(select(Application.status).where(
        Application.id == application.id).with_for_update()).one()
    if status is not application.status:
        session.refresh(application)
    return status


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


def _make_assignment(session: Session, staff: User, application: Application, reviewer: User,
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
    _audit(session, staff, application.id, "review.assigned", before=before,
           after={"assignment_id": assignment.id, "reviewer_id": reviewer.id,
                  "reviewer": reviewer.name, "bulk": bulk})
    if application.status is ApplicationStatus.ELIGIBLE:
        application.status = ApplicationStatus.IN_REVIEW
        session.flush()
        _audit(session, staff, application.id, "application.in_review",
               before={"status": ApplicationStatus.ELIGIBLE.value},
               after={"status": ApplicationStatus.IN_REVIEW.value})
    logger.info("reviewer %s assigned to application %s by user %s", reviewer.id,
                application.id, staff.id)
    return assignment


def assign_reviewer(session: Session, staff: User, application: Application,
                    reviewer: User) -> ReviewAssignment:
    """Assign one reviewer to one application; Refusal (on reviewer_id) says why not."""
    _lock_round(session, application.round_id)
    _lock_application(session, application)
    existing = _existing(session, application.id, reviewer.id)
    reason = why_not_assignable(reviewer, application, existing)
    if reason is not None:
        raise Refusal(reason, field="reviewer_id")
    return _make_assignment(session, staff, application, reviewer, existing, bulk=False)


@dataclass
class Shortfall:
    application: Application
    wanted: int
    given: int
    reasons: list[str]

    @property
    def text(self) -> str:
        return (f"{self.application.reference or 'No reference'} "
                f"({self.application.organisation.name}) has {self.given} of {self.wanted} "
                f"reviewers: " + "; ".join(self.reasons))


@dataclass
class BulkResult:
    made: int = 0
    shortfalls: list[Shortfall] = field(default_factory=list)
    applications: int = 0


@dataclass
class _RoundState:
    """What bulk assignment needs to know about a round, loaded in a few queries."""

    by_pair: dict[tuple[int, int], ReviewAssignment]
    load: dict[int, int]  # standing assignments per reviewer
    active: dict[int, int]  # standing assignments per application
    members: dict[int, set[int]]  # user ids by organisation id, any membership


def _round_state(session: Session, round_id: int, applications: list[Application]
                 ) -> _RoundState:
    assignments = session.scalars(
        select(ReviewAssignment)
        .join(Application, Application.id == ReviewAssignment.application_id)
        .where(Application.round_id == round_id)
    ).all()
    state = _RoundState(by_pair={(a.application_id, a.reviewer_id): a for a in assignments},
                        load=defaultdict(int), active=defaultdict(int),
                        members=defaultdict(set))
    for assignment in assignments:
        if assignment.removed_at is None:
            state.load[assignment.reviewer_id] += 1
            state.active[assignment.application_id] += 1
    organisation_ids = {application.organisation_id for application in applications}
    if organisation_ids:
        for organisation_id, user_id in session.execute(
            select(Membership.organisation_id, Membership.user_id)
            .where(Membership.organisation_id.in_(organisation_ids))
        ):
            state.members[organisation_id].add(user_id)
    return state


def _available(state: _RoundState, application: Application, candidates: list[User]
               ) -> tuple[list[User], dict[str, int]]:
    """The reviewers who may be given the application, least loaded first (then by name and
    id), and how many were left out for each reason."""
    excluded = {"members": 0, "conflict": 0, "removed": 0}
    available = []
    for reviewer in candidates:
        existing = state.by_pair.get((application.id, reviewer.id))
        if existing is not None and existing.removed_at is None:
            continue  # already reviewing it
        if reviewer.id in state.members[application.organisation_id]:
            excluded["members"] += 1
        elif existing is not None and existing.conflict is ConflictStatus.CONFLICT:
            excluded["conflict"] += 1
        elif existing is not None:
            excluded["removed"] += 1
        else:
            available.append(reviewer)
    available.sort(key=lambda r: (state.load[r.id], r.name, r.id))
    return available, excluded


def bulk_assign(session: Session, staff: User, round_: Round, per_application: int
                ) -> BulkResult:
    """Give every eligible or in-review application of the round `per_application` standing
    reviewers, choosing each time the least-loaded reviewer who may review it (ties by name,
    then id). Members of the organisation, reviewers who declared a conflict on it and
    reviewers staff removed from it are never chosen. One transaction: the caller commits."""
    if not 1 <= per_application <= MAX_REVIEWERS_PER_APPLICATION:
        raise ValidationFailed({"per_application": "Reviewers per application must be a "
                                f"whole number from 1 to {MAX_REVIEWERS_PER_APPLICATION}"})
    _lock_round(session, round_.id)
    applications = assignable_applications(session, round_.id)
    candidates = reviewers(session)
    state = _round_state(session, round_.id, applications)
    result = BulkResult(applications=len(applications))
    for application in applications:
        need = per_application - state.active[application.id]
        if need <= 0:
            continue
        available, excluded = _available(state, application, candidates)
        for reviewer in available[:need]:
            state.by_pair[(application.id, reviewer.id)] = _make_assignment(
                session, staff, application, reviewer, None, bulk=True)
            state.load[reviewer.id] += 1
            state.active[application.id] += 1
            result.made += 1
        if len(available) < need:
            result.shortfalls.append(Shortfall(
                application=application, wanted=per_application,
                given=state.active[application.id],
                reasons=_shortfall_reasons(len(candidates), excluded)))
    _audit_bulk(session, staff, round_, per_application, result)
    return result


def _shortfall_reasons(candidates: int, excluded: dict[str, int]) -> list[str]:
    reasons = []
    if candidates == 0:
        return ["there are no reviewers: give people the reviewer role first"]
    if excluded["members"]:
        reasons.append(_count(excluded["members"], "reviewer is a member",
                              "reviewers are members") + " of the organisation")
    if excluded["conflict"]:
        reasons.append(_count(excluded["conflict"], "reviewer", "reviewers")
                       + " declared a conflict of interest")
    if excluded["removed"]:
        reasons.append(_count(excluded["removed"], "reviewer was", "reviewers were")
                       + " removed from it by staff (assign them again one by one if needed)")
    reasons.append("there are not enough other reviewers")
    return reasons


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def _audit_bulk(session: Session, staff: User, round_: Round, per_application: int,
                result: BulkResult) -> None:
    record_event(session, actor_id=staff.id, action="round.reviewers_bulk_assigned",
                 entity_type="round", entity_id=round_.id,
                 after={"per_application": per_application, "made": result.made,
                        "short": [s.application.id for s in result.shortfalls]})


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
    _audit(session, staff, assignment.application_id, "review.assignment_removed",
           after={"assignment_id": assignment.id, "reviewer_id": assignment.reviewer_id,
                  "reason": reason})
    logger.info("assignment %s removed by user %s", assignment.id, staff.id)
    return assignment


# --- Loading assignments ------------------------------------------------------------------

def get_assignment(session: Session, assignment_id: int) -> ReviewAssignment:
    """The assignment with its application, organisation, round, reviewer and review."""
    assignment = session.scalars(
        select(ReviewAssignment)
        .where(ReviewAssignment.id == assignment_id)
        .options(
            joinedload(ReviewAssignment.application).joinedload(Application.organisation),
            joinedload(ReviewAssignment.application).joinedload(Application.round),
            joinedload(ReviewAssignment.reviewer),
            joinedload(ReviewAssignment.assigned_by),
            joinedload(ReviewAssignment.review).selectinload(Review.scores),
        )
    ).unique().one_or_none()
    if assignment is None:
        raise NotFound("Assignment not found")
    return assignment


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


# --- Declaring ----------------------------------------------------------------------------

def declare(session: Session, reviewer: User, assignment: ReviewAssignment, *,
            has_conflict: bool | None, note: str = "") -> ReviewAssignment:
    """The reviewer's declaration. A conflict ends the assignment and tells the staff member
    who made it; no conflict opens the application to the reviewer."""
    if not permissions.may_review(reviewer, assignment):
        raise NotFound("Assignment not found")
    _ensure_being_assessed(assignment.application)
    note = (note or "").strip()
    if assignment.conflict is ConflictStatus.NO_CONFLICT:
        if has_conflict is False:
            return assignment  # a repeated form: already declared
        raise Conflict("You have already declared that you have no conflict of interest")
    if has_conflict is None:
        raise ValidationFailed({"conflict": "Select whether you have a conflict of interest"})
    if has_conflict and not note:
        raise ValidationFailed({"note": "Describe your conflict of interest"})
    if len(note) > MAX_NOTE:
        raise ValidationFailed({"note": f"Description must be {MAX_NOTE} characters or fewer"})
    now = clock.utcnow()
    assignment.declared_at = now
    if not has_conflict:
        assignment.conflict = ConflictStatus.NO_CONFLICT
        session.flush()
        _audit(session, reviewer, assignment.application_id, "review.no_conflict_declared",
               after={"assignment_id": assignment.id})
        return assignment
    assignment.conflict = ConflictStatus.CONFLICT
    assignment.conflict_note = note
    assignment.removed_at = now
    assignment.removal_reason = CONFLICT_REASON_PREFIX + note
    session.flush()
    refresh_score(session, assignment.application_id)
    _audit(session, reviewer, assignment.application_id, "review.conflict_declared",
           after={"assignment_id": assignment.id, "note": note})
    _tell_staff_of_conflict(session, assignment, note)
    logger.info("assignment %s ended by a declared conflict", assignment.id)
    return assignment


def _tell_staff_of_conflict(session: Session, assignment: ReviewAssignment, note: str) -> None:
    application = assignment.application
    staff = assignment.assigned_by
    body = (
        f"{assignment.reviewer.name} has declared a conflict of interest on "
        f"{application.organisation.name}'s application {application.reference} to "
        f"{application.round.title}, so they are no longer reviewing it.\n\n"
        f"What they said: {note}\n\n"
        "You may want to assign another reviewer:\n"
        f"{external_url('assessment.manage_reviewers', round_id=application.round_id)}\n\n"
        "Office of the Police and Crime Commissioner for Thames Valley\n"
    )
    queue_email(session, to_address=staff.email,
                subject=f"Conflict of interest declared on {application.reference}",
                body_text=body, idempotency_key=f"review-conflict:{assignment.id}:"
                f"{assignment.declared_at.isoformat()}")


# --- Scoring ------------------------------------------------------------------------------

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
        return {"recommended_amount": f"Amount must be at least {_pounds(minimum)}, the "
                                      "round's minimum award"}
    if requested is not None and amount >= requested:
        return {"recommended_amount": f"Amount must be less than the {_pounds(requested)} "
                                      "requested: to recommend the full amount, choose Fund"}
    return {}


def _ensure_being_assessed(application: Application) -> None:
    if application.status not in ASSIGNABLE_STATUSES:
        raise Refusal("This application is no longer being assessed, so it cannot be "
                          "reviewed")


def _ensure_may_score(reviewer: User, assignment: ReviewAssignment) -> None:
    if not permissions.may_review(reviewer, assignment):
        raise NotFound("Assignment not found")
    _ensure_being_assessed(assignment.application)
    if assignment.conflict is not ConflictStatus.NO_CONFLICT:
        raise Refusal("Declare whether you have a conflict of interest before you score "
                          "this application")


def _lock_review(session: Session, assignment: ReviewAssignment) -> Review:
    """The assignment's review, created when it has none, locked against a second request."""
    session.scalars(select(ReviewAssignment.id).where(
        ReviewAssignment.id == assignment.id).with_for_update()).one()
    review = session.scalars(select(Review).where(
        Review.assignment_id == assignment.id).options(selectinload(Review.scores))
    ).one_or_none()
    if review is None:
        review = Review(assignment_id=assignment.id, updated_at=clock.utcnow())
        session.add(review)
        session.flush()
    session.refresh(assignment, ["review"])
    return review


def save_review(session: Session, reviewer: User, assignment: ReviewAssignment,
                answers: ReviewAnswers, *, submit: bool) -> Review:
    """Save the reviewer's answers as a draft, or submit them (once: a second submission
    changes nothing). ValidationFailed says what is missing or wrong, by field."""
    _ensure_may_score(reviewer, assignment)
    review = _lock_review(session, assignment)
    if review.submitted_at is not None:
        if submit:
            return review  # already submitted: a double click or a resent form
        raise Conflict("You have submitted this review, so it can no longer change")
    application = assignment.application
    round_ = application.round
    criteria = round_criteria(session, round_.id)
    errors = check_answers(answers, criteria, application, round_, complete=submit)
    if errors:
        raise ValidationFailed(errors)
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
    _audit(session, reviewer, application.id,
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
    session.scalars(select(Review.id).where(Review.id == review.id).with_for_update()).one()
    session.refresh(review, ["submitted_at"])
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
    _audit(session, staff, assignment.application_id, "review.reopened", before=before,
           after={"review_id": review.id, "assignment_id": assignment.id, "reason": reason})
    _tell_reviewer_of_reopening(session, assignment, reason, now)
    logger.info("review %s reopened by user %s", review.id, staff.id)
    return review


def _tell_reviewer_of_reopening(session: Session, assignment: ReviewAssignment, reason: str,
                                moment) -> None:
    application = assignment.application
    body = (
        f"Your review of {application.organisation.name}'s application "
        f"{application.reference} to {application.round.title} has been reopened by the "
        "grants team, so you can change it and submit it again.\n\n"
        f"Why: {reason}\n\n"
        f"{external_url('assessment.review_application', assignment_id=assignment.id)}\n\n"
        "Office of the Police and Crime Commissioner for Thames Valley\n"
    )
    queue_email(session, to_address=assignment.reviewer.email,
                subject=f"Your review of {application.reference} has been reopened",
                body_text=body,
                idempotency_key=f"review-reopened:{assignment.id}:{moment.isoformat()}")


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
