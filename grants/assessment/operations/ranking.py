"""A round's ranking: the order of its applications, with running totals against the budget.

The ranking orders a round's eligible and in-review applications by their ranking score: the
latest moderated score where staff recorded one, otherwise the mean of the submitted reviews'
weighted scores, compared before rounding, highest first. Equal scores rank the application
submitted earlier first, then by reference. Applications without a submitted review (and no
moderated score) come last, in the same tie order. Reviews count only while their assignment
stands: a reviewer removed by staff no longer counts.
"""

import math
from collections.abc import Iterable, Sequence
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
from grants.core import clock
from grants.funds.models import Round
from grants.funds.operations.rounds import find_round

RANKED_STATUSES = (ApplicationStatus.ELIGIBLE, ApplicationStatus.IN_REVIEW)
TIE_BREAK_TEXT = ("Applications are ranked by their score, highest first: the agreed score "
                  "where staff moderated it, otherwise the mean of the reviewers' weighted "
                  "scores, compared before rounding. Applications with equal scores are "
                  "ranked by when they were submitted, earliest first, then by reference. "
                  "Applications with no submitted review are ranked last.")


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
    `ranking_pages.ranking_page` adds the organisations and priorities of the page shown."""
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
