"""The arithmetic of scores, and a round's ranking.

A review's weighted score is Σ(weight × score ÷ maximum) ÷ Σ weight, as a percentage. The
arithmetic is exact (fractions), so the order of criteria or reviews never changes a result;
values are rounded half up to one decimal place only to be shown or stored (a moderated score
is stored in tenths of a point).

The ranking orders a round's eligible and in-review applications by their ranking score: the
latest moderated score where staff recorded one, otherwise the mean of the submitted reviews'
weighted scores, compared before rounding, highest first. Equal scores rank the application
submitted earlier first, then by reference. Applications without a submitted review (and no
moderated score) come last, in the same tie order. Reviews count only while their assignment
stands: a reviewer removed by staff no longer counts.
"""

import logging
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction

from sqlalchemy import BigInteger, case, cast, func, null, select
from sqlalchemy.orm import Session, joinedload, lazyload, subqueryload

from grants import clock
from grants.accounts.models import User
from grants.applications.models import Application, ApplicationStatus
from grants.assessment.models import CriterionScore, Moderation, Review, ReviewAssignment
from grants.errors import NotFound, ValidationFailed
from grants.funds.models import Round, ScoringCriterion
from grants.organisations.models import Organisation
from grants.plans.models import Priority
from grants.records.services import record_event

logger = logging.getLogger(__name__)

HUNDRED = Fraction(100)
RANKED_STATUSES = (ApplicationStatus.ELIGIBLE, ApplicationStatus.IN_REVIEW)
TIE_BREAK_TEXT = ("Applications are ranked by their score, highest first: the agreed score "
                  "where staff moderated it, otherwise the mean of the reviewers' weighted "
                  "scores, compared before rounding. Applications with equal scores are "
                  "ranked by when they were submitted, earliest first, then by reference. "
                  "Applications with no submitted review are ranked last.")
MAX_MODERATION_REASON = 2000
# Rows of the ranking shown a page at a time: a national round ranks thousands.
RANKING_PAGE_SIZE = 100


# --- Pure arithmetic ----------------------------------------------------------------------

@dataclass(frozen=True)
class Part:
    """One criterion's share of a review: its weight, its maximum and the score given."""

    weight: int
    max_score: int
    score: int


def weighted_score(parts: Iterable[Part | tuple[int, int, int]]) -> Fraction:
    """The review's weighted score as an exact percentage from 0 to 100.

    Each part is (weight, max_score, score) with weight > 0, max_score > 0 and
    0 ≤ score ≤ max_score; anything else is a ValueError, as is a review with no parts.
    """
    numerator = Fraction(0)
    total_weight = 0
    for part in parts:
        weight, max_score, score = (part.weight, part.max_score, part.score) \
            if isinstance(part, Part) else part
        if weight <= 0 or max_score <= 0:
            raise ValueError("weights and maximum scores must be greater than 0")
        if not 0 <= score <= max_score:
            raise ValueError(f"score {score} is outside 0 to {max_score}")
        numerator += Fraction(weight * score, max_score)
        total_weight += weight
    if total_weight == 0:
        raise ValueError("a weighted score needs at least one criterion")
    return HUNDRED * numerator / total_weight


