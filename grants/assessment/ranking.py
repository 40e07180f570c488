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
from dataclasses import dataclass, replace
from datetime import datetime
from fractions import Fraction
from functools import cached_property
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session, joinedload, lazyload, subqueryload

from grants.accounts.models import User
from grants.applications.models import Application, ApplicationStatus
from grants.assessment.models import ApplicationScore, Moderation, Review, ReviewAssignment
from grants.core import clock
from grants.core.errors import NotFound, ValidationFailed
from grants.funds.models import Round, ScoringCriterion
from grants.organisations.models import Organisation
from grants.plans.models import Priority
from grants.records.operations.audit import record_event

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
RANKING_PAGE_SIZE = 50


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
    ranks thousands, too many to load as objects. The organisation and the priority are read
    for the page shown only."""

    id: int
    reference: str | None
    submitted_at: datetime | None
    amount_requested_pence: int | None
    organisation_name: str = ""
    primary_priority_id: int | None = None
    priority_code: str | None = None
    priority_title: str | None = None


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
    """Review scores as whole numbers over their least common denominator (returned first)."""
    if not scores:
        return 1, NO_REVIEWS
    scale = math.lcm(*(score.denominator for score in scores))
    return scale, _totals([score.numerator * (scale // score.denominator) for score in scores])


def _totals(whole: Sequence[int]) -> ReviewTotals:
    return ReviewTotals(len(whole), sum(whole), min(whole), max(whole))


@dataclass
class RankedApplication:
    # The application itself where the ranking is used to decide; a RankedEntry on the
    # ranking page.
    application: Application | RankedEntry
    # Its reviews' scores as whole numbers over `denominator` (one for the round): the
    # ranking works in integers.
    reviews: ReviewTotals = NO_REVIEWS
    denominator: int = 1
    moderation: Moderation | None = None
    # The round's disagreement threshold, in points.
    threshold: int = 100
    rank: int = 0
    running_total_pence: int = 0
    within_budget: bool = True

    @property
    def review_count(self) -> int:
        return self.reviews.count

    # Worked out once, when first read.
    @cached_property
    def mean(self) -> Fraction | None:
        if not self.reviews.count:
            return None
        return Fraction(self.reviews.total, self.denominator * self.reviews.count)

    @cached_property
    def spread(self) -> Fraction | None:
        if not self.reviews.count:
            return None
        return Fraction(self.reviews.highest - self.reviews.lowest, self.denominator)

    @property
    def disagree(self) -> bool:
        return is_disagreement(self.spread, self.threshold)

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
    rows: list[RankedApplication]

    @property
    def total_requested_pence(self) -> int:
        return sum(row.amount_requested_pence for row in self.rows)

    @property
    def budget_pence(self) -> int:
        return self.round.budget_pence


@dataclass(frozen=True)
class RankingPage:
    """One page of a round's ranking: ranks, running totals and the funding line are the
    round's, not the page's."""

    round: Round
    page: int
    rows: list[RankedApplication]
    total: int
    total_requested_pence: int
    within_budget_count: int
    page_size: int = RANKING_PAGE_SIZE

    @property
    def budget_pence(self) -> int:
        return self.round.budget_pence

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def first_number(self) -> int:
        return (self.page - 1) * self.page_size + 1 if self.rows else 0

    @property
    def last_number(self) -> int:
        return (self.page - 1) * self.page_size + len(self.rows)

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


def _within_page(total: int, page: int) -> int:
    """The page brought within the first and last pages of `total` rows."""
    return min(max(page, 1), max(1, -(-total // RANKING_PAGE_SIZE)))


def ranking_page(session: Session, ranking: Ranking, page: int) -> RankingPage:
    """The given page of a ranking worked out in full, brought within its first and last
    pages, with the organisation and primary priority of each application on it."""
    page = _within_page(len(ranking.rows), page)
    start = (page - 1) * RANKING_PAGE_SIZE
    rows = ranking.rows[start:start + RANKING_PAGE_SIZE]
    _describe(session, rows)
    return RankingPage(
        round=ranking.round, page=page, rows=rows, total=len(ranking.rows),
        total_requested_pence=ranking.total_requested_pence,
        within_budget_count=sum(1 for row in ranking.rows if row.within_budget),
        page_size=RANKING_PAGE_SIZE)


def _describe(session: Session, rows: list[RankedApplication]) -> None:
    """Give each row's entry its organisation and primary priority (one query)."""
    if not rows:
        return
    details = {row[0]: row[1:] for row in session.execute(
        select(Application.id, Organisation.name, Application.primary_priority_id,
               Priority.code, Priority.title)
        .join(Organisation, Organisation.id == Application.organisation_id)
        .outerjoin(Priority, Priority.id == Application.primary_priority_id)
        .where(Application.id.in_([row.application.id for row in rows])))}
    for row in rows:
        name, priority_id, code, title = details[row.application.id]
        row.application = replace(row.application, organisation_name=name,
                                  primary_priority_id=priority_id, priority_code=code,
                                  priority_title=title)


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


