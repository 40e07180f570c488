"""A round's ranking: the order of its applications, with running totals against what is left
of the budget.

The ranking orders a round's eligible and in-review applications by their ranking score: the
latest moderated score where staff recorded one, otherwise the mean of the submitted reviews'
weighted scores, compared before rounding, highest first. Equal scores share a rank ("=3"):
nothing decides between them, not even who sent first, so they are listed by reference and
shown as tied. Applications without a submitted review (and no moderated score) come last,
tied with each other. Reviews count only while their assignment stands: a reviewer removed by
staff no longer counts.

The running total of the requests waiting for a decision is held against the round's remaining
budget (`grants.decisions.operations.remaining`): money already committed to awards counts
against the budget first. A tie whose applications fall on both sides of the funding line is
flagged: funding one of them and not another needs a recorded reason.
"""

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from grants.applications.models import Application, ApplicationStatus
from grants.assessment.models import Moderation
from grants.assessment.operations.kept_scores import (
    NO_REVIEWS,
    ReviewTotals,
    latest_moderations,
    review_totals,
)
from grants.assessment.operations.scoring import is_disagreement, one_decimal
from grants.decisions.operations.remaining import remaining_pence
from grants.funds.models import Round
from grants.funds.operations.rounds import find_round

RANKED_STATUSES = (ApplicationStatus.ELIGIBLE, ApplicationStatus.IN_REVIEW)
TIE_BREAK_TEXT = ("Applications are ranked by their score, highest first: the agreed score "
                  "where staff moderated it, otherwise the mean of the reviewers' weighted "
                  "scores, compared before rounding. Applications with equal scores share a "
                  "rank, shown as \u201c=3\u201d, and are listed by reference: when they were "
                  "sent does not decide between them. Applications with no submitted review "
                  "are ranked last, tied with each other.")
TIE_ACROSS_LINE_TEXT = "Tied across the funding line"


@dataclass(frozen=True)
class Scored:
    """What ranks one application: its score (None without one) and its reference."""

    key: object
    score: Fraction | None
    reference: str


def rank_order(items: Iterable[Scored]) -> list[Scored]:
    """Highest score first; equal scores (tied) by reference; no score last."""
    items = list(items)
    # Every score as a whole number over one common denominator, so the sort compares
    # integers, exactly, instead of fractions: a national ranking sorts thousands.
    denominators = {item.score.denominator for item in items if item.score is not None}
    common = math.lcm(*denominators) if denominators else 1

    def sort_key(item: Scored):
        score = item.score
        return (
            0 if score is not None else 1,
            -score.numerator * (common // score.denominator) if score is not None else 0,
            item.reference,
        )

    return sorted(items, key=sort_key)


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
    # Whether another application shares its rank (an equal score, or no score at all).
    tied: bool = False
    # Whether its tie falls on both sides of the funding line.
    tie_straddles: bool = False
    running_total_pence: int = 0
    within_budget: bool = True

    @property
    def rank_text(self) -> str:
        """The rank as shown: "=3" when shared."""
        return f"={self.rank}" if self.tied else str(self.rank)

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
    # What is left of the budget once the round's committed money is taken off.
    remaining_pence: int

    @property
    def total_requested_pence(self) -> int:
        return sum(row.amount_requested_pence for row in self.rows)

    @property
    def budget_pence(self) -> int:
        return self.round.budget_pence


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
    round_ = find_round(session, round_id)
    selected = (Application.round_id == round_id) & Application.status.in_(list(statuses))
    applications = load_applications(session, selected)
    denominator, totals = review_totals(session, selected)
    moderations = latest_moderations(session, selected)
    remaining = remaining_pence(session, round_)
    rows = [RankedApplication(application=application,
                              reviews=totals.get(application.id, NO_REVIEWS),
                              denominator=denominator,
                              moderation=moderations.get(application.id))
            for application in applications]
    if set(statuses) <= set(RANKED_STATUSES):
        ranked = rank_rows(rows, remaining, round_.disagreement_threshold)
    else:
        ranked = rank_rows(rows, remaining, round_.disagreement_threshold,
                           waiting=lambda row: row.application.status in RANKED_STATUSES)
    return Ranking(round=round_, rows=ranked, remaining_pence=remaining)


def rank_round(session: Session, round_id: int,
               statuses: Sequence[ApplicationStatus] = RANKED_STATUSES) -> Ranking:
    """The ranking of the round's applications in the given statuses, each row with its
    application (organisation and primary priority loaded), in five queries whatever the
    number of applications and reviews. Only the applications waiting for a decision run
    against the funding line: a decided one's award is already in the committed money."""
    return _rank(session, round_id, statuses, _application_objects)


def load_ranking(session: Session, round_id: int) -> Ranking:
    """The round's ranking of the applications waiting for a decision, each row with a
    RankedEntry for its application, in five queries whatever the number of applications;
    `ranking_pages.ranking_page` adds the organisations and priorities of the page shown."""
    return _rank(session, round_id, RANKED_STATUSES, _application_entries)


def rank_rows(rows: list[RankedApplication], remaining_pence: int, threshold: int,
              waiting: Callable[[RankedApplication], bool] = lambda row: True
              ) -> list[RankedApplication]:
    """Order the rows by `rank_order`, give equal scores a shared rank, and number the rows
    waiting for a decision with the running total of their requests against what is left of
    the budget; then flag the ties that fall across that funding line."""
    by_key = {id(row): row for row in rows}
    ordered = [by_key[item.key] for item in rank_order(
        Scored(key=id(row), score=row.ranking_score, reference=row.application.reference or "")
        for row in rows)]
    running = position = 0
    groups = tie_groups(ordered)
    for group in groups:
        rank = position + 1
        for row in group:
            position += 1
            row.threshold = threshold
            row.rank = rank
            row.tied = len(group) > 1
            if waiting(row):
                running += row.amount_requested_pence
                row.running_total_pence = running
                row.within_budget = running <= remaining_pence
            else:
                row.running_total_pence = running
                row.within_budget = True
    for group in groups:
        mark_tie(group, lambda row: row.within_budget, waiting)
    return ordered


def tie_groups(ordered: Sequence[RankedApplication]) -> list[list[RankedApplication]]:
    """Rows in rank order, grouped by equal ranking score (those without a score together)."""
    groups: list[list[RankedApplication]] = []
    for row in ordered:
        if groups and groups[-1][0].ranking_score == row.ranking_score:
            groups[-1].append(row)
        else:
            groups.append([row])
    return groups


def mark_tie(group: Sequence[RankedApplication],
             funded: Callable[[RankedApplication], bool],
             counted: Callable[[RankedApplication], bool] = lambda row: True) -> None:
    """Flag a tie whose counted rows fall on both sides of the funding line: some funded (or
    within the budget), some not."""
    sides = {funded(row) for row in group if counted(row)}
    straddles = len(group) > 1 and len(sides) > 1
    for row in group:
        row.tie_straddles = straddles