def mean(values: Sequence[Fraction]) -> Fraction | None:
    """The exact mean, or None when there are no values."""
    if not values:
        return None
    # In integers over a common denominator: a national ranking takes thousands of means.
    denominator = math.lcm(*(value.denominator for value in values))
    numerator = sum(value.numerator * (denominator // value.denominator) for value in values)
    return Fraction(numerator, denominator * len(values))


def spread(values: Sequence[Fraction]) -> Fraction | None:
    """Highest minus lowest, or None when there are no values."""
    if not values:
        return None
    denominator = math.lcm(*(value.denominator for value in values))
    numerators = [value.numerator * (denominator // value.denominator) for value in values]
    return Fraction(max(numerators) - min(numerators), denominator)


def to_tenths(value: Fraction) -> int:
    """The value in tenths, rounded half up: 73.45 is 735, 73.44 is 734 (for the
    percentages here, which are never negative)."""
    # floor(n/d × 10 + 1/2) in integers.
    return (20 * value.numerator + value.denominator) // (2 * value.denominator)


def one_decimal(value: Fraction | None) -> str:
    """The value as people read it, to one decimal place: "73.5"; "" for None."""
    if value is None:
        return ""
    return tenths_text(to_tenths(value))


def tenths_text(tenths: int) -> str:
    sign = "-" if tenths < 0 else ""
    whole, rest = divmod(abs(tenths), 10)
    return f"{sign}{whole}.{rest}"


def parse_score_tenths(text: str | None) -> int:
    """An agreed score typed by staff ("73.5", "80") as tenths, or ValueError with a message."""
    value = (text or "").strip().removesuffix("%").strip()
    if not value:
        raise ValueError("Enter the agreed score, like 72.5")
    whole, dot, decimals = value.partition(".")
    if not whole.isdigit() or (dot and (len(decimals) != 1 or not decimals.isdigit())) \
            or len(whole) > 3:
        raise ValueError("Agreed score must be a number from 0 to 100 with at most one "
                         "decimal place, like 72.5")
    tenths = int(whole) * 10 + (int(decimals) if dot else 0)
    if tenths > 1000:
        raise ValueError("Agreed score must be a number from 0 to 100 with at most one "
                         "decimal place, like 72.5")
    return tenths


def is_disagreement(spread_value: Fraction | None, threshold: int) -> bool:
    """Reviewers disagree when their scores, as shown to one decimal place, are at least the
    threshold apart: a spread shown as 25.0 is flagged by a threshold of 25."""
    return spread_value is not None and to_tenths(spread_value) >= threshold * 10


@dataclass(frozen=True)
class Scored:
    """What ranks one application: its score (None without one), submitted time, reference."""

    key: object
    score: Fraction | None
    submitted_at: datetime | None
    reference: str


def rank_order(items: Iterable[Scored]) -> list[Scored]:
    """Highest score first; equal scores by earlier submission, then reference; no score last."""
    items = list(items)
    earliest = datetime.min.replace(tzinfo=clock.LONDON)
    # Every score as a whole number over one common denominator, so the sort compares
    # integers, exactly, instead of fractions: a national ranking sorts thousands.
    denominators = {item.score.denominator for item in items if item.score is not None}
    common = math.lcm(*denominators) if denominators else 1

    def sort_key(item: Scored):
        score = item.score
        return (
            0 if score is not None else 1,
            -score.numerator * (common // score.denominator) if score is not None else 0,
            item.submitted_at is None,
            item.submitted_at or earliest,
            item.reference,
        )

    return sorted(items, key=sort_key)


# --- A round's reviews, loaded in a fixed number of queries -------------------------------

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


@dataclass(frozen=True)
class RankedEntry:
    """What the ranking page shows of an application, read as plain columns: a national round
    ranks thousands, too many to load as objects."""

    id: int
    reference: str | None
    submitted_at: datetime | None
    amount_requested_pence: int | None
    organisation_name: str
    primary_priority_id: int | None
    priority_code: str | None
    priority_title: str | None


@dataclass
class RankedApplication:
    # The application itself where the ranking is used to decide; a RankedEntry on the
    # ranking page.
    application: Application | RankedEntry
    # The weighted scores of its submitted reviews, each as a whole number over `denominator`
    # (one for the round): the ranking works in integers.
    numerators: list[int] = field(default_factory=list)
    denominator: int = 1
    moderation: Moderation | None = None
    rank: int = 0
    mean: Fraction | None = None
    spread: Fraction | None = None
    disagree: bool = False
    running_total_pence: int = 0
    within_budget: bool = True

    @property
    def scores(self) -> list[Fraction]:
        """The weighted scores of its submitted reviews."""
        return [Fraction(numerator, self.denominator) for numerator in self.numerators]

    @property
    def review_count(self) -> int:
        return len(self.numerators)

    @property
    def moderated_score(self) -> Fraction | None:
        if self.moderation is None:
            return None
        return Fraction(self.moderation.agreed_score_tenths, 10)

    @property
    def ranking_score(self) -> Fraction | None:
        moderated = self.moderated_score
        return moderated if moderated is not None else self.mean

    @property
    def mean_text(self) -> str:
        return one_decimal(self.mean)

    @property
    def spread_text(self) -> str:
        return one_decimal(self.spread)

    @property
    def moderated_text(self) -> str:
        return one_decimal(self.moderated_score)

    @property
    def amount_requested_pence(self) -> int:
        return self.application.amount_requested_pence or 0


@dataclass
class Ranking:
    round: Round
    criteria: list[ScoringCriterion]
    rows: list[RankedApplication]

    @property
    def total_requested_pence(self) -> int:
        return sum(row.amount_requested_pence for row in self.rows)

    @property
    def budget_pence(self) -> int:
        return self.round.budget_pence


@dataclass(frozen=True)
class RankingPage:
    """One page of a ranking computed over the whole round: ranks, running totals and the
    funding line are the round's, not the page's."""

    ranking: Ranking
    page: int
    page_size: int = RANKING_PAGE_SIZE

    @property
    def total(self) -> int:
        return len(self.ranking.rows)

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def rows(self) -> list[RankedApplication]:
        start = (self.page - 1) * self.page_size
        return self.ranking.rows[start:start + self.page_size]

    @property
    def first_number(self) -> int:
        return (self.page - 1) * self.page_size + 1 if self.rows else 0

    @property
    def last_number(self) -> int:
        return (self.page - 1) * self.page_size + len(self.rows)

    @property
    def within_budget_count(self) -> int:
        """How many of the top applications the budget covers in full."""
        return sum(1 for row in self.ranking.rows if row.within_budget)

    @property
    def page_numbers(self) -> list[int | None]:
        """The page links to show: the first, the last and those next to this one, with None
        where pages are left out (GOV.UK pagination's ellipsis)."""
        shown = sorted({1, self.page_count, self.page - 1, self.page, self.page + 1}
                       & set(range(1, self.page_count + 1)))
        numbers: list[int | None] = []
        for number in shown:
            if numbers and number - numbers[-1] > 1:
                numbers.append(None)
            numbers.append(number)
        return numbers


def ranking_page(ranking: Ranking, page: int) -> RankingPage:
    """The given page of the ranking, brought within its first and last pages."""
    last = max(1, -(-len(ranking.rows) // RANKING_PAGE_SIZE))
    return RankingPage(ranking=ranking, page=min(max(page, 1), last),
                       page_size=RANKING_PAGE_SIZE)


def review_weighted_score(review: Review, criteria: Sequence[ScoringCriterion]) -> Fraction:
    """A review's weighted score over the round's criteria it has scores for."""
    scores = {score.criterion_id: score.score for score in review.scores}
    parts = [Part(criterion.weight, criterion.max_score, scores[criterion.id])
             for criterion in criteria if scores.get(criterion.id) is not None]
    return weighted_score(parts)


# People shown by name only: their roles and memberships (loaded eagerly for the signed-in
# user) are not needed.
NAME_ONLY = (lazyload(User.role_rows), lazyload(User.memberships))


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


def submitted_scores(session: Session, application_filter,
                     criteria: Sequence[ScoringCriterion]) -> dict[int, list[Fraction]]:
    """The weighted scores of the submitted reviews of standing assignments, by application
    id, for the applications the filter selects."""
    denominator, by_application = review_numerators(session, application_filter, criteria)
    return {application_id: [Fraction(numerator, denominator) for numerator in numerators]
            for application_id, numerators in by_application.items()}


def review_numerators(session: Session, application_filter, criteria: Sequence[ScoringCriterion]
                      ) -> tuple[int, dict[int, list[int]]]:
    """The weighted scores of the submitted reviews of standing assignments, as whole numbers
    over one common denominator (returned first), by application id.

    The database adds up each review's scores in integers, one row a review: with L the least
    common multiple of the criteria's maximum scores, Σ(weight × score ÷ maximum) is
    Σ(weight × (L ÷ maximum) × score) ÷ L, and each criterion's weight × (L ÷ maximum) is a
    whole number worked out here. So nothing is rounded, and a national round's reviews
    arrive as a few thousand pairs of integers instead of a row for every score."""
    multiple = math.lcm(*(criterion.max_score for criterion in criteria)) if criteria else 1
    factor = _by_criterion({criterion.id: criterion.weight * (multiple // criterion.max_score)
                            for criterion in criteria})
    weight = _by_criterion({criterion.id: criterion.weight for criterion in criteria})
    scored = CriterionScore.score.is_not(None)
    rows = session.execute(
        select(ReviewAssignment.application_id,
               func.sum(case((scored, factor * CriterionScore.score))),
               func.sum(case((scored, weight))))
        .select_from(Review)
        .join(ReviewAssignment, ReviewAssignment.id == Review.assignment_id)
        .join(Application, Application.id == ReviewAssignment.application_id)
        .outerjoin(CriterionScore, CriterionScore.review_id == Review.id)
        # No order: the mean, the spread and the count do not depend on it.
        .where(Review.submitted_at.is_not(None), ReviewAssignment.removed_at.is_(None),
               application_filter)
        .group_by(Review.id, ReviewAssignment.application_id)).all()
    if any(not total_weight for _, _, total_weight in rows):
        # As weighted_score: a review must have scored at least one criterion.
        raise ValueError("a weighted score needs at least one criterion")
    # A review's score is 100 × numerator ÷ (L × its total weight); over L × the least common
    # multiple of the total weights (one weight where every review scored every criterion),
    # each is a whole number.
    weights = math.lcm(*{total_weight for _, _, total_weight in rows}) if rows else 1
    by_application: dict[int, list[int]] = defaultdict(list)
    for application_id, numerator, total_weight in rows:
        by_application[application_id].append(100 * numerator * (weights // total_weight))
    return multiple * weights, by_application


def _by_criterion(values: dict[int, int]):
    """A SQL expression giving the value of the score row's criterion: NULL for a criterion
    that is not the round's, so that it is left out as the ranking has always left it out."""
    if not values:
        # Typed, for PostgreSQL has no sum of an untyped NULL.
        return cast(null(), BigInteger)
    return case(values, value=CriterionScore.criterion_id, else_=null())


def _application_objects(session: Session, selected) -> list[Application]:
    return list(session.scalars(
        select(Application).where(selected)
        .options(joinedload(Application.organisation), joinedload(Application.primary_priority))
    ))


def _application_entries(session: Session, selected) -> list[RankedEntry]:
    return [RankedEntry(*row) for row in session.execute(
        select(Application.id, Application.reference, Application.submitted_at,
               Application.amount_requested_pence, Organisation.name,
               Application.primary_priority_id, Priority.code, Priority.title)
        .join(Organisation, Organisation.id == Application.organisation_id)
        .outerjoin(Priority, Priority.id == Application.primary_priority_id)
        .where(selected))]


def _rank(session: Session, round_id: int, statuses: Sequence[ApplicationStatus],
          load_applications) -> Ranking:
    round_ = session.get(Round, round_id)
    if round_ is None:
        raise NotFound("Round not found")
    criteria = round_criteria(session, round_id)
    selected = (Application.round_id == round_id) & Application.status.in_(list(statuses))
    applications = load_applications(session, selected)
    denominator, numerators = review_numerators(session, selected, criteria)
    moderations = latest_moderations(session, selected)
    rows = [RankedApplication(application=application,
                              numerators=numerators.get(application.id, []),
                              denominator=denominator,
                              moderation=moderations.get(application.id))
            for application in applications]
    return Ranking(round=round_, criteria=criteria,
                   rows=rank_rows(rows, round_.budget_pence, round_.disagreement_threshold))


def rank_round(session: Session, round_id: int,
               statuses: Sequence[ApplicationStatus] = RANKED_STATUSES) -> Ranking:
    """The ranking of the round's applications in the given statuses, each row with its
    application (organisation and primary priority loaded), in five queries whatever the
    number of applications and reviews."""
    return _rank(session, round_id, statuses, _application_objects)


def load_ranking(session: Session, round_id: int) -> Ranking:
    """The round's ranking of the applications waiting for a decision, each row with a
    RankedEntry for its application, in five queries whatever the number of applications."""
    return _rank(session, round_id, RANKED_STATUSES, _application_entries)


def rank_rows(rows: list[RankedApplication], budget_pence: int,
              threshold: int) -> list[RankedApplication]:
    """Fill in each row's mean, spread and flag, order them, and number them with the running
    total of requests against the budget."""
    # Applications share a few combinations of review scores: work each one out once, in
    # integers over the row's denominator.
    known: dict[tuple[int, int, tuple[int, ...]],
                tuple[Fraction | None, Fraction | None, bool]] = {}
    for row in rows:
        key = (row.denominator, len(row.numerators), tuple(sorted(row.numerators)))
        if key not in known:
            if row.numerators:
                spread_value = Fraction(max(row.numerators) - min(row.numerators),
                                        row.denominator)
                known[key] = (Fraction(sum(row.numerators), row.denominator * len(row.numerators)),
                              spread_value, is_disagreement(spread_value, threshold))
            else:
                known[key] = (None, None, False)
        row.mean, row.spread, row.disagree = known[key]
    by_key = {id(row): row for row in rows}
    ordered = rank_order(
        Scored(key=id(row), score=row.ranking_score, submitted_at=row.application.submitted_at,
               reference=row.application.reference or "")
        for row in rows)
    running = 0
    result = []
    for position, item in enumerate(ordered, start=1):
        row = by_key[item.key]
        running += row.amount_requested_pence
        row.rank = position
        row.running_total_pence = running
        row.within_budget = running <= budget_pence
        result.append(row)
    return result


# --- Moderation ---------------------------------------------------------------------------

def moderate(session: Session, user: User, application: Application, *,
             agreed_score_tenths: int | None, reason: str) -> Moderation:
    """Record the score staff agreed for the application; it ranks instead of the mean."""
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if application.status not in RANKED_STATUSES:
        errors["agreed_score"] = ("Only an eligible application, or one in review, can have an "
                                  "agreed score")
    elif agreed_score_tenths is None:
        errors["agreed_score"] = "Enter the agreed score, like 72.5"
    elif not 0 <= agreed_score_tenths <= 1000:
        errors["agreed_score"] = "Agreed score must be a number from 0 to 100"
    if not reason:
        errors["reason"] = "Enter why this is the agreed score"
    elif len(reason) > MAX_MODERATION_REASON:
        errors["reason"] = f"Reason must be {MAX_MODERATION_REASON} characters or fewer"
    if errors:
        raise ValidationFailed(errors)
    previous = latest_moderations(session, Application.id == application.id).get(application.id)
    moderation = Moderation(application_id=application.id,
                            agreed_score_tenths=agreed_score_tenths, reason=reason,
                            moderated_by_id=user.id, moderated_at=clock.utcnow())
    session.add(moderation)
    session.flush()
    record_event(
        session, actor_id=user.id, action="application.moderated",
        entity_type="application", entity_id=application.id,
        before={"agreed_score": tenths_text(previous.agreed_score_tenths)} if previous else None,
        after={"agreed_score": tenths_text(agreed_score_tenths), "reason": reason,
               "moderation_id": moderation.id},
    )
    logger.info("application %s moderated by user %s", application.id, user.id)
    return moderation