def _application_objects(session: Session, selected) -> list[Application]:
    return list(session.scalars(
        select(Application).where(selected)
        .options(joinedload(Application.organisation), joinedload(Application.primary_priority))
    ))


def _application_entries(session: Session, selected) -> list[RankedEntry]:
    # Plain columns through the connection: the ORM's handling of each row is not needed for
    # the thousands of a national round.
    return [RankedEntry(*row) for row in session.connection().execute(
        select(Application.id, Application.reference, Application.submitted_at,
               Application.amount_requested_pence).where(selected))]


def _rank(session: Session, round_id: int, statuses: Sequence[ApplicationStatus],
          load_applications) -> Ranking:
    round_ = session.get(Round, round_id)
    if round_ is None:
        raise NotFound("Round not found")
    selected = (Application.round_id == round_id) & Application.status.in_(list(statuses))
    applications = load_applications(session, selected)
    denominator, totals = review_totals(session, selected)
    moderations = latest_moderations(session, selected)
    rows = [RankedApplication(application=application,
                              reviews=totals.get(application.id, NO_REVIEWS),
                              denominator=denominator,
                              moderation=moderations.get(application.id))
            for application in applications]
    return Ranking(round=round_,
                   rows=rank_rows(rows, round_.budget_pence, round_.disagreement_threshold))


def rank_round(session: Session, round_id: int,
               statuses: Sequence[ApplicationStatus] = RANKED_STATUSES) -> Ranking:
    """The ranking of the round's applications in the given statuses, each row with its
    application (organisation and primary priority loaded), in four queries whatever the
    number of applications and reviews."""
    return _rank(session, round_id, statuses, _application_objects)


def load_ranking(session: Session, round_id: int) -> Ranking:
    """The round's ranking of the applications waiting for a decision, each row with a
    RankedEntry for its application, in four queries whatever the number of applications;
    `ranking_page` adds the organisations and priorities of the page shown."""
    return _rank(session, round_id, RANKED_STATUSES, _application_entries)


def rank_rows(rows: list[RankedApplication], budget_pence: int,
              threshold: int) -> list[RankedApplication]:
    """Order the rows by `rank_order`, and number them with the running total of requests
    against the budget."""
    by_key = {id(row): row for row in rows}
    ordered = [by_key[item.key] for item in rank_order(
        Scored(key=id(row), score=row.ranking_score, submitted_at=row.application.submitted_at,
               reference=row.application.reference or "")
        for row in rows)]
    running = 0
    for position, row in enumerate(ordered, start=1):
        running += row.amount_requested_pence
        row.threshold = threshold
        row.rank = position
        row.running_total_pence = running
        row.within_budget = running <= budget_pence
    return ordered


# --- Each application's score, kept for the database to sort -------------------------------

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


