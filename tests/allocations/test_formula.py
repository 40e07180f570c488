"""The allocation formula: proportions by weighted factors, whole pounds by largest remainder."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grants.allocations.operations.formula import (
    FULL_WEIGHT,
    Factor,
    FormulaError,
    Recipient,
    allocate,
    percent,
    proportions,
)

POPULATION = Factor("population", "population", 5000)
CRIME = Factor("crime", "recorded crime", 2500)
DEMAND = Factor("demand", "non-crime demand", 2500)


def recipient(key, population, crime, demand, name=None):
    return Recipient(key, name or key, {"population": Decimal(population),
                                        "crime": Decimal(crime), "demand": Decimal(demand)})


def test_the_formula_reproduces_a_hand_worked_example():
    """£100,000 shared by population 50 %, recorded crime 25 %, non-crime demand 25 %.

    Population  A 200,000  B 100,000  C 100,000  (total 400,000): 1/2, 1/4, 1/4
    Crime       A   3,000  B   1,000  C   2,000  (total   6,000): 1/2, 1/6, 1/3
    Demand      A   1,000  B   2,000  C   2,000  (total   5,000): 1/5, 2/5, 2/5

    A = 0.5 x 1/2 + 0.25 x 1/2 + 0.25 x 1/5 = 0.25  + 0.125    + 0.05 = 0.425     -> £42,500.00
    B = 0.5 x 1/4 + 0.25 x 1/6 + 0.25 x 2/5 = 0.125 + 0.041666 + 0.1  = 0.266666  -> £26,666.67
    C = 0.5 x 1/4 + 0.25 x 1/3 + 0.25 x 2/5 = 0.125 + 0.083333 + 0.1  = 0.308333  -> £30,833.33

    Whole pounds: 42,500 + 26,666 + 30,833 = 99,999, so £1 is left over. It goes to the
    largest fraction: B's 0.67 (C has 0.33, A none). Shares: £42,500, £26,667, £30,833.
    """
    people = [recipient("A", 200_000, 3_000, 1_000), recipient("B", 100_000, 1_000, 2_000),
              recipient("C", 100_000, 2_000, 2_000)]

    shares = allocate(100_000, [POPULATION, CRIME, DEMAND], people)

    assert [s.proportion for s in shares] == [Fraction(17, 40), Fraction(4, 15),
                                              Fraction(37, 120)]
    assert [s.pounds for s in shares] == [42_500, 26_667, 30_833]
    assert sum(s.pounds for s in shares) == 100_000


def test_a_pound_left_over_between_equal_fractions_goes_to_the_name_that_sorts_first():
    people = [recipient(key, 1, 1, 1, name) for key, name in
              [(3, "Wokingham"), (1, "Slough"), (2, "Reading")]]

    shares = allocate(100, [POPULATION, CRIME, DEMAND], people)

    assert {s.key: s.pounds for s in shares} == {3: 33, 1: 33, 2: 34}


def test_between_equal_fractions_and_equal_names_the_recipient_given_first_wins():
    """Neither the key nor the name decides here: the order the recipients were given in."""
    people = [recipient(key, 1, 1, 1, "Same name") for key in (9, 4, 7)]

    shares = allocate(100, [POPULATION, CRIME, DEMAND], people)

    assert [(s.key, s.pounds) for s in shares] == [(9, 34), (4, 33), (7, 33)]


def test_a_weighted_factor_whose_values_are_all_zero_is_refused():
    people = [recipient("A", 10, 0, 5), recipient("B", 20, 0, 5)]

    with pytest.raises(FormulaError, match="recorded crime is 0"):
        allocate(1_000, [POPULATION, CRIME, DEMAND], people)


def test_a_factor_weighted_zero_is_ignored_even_when_its_values_are_all_zero():
    people = [recipient("A", 10, 0, 5), recipient("B", 30, 0, 5)]
    factors = [Factor("population", "population", 10_000), Factor("crime", "crime", 0)]

    assert [s.pounds for s in allocate(1_000, factors, people)] == [250, 750]


def test_weights_that_do_not_add_up_to_100_percent_are_refused():
    with pytest.raises(FormulaError, match="add up to 100 %, not 75 %"):
        proportions([POPULATION, CRIME], [recipient("A", 1, 1, 1)])


def test_a_missing_value_is_refused_with_the_recipient_and_factor_named():
    people = [Recipient("A", "Reading", {"population": Decimal(1)})]

    with pytest.raises(FormulaError, match="Enter Reading's recorded crime"):
        allocate(10, [POPULATION, CRIME, DEMAND], people)


def test_percentages_read_as_people_write_them():
    assert [percent(5000), percent(1250), percent(3333)] == ["50 %", "12.5 %", "33.33 %"]


@st.composite
def formulas(draw):
    factor_count = draw(st.integers(min_value=1, max_value=4))
    cuts = sorted(draw(st.lists(st.integers(min_value=0, max_value=FULL_WEIGHT),
                                min_size=factor_count - 1, max_size=factor_count - 1)))
    weights = [b - a for a, b in zip([0, *cuts], [*cuts, FULL_WEIGHT], strict=True)]
    factors = [Factor(index, f"factor {index}", weight) for index, weight in enumerate(weights)]
    count = draw(st.integers(min_value=1, max_value=12))
    values = st.decimals(min_value=0, max_value=10_000_000, places=4, allow_nan=False,
                         allow_infinity=False)
    people = [Recipient(index, draw(st.sampled_from(["Reading", "Slough", "Oxford", "Cherwell"])),
                        {f.key: draw(values) for f in factors}) for index in range(count)]
    # Every weighted factor needs someone with a value above 0.
    for factor in factors:
        if sum(p.values[factor.key] for p in people) == 0:
            people[0].values[factor.key] = Decimal(1)
    amount = draw(st.integers(min_value=0, max_value=50_000_000))
    return amount, factors, people


@settings(max_examples=max(300, settings().max_examples))
@given(formulas())
def test_shares_always_add_up_exactly_in_whole_pounds_each_within_a_pound_of_its_exact_share(
    formula,
):
    amount, factors, people = formula

    shares = allocate(amount, factors, people)

    assert sum(share.pounds for share in shares) == amount
    assert sum(share.proportion for share in shares) == 1
    for share in shares:
        assert isinstance(share.pounds, int) and share.pounds >= 0
        assert abs(share.pounds - share.exact_pounds) < 1
