"""The score each application keeps for the ranking, beside it in `application_score`.

Every write that changes an application's submitted reviews (of standing assignments) or its
latest agreed score calls `refresh_score` in its own transaction, so that the database can sort
a round on the kept ranking key and the kept score never differs from what the reviews say.
"""

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, lazyload

from grants.accounts.models import User
from grants.applications.models import Application
from grants.assessment.models import ApplicationScore, Moderation, Review, ReviewAssignment
from grants.funds.models import ScoringCriterion

# People shown by name only: their roles and memberships (loaded eagerly for the signed-in
# user) are not needed.
NAME_ONLY = (lazyload(User.role_rows), lazyload(User.memberships))


@dataclass(frozen=True)
class ReviewTotals:
    """An application's submitted reviews' weighted scores, each a whole number over the
    denominator the ranking shares: how many, their total, the lowest and the highest."""

    count: int = 0
    total: int = 0
    lowest: int = 0
    highest: int = 0


NO_REVIEWS = ReviewTotals()


def totals_over(scores: Sequence[Fraction]) -> tuple[int, ReviewTotals]:
    """Review scores as whole numbers over their least common denominator (returned first):
    what the kept totals hold, worked out from the scores themselves (the scale benchmark's
    seeder writes its totals with it, as the service's reviews do)."""
    if not scores:
        return 1, NO_REVIEWS
    scale = math.lcm(*(score.denominator for score in scores))
    return scale, _totals([score.numerator * (scale // score.denominator) for score in scores])


def _totals(whole: Sequence[int]) -> ReviewTotals:
    return ReviewTotals(len(whole), sum(whole), min(whole), max(whole))


def latest_moderations(session: Session, application_filter) -> dict[int, Moderation]:
    """The latest moderation of each application the filter selects, by application id."""
    latest: dict[int, Moderation] = {}
    rows = session.scalars(
        select(Moderation)
        .join(Application, Application.id == Moderation.application_id)
        .where(application_filter)
        .options(joinedload(Moderation.moderated_by).options(*NAME_ONLY))
        .order_by(Moderation.moderated_at, Moderation.id)
    ).all()
    for moderation in rows:
        latest[moderation.application_id] = moderation
    return latest


def round_criteria(session: Session, round_id: int) -> list[ScoringCriterion]:
    return list(session.scalars(
        select(ScoringCriterion).where(ScoringCriterion.round_id == round_id)
        .order_by(ScoringCriterion.position)))


def review_totals(session: Session, application_filter
                  ) -> tuple[int, dict[int, ReviewTotals]]:
    """The weighted scores of the submitted reviews of standing assignments, for the
    applications the filter selects: one denominator (returned first), and by application id
    the count, total, lowest and highest of the scores as whole numbers over it.

    Each submitted review keeps its exact score (Review.score_numerator ÷ score_denominator,
    in lowest terms), so this reads one row of three integers a review. Over the least common
    multiple of their denominators each score is a whole number, and the ranking works in
    integers."""
    rows = session.connection().execute(
        select(ReviewAssignment.application_id, Review.score_numerator, Review.score_denominator)
        .select_from(Review)
        .join(ReviewAssignment, ReviewAssignment.id == Review.assignment_id)
        .join(Application, Application.id == ReviewAssignment.application_id)
        # No order: the count, total, lowest and highest do not depend on it.
        .where(Review.submitted_at.is_not(None), ReviewAssignment.removed_at.is_(None),
               application_filter)).all()
    common = math.lcm(*{denominator for _, _, denominator in rows}) if rows else 1
    scores: dict[int, list[int]] = defaultdict(list)
    for application_id, numerator, denominator in rows:
        scores[application_id].append(numerator * (common // denominator))
    return common, {application_id: _totals(found) for application_id, found in scores.items()}


# The most submitted reviews an application can have for its mean to be a whole number times
# the round's ranking multiple (which includes every count up to this); past it, the round is
# ranked in Python.
MOST_REVIEWS_KEYED = 12
_COUNTS_MULTIPLE = math.lcm(*range(1, MOST_REVIEWS_KEYED + 1))
# Keys stay well within a signed 64-bit column.
KEY_LIMIT = 2 ** 62


def ranking_multiple(criteria: Sequence[ScoringCriterion]) -> int:
    """The round's multiple that makes each ranking score a whole number: a complete review's
    weighted score is a whole number over lcm(maximum scores) × Σ weights, an agreed score one
    over 10, and a mean one over the review count times that."""
    scale = (math.lcm(*(c.max_score for c in criteria)) * sum(c.weight for c in criteria)
             if criteria else 1)
    return scale * 10 * _COUNTS_MULTIPLE


def score_values(scale: int, totals: ReviewTotals, agreed_tenths: int | None,
                 multiple: int) -> dict[str, Any]:
    """The ApplicationScore columns for these review totals (whole numbers over `scale`) and
    this agreed score."""
    if agreed_tenths is not None:
        ranked: Fraction | None = Fraction(agreed_tenths, 10)
    else:
        ranked = Fraction(totals.total, scale * totals.count) if totals.count else None
    key = None if ranked is None else ranked * multiple
    exact = key is None or (key.denominator == 1 and abs(key.numerator) < KEY_LIMIT)
    return {"review_count": totals.count, "score_scale": scale, "score_total": totals.total,
            "score_lowest": totals.lowest, "score_highest": totals.highest,
            "ranking_key": key.numerator if key is not None and exact else None,
            "ranking_multiple": multiple, "key_exact": exact}


def refresh_score(session: Session, application_id: int) -> None:
    """Write the application's kept score from its submitted reviews of standing assignments
    and its latest agreed score. Every write that changes either calls this in its own
    transaction, so the kept score never differs from what the reviews say."""
    round_id = session.scalar(select(Application.round_id)
                              .where(Application.id == application_id))
    this_one = Application.id == application_id
    scale, totals = review_totals(session, this_one)
    moderation = latest_moderations(session, this_one).get(application_id)
    values = score_values(scale, totals.get(application_id, NO_REVIEWS),
                          moderation.agreed_score_tenths if moderation else None,
                          ranking_multiple(round_criteria(session, round_id)))
    values["moderation_id"] = moderation.id if moderation else None
    kept = session.get(ApplicationScore, application_id)
    if kept is None:
        session.add(ApplicationScore(application_id=application_id, **values))
    else:
        for name, value in values.items():
            setattr(kept, name, value)
    session.flush()