def load_ranking_page(session: Session, round_id: int, page: int) -> RankingPage:
    """A page of the round's ranking of the applications waiting for a decision, sorted by
    the database on each application's kept ranking key: the rows of the page, the round's
    totals and its funding line, in five queries whatever the size of the round.

    Where a key of the round is not a whole number (more reviews than MOST_REVIEWS_KEYED, or
    criteria whose multiple makes keys too large), the round is ranked in Python instead."""
    round_ = session.get(Round, round_id)
    if round_ is None:
        raise NotFound("Round not found")
    multiple = ranking_multiple(round_criteria(session, round_id))
    found = _sorted_page(session, round_, multiple, page)
    if found and found[0].inexact:
        return ranking_page(session, load_ranking(session, round_id), page)
    total = found[0].total if found else 0
    if _within_page(total, page) != page:
        page = _within_page(total, page)
        found = _sorted_page(session, round_, multiple, page)
    start = (page - 1) * RANKING_PAGE_SIZE
    shown = [row for row in found if row.rank > start]
    moderations = {moderation.id: moderation for moderation in session.scalars(
        select(Moderation).where(Moderation.id.in_(
            [row.moderation_id for row in shown if row.moderation_id]))
        .options(joinedload(Moderation.moderated_by).options(*NAME_ONLY)))}
    rows = [RankedApplication(
        application=RankedEntry(row.id, row.reference, row.submitted_at,
                                row.amount_requested_pence),
        reviews=ReviewTotals(row.review_count or 0, row.score_total or 0,
                             row.score_lowest or 0, row.score_highest or 0),
        denominator=row.score_scale or 1, moderation=moderations.get(row.moderation_id),
        threshold=round_.disagreement_threshold, rank=row.rank,
        running_total_pence=int(row.running),
        within_budget=row.running <= round_.budget_pence) for row in shown]
    _describe(session, rows)
    return RankingPage(round=round_, page=page, rows=rows, total=total,
                       total_requested_pence=int(found[0].requested) if found else 0,
                       within_budget_count=int(found[0].within) if found else 0,
                       page_size=RANKING_PAGE_SIZE)


def _sorted_page(session: Session, round_: Round, multiple: int, page: int) -> list:
    """One statement: the round's applications sorted on their kept keys with the stated
    tie-breaks (narrow rows only), numbered with running totals; then the rows of the page,
    and the first row whatever the page (so that the round's totals always arrive), each with
    the round's count, total requested, funding line and how many keys are not whole."""
    kept = ApplicationScore
    amount = func.coalesce(Application.amount_requested_pence, 0)
    reference = Application.reference
    if session.get_bind().dialect.name == "postgresql":
        reference = reference.collate("C")  # compared as Python compares strings
    order = [kept.ranking_key.is_(None), kept.ranking_key.desc(),
             Application.submitted_at.is_(None), Application.submitted_at, reference]
    inexact = case((or_(kept.key_exact.is_(False), kept.ranking_multiple != multiple), 1),
                   else_=0)
    ranked = (
        select(Application.id.label("ranked_id"), amount.label("amount"),
               inexact.label("off"),
               func.row_number().over(order_by=order).label("rank"),
               func.sum(amount).over(order_by=order, rows=(None, 0)).label("running"))
        .select_from(Application).outerjoin(kept, kept.application_id == Application.id)
        .where(Application.round_id == round_.id,
               Application.status.in_(list(RANKED_STATUSES)))
        .subquery())
    summed = select(
        ranked.c.ranked_id, ranked.c.rank, ranked.c.running,
        func.count().over().label("total"), func.sum(ranked.c.amount).over().label("requested"),
        func.sum(case((ranked.c.running <= round_.budget_pence, 1), else_=0)).over()
        .label("within"),
        func.sum(ranked.c.off).over().label("inexact")).subquery()
    start = (page - 1) * RANKING_PAGE_SIZE
    return session.connection().execute(
        select(summed, Application.id, Application.reference, Application.submitted_at,
               Application.amount_requested_pence, kept.review_count, kept.score_total,
               kept.score_lowest, kept.score_highest, kept.score_scale, kept.moderation_id)
        .join(Application, Application.id == summed.c.ranked_id)
        .outerjoin(kept, kept.application_id == Application.id)
        .where(or_(summed.c.rank == 1,
                   and_(summed.c.rank > start, summed.c.rank <= start + RANKING_PAGE_SIZE)))
        .order_by(summed.c.rank)).all()


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
