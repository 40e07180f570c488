"""Moderation: staff record the score they agreed for an application, which then ranks instead
of the mean of its reviewers' weighted scores; and what the moderation page shows."""

import logging
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, subqueryload

from grants.accounts.models import User
from grants.applications.models import Application
from grants.assessment.models import Moderation, Review, ReviewAssignment
from grants.assessment.operations.kept_scores import (
    NAME_ONLY,
    latest_moderations,
    refresh_score,
    round_criteria,
)
from grants.assessment.operations.ranking import RANKED_STATUSES
from grants.assessment.operations.scoring import (
    is_disagreement,
    mean,
    one_decimal,
    review_weighted_score,
    spread,
    tenths_text,
)
from grants.core import clock
from grants.core.problems import refuse_any, text_problem
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

MAX_MODERATION_REASON = 2000


@dataclass
class ReviewScore:
    """A submitted review with its weighted score."""

    review: Review
    assignment: ReviewAssignment
    score: Fraction

    @property
    def reviewer(self) -> User:
        return self.assignment.reviewer

    @property
    def score_text(self) -> str:
        return one_decimal(self.score)


def submitted_reviews_query():
    """Submitted reviews of standing assignments, with their reviewer and scores."""
    return (
        select(Review)
        .join(Review.assignment)
        .where(Review.submitted_at.is_not(None), ReviewAssignment.removed_at.is_(None))
        .options(
            joinedload(Review.assignment).joinedload(ReviewAssignment.reviewer)
            .options(*NAME_ONLY),
            # One query for every review's scores: selectinload would send one per 500
            # reviews, so a big round's ranking would grow with its size.
            subqueryload(Review.scores),
        )
        .order_by(Review.submitted_at, Review.id)
    )


def moderate(session: Session, user: User, application: Application, *,
             agreed_score_tenths: int | None, reason: str) -> Moderation:
    """Record the score staff agreed for the application; it ranks instead of the mean."""
    reason = (reason or "").strip()
    errors: dict[str, str | None] = {}
    if application.status not in RANKED_STATUSES:
        errors["agreed_score"] = ("Only an eligible application, or one in review, can have an "
                                  "agreed score")
    elif agreed_score_tenths is None:
        errors["agreed_score"] = "Enter the agreed score, like 72.5"
    elif not 0 <= agreed_score_tenths <= 1000:
        errors["agreed_score"] = "Agreed score must be a number from 0 to 100"
    errors["reason"] = text_problem(reason, "Enter why this is the agreed score",
                                    MAX_MODERATION_REASON, "Reason")
    refuse_any(errors)
    previous = latest_moderations(session, Application.id == application.id).get(application.id)
    moderation = Moderation(application_id=application.id,
                            agreed_score_tenths=agreed_score_tenths, reason=reason,
                            moderated_by_id=user.id, moderated_at=clock.utcnow())
    session.add(moderation)
    session.flush()
    refresh_score(session, application.id)
    record_event(
        session, actor_id=user.id, action="application.moderated",
        entity_type="application", entity_id=application.id,
        before={"agreed_score": tenths_text(previous.agreed_score_tenths)} if previous else None,
        after={"agreed_score": tenths_text(agreed_score_tenths), "reason": reason,
               "moderation_id": moderation.id},
    )
    logger.info("application %s moderated by user %s", application.id, user.id)
    return moderation


@dataclass
class ModerationSummary:
    """What the moderation page shows: the submitted reviews with their scores, their mean and
    spread, whether the reviewers disagree, and the latest agreed score."""

    reviews: list[ReviewScore]
    mean_text: str
    spread_text: str
    disagree: bool
    moderation: Moderation | None
    moderated_text: str


def moderation_summary(session: Session, application: Application) -> ModerationSummary:
    criteria = round_criteria(session, application.round_id)
    submitted = [
        ReviewScore(review=review, assignment=review.assignment,
                    score=review_weighted_score(review, criteria))
        for review in session.scalars(submitted_reviews_query().where(
            ReviewAssignment.application_id == application.id)).unique()
    ]
    values = [item.score for item in submitted]
    moderation = latest_moderations(
        session, Application.id == application.id).get(application.id)
    spread_value: Fraction | None = spread(values)
    return ModerationSummary(
        reviews=submitted, mean_text=one_decimal(mean(values)),
        spread_text=one_decimal(spread_value),
        disagree=is_disagreement(spread_value, application.round.disagreement_threshold),
        moderation=moderation,
        moderated_text=tenths_text(moderation.agreed_score_tenths) if moderation else "")
