"""A page of a round's ranking: sorted by the database on each application's kept ranking key
(see `kept_scores`), or worked out in full where a key of the round is not a whole number.
Ranks, ties, running totals and the funding line are the round's, not the page's: the running
totals are held against what is left of the budget (`grants.decisions.operations.remaining`)."""

from dataclasses import dataclass, replace

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session, joinedload

from grants.applications.models import Application
from grants.assessment.models import ApplicationScore, Moderation
from grants.assessment.operations.kept_scores import (
    NAME_ONLY,
    ReviewTotals,
    ranking_multiple,
    round_criteria,
)
from grants.assessment.operations.ranking import (
    RANKED_STATUSES,
    RankedApplication,
    RankedEntry,
    Ranking,
    load_ranking,
)
from grants.core import data_version
from grants.core.errors import NotFound
from grants.core.paging import Page, number_within, start_of
from grants.decisions.operations.remaining import remaining_pence
from grants.funds.models import Round
from grants.organisations.models import Organisation
from grants.plans.models import Priority

# Rows of the ranking shown a page at a time: a national round ranks thousands.
RANKING_PAGE_SIZE = 50


@dataclass(frozen=True)
class PagedRanking:
    """One page of a round's ranking, with the round's totals and its funding line: ranks,
    running totals and the funding line are the round's, not the page's."""

    round: Round
    page: Page[RankedApplication]
    total_requested_pence: int
    within_budget_count: int
    remaining_pence: int
    # Whether some tie of the round falls across the funding line (on this page or not).
    tie_straddles: bool

    @property
    def budget_pence(self) -> int:
        return self.round.budget_pence


def ranking_page(session: Session, ranking: Ranking, page: int) -> PagedRanking:
    """The given page of a ranking worked out in full, brought within its first and last
    pages, with the organisation and primary priority of each application on it."""
    size = RANKING_PAGE_SIZE
    page = number_within(page, len(ranking.rows), size)
    start = start_of(page, size)
    rows = ranking.rows[start:start + size]
    _describe(session, rows)
    return PagedRanking(
        round=ranking.round,
        page=Page(items=rows, total=len(ranking.rows), number=page, size=size),
        total_requested_pence=ranking.total_requested_pence,
        within_budget_count=sum(1 for row in ranking.rows if row.within_budget),
        remaining_pence=ranking.remaining_pence,
        tie_straddles=any(row.tie_straddles for row in ranking.rows))


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


def load_ranking_page(session: Session, round_id: int, page: int) -> PagedRanking:
    """A page of the round's ranking of the applications waiting for a decision, sorted by
    the database on each application's kept ranking key: the rows of the page, the round's
    totals and its funding line, in six queries whatever the size of the round.

    Where a key of the round is not a whole number (more reviews than MOST_REVIEWS_KEYED, or
    criteria whose multiple makes keys too large), the round is ranked in Python instead."""
    round_ = session.get(Round, round_id)
    if round_ is None:
        raise NotFound("Round not found")
    multiple = ranking_multiple(round_criteria(session, round_id))
    remaining = remaining_pence(session, round_)
    found = _sorted_page(session, round_, multiple, remaining, page)
    if found and found[0].inexact:
        return ranking_page(session, load_ranking(session, round_id), page)
    total = found[0].total if found else 0
    size = RANKING_PAGE_SIZE
    if number_within(page, total, size) != page:
        page = number_within(page, total, size)
        found = _sorted_page(session, round_, multiple, remaining, page)
    start = start_of(page, size)
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
        threshold=round_.disagreement_threshold, rank=row.shared_rank,
        tied=row.tie_size > 1, tie_straddles=bool(row.straddles),
        running_total_pence=int(row.running),
        within_budget=row.running <= remaining) for row in shown]
    _describe(session, rows)
    return PagedRanking(round=round_, page=Page(items=rows, total=total, number=page, size=size),
                        total_requested_pence=int(found[0].requested) if found else 0,
                        within_budget_count=int(found[0].within) if found else 0,
                        remaining_pence=remaining,
                        tie_straddles=bool(found[0].any_straddles) if found else False)


def _sorted_page(session: Session, round_: Round, multiple: int, remaining: int,
                 page: int) -> tuple:
    """The rows `_work_out_sorted_page` gives, kept until the data changes
    (`grants.core.data_version`): every write that moves a kept score, a status or an amount
    replaces the token they are kept under."""
    return data_version.kept(
        session, ("ranking page", round_.id, multiple, remaining, page),
        lambda: tuple(_work_out_sorted_page(session, round_, multiple, remaining, page)))


def _work_out_sorted_page(session: Session, round_: Round, multiple: int, remaining: int,
                          page: int) -> list:
    """One statement: the round's applications sorted on their kept keys, equal keys sharing
    a rank and listed by reference (narrow rows only), numbered with running totals against
    what is left of the budget; then the rows of the page, and the first row whatever the page
    (so that the round's totals always arrive), each with the round's count, total requested,
    funding line, whether any tie falls across it, and how many keys are not whole."""
    kept = ApplicationScore
    amount = func.coalesce(Application.amount_requested_pence, 0)
    reference = Application.reference
    if session.get_bind().dialect.name == "postgresql":
        reference = reference.collate("C")  # compared as Python compares strings
    by_score = [kept.ranking_key.is_(None), kept.ranking_key.desc()]
    order = [*by_score, reference, Application.id]
    inexact = case((or_(kept.key_exact.is_(False), kept.ranking_multiple != multiple), 1),
                   else_=0)
    ranked = (
        select(Application.id.label("ranked_id"), amount.label("amount"),
               inexact.label("off"), kept.ranking_key.label("key"),
               func.row_number().over(order_by=order).label("rank"),
               func.rank().over(order_by=by_score).label("shared_rank"),
               func.sum(amount).over(order_by=order, rows=(None, 0)).label("running"))
        .select_from(Application).outerjoin(kept, kept.application_id == Application.id)
        .where(Application.round_id == round_.id,
               Application.status.in_(list(RANKED_STATUSES)))
        .subquery())
    tie = {"partition_by": ranked.c.key}
    straddling = (
        select(ranked.c.ranked_id, ranked.c.rank, ranked.c.shared_rank, ranked.c.running,
               ranked.c.amount, ranked.c.off,
               func.count().over(**tie).label("tie_size"),
               case((and_(func.min(ranked.c.running).over(**tie) <= remaining,
                          func.max(ranked.c.running).over(**tie) > remaining), 1),
                    else_=0).label("straddles"))
        .subquery())
    summed = select(
        straddling.c.ranked_id, straddling.c.rank, straddling.c.shared_rank,
        straddling.c.running, straddling.c.tie_size, straddling.c.straddles,
        func.count().over().label("total"),
        func.sum(straddling.c.amount).over().label("requested"),
        func.sum(case((straddling.c.running <= remaining, 1), else_=0)).over()
        .label("within"),
        func.max(straddling.c.straddles).over().label("any_straddles"),
        func.sum(straddling.c.off).over().label("inexact")).subquery()
    start = start_of(page, RANKING_PAGE_SIZE)
    return session.connection().execute(
        select(summed, Application.id, Application.reference, Application.submitted_at,
               Application.amount_requested_pence, kept.review_count, kept.score_total,
               kept.score_lowest, kept.score_highest, kept.score_scale, kept.moderation_id)
        .join(Application, Application.id == summed.c.ranked_id)
        .outerjoin(kept, kept.application_id == Application.id)
        .where(or_(summed.c.rank == 1,
                   and_(summed.c.rank > start, summed.c.rank <= start + RANKING_PAGE_SIZE)))
        .order_by(summed.c.rank)).all()
