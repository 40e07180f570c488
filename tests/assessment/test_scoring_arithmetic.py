"""The arithmetic of scores: weighted scores, means, spreads, rounding and the ranking order,
against hand-worked examples and as properties (hypothesis)."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grants.assessment.operations.ranking import Scored, rank_order
from grants.assessment.operations.scoring import (
    Part,
    is_disagreement,
    mean,
    one_decimal,
    parse_score_tenths,
    spread,
    to_tenths,
    weighted_score,
)

# --- Hand-worked examples -----------------------------------------------------------------


def test_weighted_score_of_a_hand_worked_review():
    # Need: weight 2, 4 of 5 -> 2 x 0.8 = 1.6; Delivery: weight 1, 7 of 10 -> 0.7.
    # (1.6 + 0.7) / 3 = 0.7666... -> 76.7%
    score = weighted_score([Part(2, 5, 4), Part(1, 10, 7)])
    assert score == Fraction(230, 3)
    assert one_decimal(score) == "76.7"


def test_weighted_score_with_three_criteria_of_different_weights():
    # 3 x 3/5 + 2 x 10/10 + 5 x 1/4 = 1.8 + 2 + 1.25 = 5.05; / 10 = 50.5%
    assert weighted_score([(3, 5, 3), (2, 10, 10), (5, 4, 1)]) == Fraction(101, 2)
    assert one_decimal(weighted_score([(3, 5, 3), (2, 10, 10), (5, 4, 1)])) == "50.5"


def test_all_zero_scores_give_zero_and_all_maximum_scores_give_one_hundred():
    assert weighted_score([(2, 5, 0), (1, 10, 0)]) == 0
    assert weighted_score([(2, 5, 5), (1, 10, 10)]) == 100


def test_mean_and_spread_of_hand_worked_reviews():
    reviews = [Fraction(230, 3), Fraction(40), Fraction(55)]  # 76.666..., 40, 55
    assert one_decimal(mean(reviews)) == "57.2"  # 171.666... / 3 = 57.222...
    assert one_decimal(spread(reviews)) == "36.7"


def test_mean_and_spread_of_no_reviews_are_none():
    assert mean([]) is None
    assert spread([]) is None
    assert one_decimal(None) == ""


def test_rounding_is_half_up_to_one_decimal_place():
    assert to_tenths(Fraction(7345, 100)) == 735  # 73.45 -> 73.5
    assert to_tenths(Fraction(7344, 100)) == 734
    assert to_tenths(Fraction(1, 20)) == 1  # 0.05 -> 0.1
    assert one_decimal(Fraction(100)) == "100.0"
    assert one_decimal(Fraction(0)) == "0.0"


@pytest.mark.parametrize("parts", [
    [], [(0, 5, 1)], [(1, 0, 0)], [(1, 5, 6)], [(1, 5, -1)],
])
def test_weighted_score_refuses_impossible_parts(parts):
    with pytest.raises(ValueError):
        weighted_score(parts)


def test_disagreement_is_at_the_threshold_as_shown_to_one_decimal_place():
    assert is_disagreement(Fraction(25), 25)
    assert is_disagreement(Fraction(2496, 100), 25)  # shown as 25.0
    assert not is_disagreement(Fraction(2494, 100), 25)  # shown as 24.9
    assert not is_disagreement(None, 25)


@pytest.mark.parametrize("text,tenths", [
    ("72.5", 725), ("80", 800), ("0", 0), ("100", 1000), ("100.0", 1000), (" 66.7% ", 667),
])
def test_agreed_scores_are_read_in_tenths(text, tenths):
    assert parse_score_tenths(text) == tenths


@pytest.mark.parametrize("text", ["", "abc", "100.1", "-1", "72.55", "1e2", "72.", ".5"])
def test_agreed_scores_that_are_not_percentages_to_one_decimal_are_refused(text):
    with pytest.raises(ValueError):
        parse_score_tenths(text)


def test_ties_are_listed_by_reference_and_unscored_last():
    items = [
        Scored("unscored 1", None, "R-0001"),
        Scored("tie 2", Fraction(60), "R-0002"),
        Scored("tie 4", Fraction(60), "R-0004"),
        Scored("tie 3", Fraction(60), "R-0003"),
        Scored("top", Fraction(81), "R-0005"),
        Scored("unscored 0", None, "R-0000"),
    ]
    assert [item.key for item in rank_order(items)] == [
        "top", "tie 2", "tie 3", "tie 4", "unscored 0", "unscored 1"]


# --- Properties ---------------------------------------------------------------------------

@st.composite
def criteria_scores(draw, min_size=1, max_size=6):
    """A review: (weight, maximum, score) for each criterion."""
    size = draw(st.integers(min_size, max_size))
    parts = []
    for _ in range(size):
        weight = draw(st.integers(1, 1000))
        maximum = draw(st.integers(1, 100))
        parts.append((weight, maximum, draw(st.integers(0, maximum))))
    return parts


@given(criteria_scores())
def test_a_weighted_score_is_between_0_and_100(parts):
    assert 0 <= weighted_score(parts) <= 100
    assert 0 <= to_tenths(weighted_score(parts)) <= 1000


@given(criteria_scores(), st.randoms(use_true_random=False))
def test_a_weighted_score_does_not_depend_on_the_order_of_criteria(parts, random):
    shuffled = list(parts)
    random.shuffle(shuffled)
    assert weighted_score(shuffled) == weighted_score(parts)


@given(criteria_scores(), st.data())
def test_a_weighted_score_rises_with_any_one_score(parts, data):
    index = data.draw(st.integers(0, len(parts) - 1))
    weight, maximum, score = parts[index]
    if score == maximum:
        return
    higher = data.draw(st.integers(score + 1, maximum))
    raised = list(parts)
    raised[index] = (weight, maximum, higher)
    assert weighted_score(raised) > weighted_score(parts)
    assert to_tenths(weighted_score(raised)) >= to_tenths(weighted_score(parts))



@given(st.lists(st.fractions(min_value=0, max_value=100), min_size=1, max_size=8),
       st.randoms(use_true_random=False))
def test_the_mean_and_spread_do_not_depend_on_the_order_of_reviews(values, random):
    shuffled = list(values)
    random.shuffle(shuffled)
    assert mean(shuffled) == mean(values)
    assert spread(shuffled) == spread(values)


@given(st.lists(criteria_scores(), min_size=1, max_size=6))
def test_the_mean_of_weighted_scores_is_between_0_and_100_and_within_the_reviews(reviews):
    scores = [weighted_score(parts) for parts in reviews]
    assert 0 <= min(scores) <= mean(scores) <= max(scores) <= 100
    assert 0 <= spread(scores) <= 100


@given(st.lists(st.fractions(min_value=0, max_value=100), min_size=1, max_size=6),
       st.data())
def test_the_mean_rises_with_any_one_review(values, data):
    index = data.draw(st.integers(0, len(values) - 1))
    if values[index] == 100:
        return
    higher = data.draw(st.fractions(min_value=values[index], max_value=100).filter(
        lambda v: v > values[index]))
    raised = list(values)
    raised[index] = higher
    assert mean(raised) > mean(values)


@given(st.lists(st.tuples(st.one_of(st.none(), st.fractions(0, 100)), st.integers(0, 9999)),
                min_size=0, max_size=10, unique_by=lambda t: t[1]),
       st.randoms(use_true_random=False))
def test_the_ranking_order_does_not_depend_on_the_order_it_is_given(rows, random):
    items = [Scored(key=reference, score=score, reference=f"R-{reference:04d}")
             for score, reference in rows]
    shuffled = list(items)
    random.shuffle(shuffled)
    assert [i.key for i in rank_order(shuffled)] == [i.key for i in rank_order(items)]
    ranked = rank_order(items)
    scores = [i.score for i in ranked if i.score is not None]
    assert scores == sorted(scores, reverse=True)
    assert all(i.score is None for i in ranked[len(scores):])
