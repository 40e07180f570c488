"""Pounds typed by people become pence, or a clear refusal."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grants.core.money import MAX_PENCE, MoneyError, parse_pounds, pounds_text


@pytest.mark.parametrize("typed,pence", [
    ("£5,000", 500_000),
    ("5000", 500_000),
    ("5000.50", 500_050),
    ("5000.5", 500_050),
    (" £1,234,567.89 ", 123_456_789),
    ("12,345", 1_234_500),
    ("0", 0),
    ("0.01", 1),
])
def test_amounts_in_pounds_become_pence(typed, pence):
    assert parse_pounds(typed) == pence


@pytest.mark.parametrize("typed,message", [
    ("£1,00.5", "pounds and pence only"),
    ("-5", "£0 or more"),
    ("1e6", "pounds and pence only"),
    ("12345678901234567890", "£1,000,000,000 or less"),
    ("5,00", "pounds and pence only"),
    ("5000.505", "pounds and pence only"),
    (".5", "pounds and pence only"),
    ("five pounds", "pounds and pence only"),
    ("٥٠٠٠", "pounds and pence only"),  # digits, but not ones people type for pounds
    ("", "Enter an amount"),
    (None, "Enter an amount"),
    ("£", "Enter an amount"),
])
def test_anything_else_is_refused_with_a_message(typed, message):
    with pytest.raises(MoneyError, match=message):
        parse_pounds(typed)


def test_zero_can_be_refused():
    with pytest.raises(MoneyError, match="more than £0"):
        parse_pounds("0.00", allow_zero=False)


@given(st.integers(min_value=0, max_value=MAX_PENCE))
def test_every_amount_survives_the_round_trip_through_a_form(pence):
    assert parse_pounds(pounds_text(pence)) == pence
