"""The ranking at national scale: computed over the whole round from plain rows, shown a page
at a time with ranks, running totals and the funding line still the round's; and the integer
shortcuts of its arithmetic agree with the exact fractions."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from grants.applications.models import Application, ApplicationStatus
from grants.assessment.operations import assignment as assigning
from grants.assessment.operations import kept_scores, ranking, ranking_pages, scoring
from grants.extensions import db
from tests.assessment.reviewing import (  # noqa: F401  (fixtures)
    NOW,
    assign,
    fixed_clock_fixture,
    make_application_fixture,
    reviewer_users_fixture,
    scoring_round_fixture,
    staff_fixture,
    submitted,
)

fractions = st.fractions(min_value=0, max_value=100, max_denominator=10_000)


@given(fractions)
def test_tenths_in_integers_are_the_exact_rounding_half_up(value):
    assert scoring.to_tenths(value) == math.floor(value * 10 + Fraction(1, 2))


@given(st.lists(fractions, min_size=1, max_size=8))
def test_the_mean_over_a_common_denominator_is_the_exact_mean(values):
    assert scoring.mean(values) == sum(values, Fraction(0)) / len(values)


@given(st.lists(st.one_of(st.none(), fractions), min_size=1, max_size=30))
def test_the_order_is_by_the_exact_score_even_where_floats_are_equal(scores):
    close = Fraction(1, 3)
    items = [ranking.Scored(key=i, score=score, reference=f"R{i:03}")
             for i, score in enumerate(scores + [close, close + Fraction(1, 10**30)])]
    ordered = [item.score for item in ranking.rank_order(items)]
    scored = [score for score in ordered if score is not None]
    assert scored == sorted(scored, reverse=True)
    assert ordered[len(scored):] == [None] * (len(ordered) - len(scored))


def test_the_ranking_reads_each_reviews_scores_and_leaves_out_drafts_and_removed_reviewers(
        staff, reviewer_users, make_application, scoring_round):
    application = make_application(1)
    cal, alex, bea = reviewer_users
    submitted(staff, application, cal, [5, 10])  # 100%
    gone = submitted(staff, application, alex, [0, 0])  # 0%, then removed
    assign(staff, application, bea)  # a draft at most
    assigning.remove_assignment(db.session, staff, gone, "Conflict found later")
    denominator, totals = kept_scores.review_totals(db.session, Application.id == application.id)
    assert denominator == 1
    assert totals == {application.id: kept_scores.ReviewTotals(count=1, total=100, lowest=100,
                                                               highest=100)}


def test_the_ranking_pages_keep_the_rounds_ranks_running_totals_and_funding_line(
        staff, reviewer_users, make_application, scoring_round, sign_in_as, monkeypatch):
    # Budget £20,000; each asks £5,000: the budget covers the top 4 of 5.
    monkeypatch.setattr(ranking_pages, "RANKING_PAGE_SIZE", 2)
    made = [make_application(number) for number in range(1, 6)]
    for number, application in enumerate(made, start=1):
        submitted(staff, application, reviewer_users[0], [5 - number, 10])
    db.session.commit()
    client = sign_in_as(staff)
    path = f"/staff/rounds/{scoring_round.id}/ranking"
    third = client.get(f"{path}?page=3").get_data(as_text=True)
    assert made[4].reference in third and made[0].reference not in third
    assert "Ranks 5 to 5 of 5" in third and "Over budget" in third
    assert "(page 3 of 3)" in third.split("</title>")[0]
    # The running total is the round's, not the page's: £25,000 as in the summary above.
    assert third.count("£25,000") == 2
    assert "The remaining budget covers the top 4 of 5 applications in full" in third
    second = client.get(f"{path}?page=2").get_data(as_text=True)
    assert made[2].reference in second and made[3].reference in second
    assert "Over budget" not in second and "£15,000" in second
    assert 'aria-current="page">2</a>' in second
    assert 'aria-label="Pages of the ranking"' in second and 'rel="next"' in second
    beyond = client.get(f"{path}?page=99").get_data(as_text=True)
    assert "Ranks 5 to 5 of 5" in beyond


def test_a_short_ranking_has_no_pages(staff, make_application, scoring_round, sign_in_as):
    make_application(1, status=ApplicationStatus.IN_REVIEW)
    html = sign_in_as(staff).get(f"/staff/rounds/{scoring_round.id}/ranking").get_data(
        as_text=True)
    assert "govuk-pagination" not in html and "Ranks 1 to" not in html


@given(st.lists(fractions, min_size=1, max_size=8))
def test_the_spread_over_a_common_denominator_is_the_exact_spread(values):
    assert scoring.spread(values) == max(values) - min(values)


def test_the_scores_the_database_adds_up_are_each_reviews_exact_weighted_score(
        staff, reviewer_users, make_application, scoring_round):
    # Weights 2 and 1 over maxima 5 and 10: thirds and other fractions a float would round.
    given = [[1, 7], [4, 3], [0, 10], [5, 1], [3, 3], [2, 9]]
    made = [make_application(number) for number in range(1, 4)]
    for index, scores in enumerate(given):
        submitted(staff, made[index // 2], reviewer_users[index % 2], scores)
    criteria = kept_scores.round_criteria(db.session, scoring_round.id)

    denominator, totals = kept_scores.review_totals(
        db.session, Application.round_id == scoring_round.id)

    def exact(pair):
        return scoring.weighted_score((criterion.weight, criterion.max_score, score)
                                      for criterion, score in zip(criteria, pair, strict=True))

    expected = {application.id: sorted(exact(pair) for pair in given[index * 2:index * 2 + 2])
                for index, application in enumerate(made)}
    assert {key: (Fraction(found.total, denominator), Fraction(found.lowest, denominator),
                  Fraction(found.highest, denominator), found.count)
            for key, found in totals.items()} == {
        key: (sum(scores), scores[0], scores[-1], 2) for key, scores in expected.items()}
    assert expected[made[0].id][0] == Fraction(100 * (2 * Fraction(1, 5) + Fraction(7, 10)), 3)


@dataclass(frozen=True)
class _Entry:
    id: int
    reference: str
    submitted_at: datetime | None
    amount_requested_pence: int


@dataclass(frozen=True)
class _Agreed:
    agreed_score_tenths: int


reviews_of_one = st.lists(st.integers(min_value=0, max_value=600), max_size=4).map(
    lambda scores: kept_scores.ReviewTotals(len(scores), sum(scores), min(scores, default=0),
                                            max(scores, default=0)))


@given(st.lists(st.tuples(reviews_of_one, st.one_of(st.none(), st.integers(0, 1000)),
                          st.one_of(st.none(), st.integers(0, 3))), max_size=25),
       st.sampled_from([1, 3, 6, 7, 60]))
def test_the_rows_are_ranked_as_the_written_rule_orders_their_scores(made, denominator):
    """rank_rows orders rows from their review totals and agreed scores exactly as
    rank_order, the rule as written, orders the scores, gives equal scores one rank, and
    numbers them against what is left of the budget."""
    rows = [ranking.RankedApplication(
        application=_Entry(number, f"R{(number * 7) % 25:02}", None if hour is None
                           else NOW + timedelta(hours=hour), 100),
        reviews=totals, denominator=denominator,
        moderation=None if tenths is None else _Agreed(tenths))
        for number, (totals, tenths, hour) in enumerate(made)]
    expected = [item.key for item in ranking.rank_order(
        ranking.Scored(key=row.application.id, score=row.ranking_score,
                       reference=row.application.reference) for row in rows)]

    ranked = ranking.rank_rows(list(reversed(rows)), remaining_pence=500, threshold=25)

    def ahead(row, other):
        mine, theirs = row.ranking_score, other.ranking_score
        return theirs is not None and (mine is None or theirs > mine)

    assert [row.application.id for row in ranked] == expected
    assert [row.rank for row in ranked] == [
        1 + sum(ahead(row, other) for other in rows) for row in ranked]
    assert [row.tied for row in ranked] == [
        any(other is not row and other.ranking_score == row.ranking_score for other in rows)
        for row in ranked]
    assert [row.within_budget for row in ranked] == [
        100 * position <= 500 for position in range(1, len(rows) + 1)]
