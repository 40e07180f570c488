"""Money in one module: pence written as pounds for each place they are shown, and pounds
read back as pence, typed by people or found in data files."""

import ast
import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grants.core.money import (
    MAX_PENCE,
    AmountError,
    MoneyError,
    format_pounds,
    parse_file_pounds,
    parse_pounds,
    pounds_decimal,
    pounds_number,
    pounds_text,
)
from tests.fixtures import source

# --- Pounds typed by people ------------------------------------------------------------------


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


# --- Pounds in data files --------------------------------------------------------------------


@pytest.mark.parametrize("value,pence", [
    (1500, 150_000),
    (1500.5, 150_050),
    (Decimal("1500.05"), 150_005),
    ("1,500.50", 150_050),
    (" £10 ", 1_000),
    ("0.01", 1),
])
def test_amounts_in_a_data_file_become_pence(value, pence):
    assert parse_file_pounds(value) == pence


@pytest.mark.parametrize("value,message", [
    ("ten pounds", "'ten pounds' is not an amount in pounds"),
    ("NaN", "'NaN' is not an amount in pounds"),
    ("Infinity", "'Infinity' is not an amount in pounds"),
    (None, "Enter an amount in pounds"),
    (True, "Enter an amount in pounds"),
    (0, "The amount must be more than 0"),
    ("-5", "The amount must be more than 0"),
    ("1.005", "'1.005' has more than 2 decimal places"),
    ("1000000000.01", "The amount must be £1,000,000,000 or less"),
    ("9" * 5000, "The amount must be £1,000,000,000 or less"),
])
def test_amounts_in_a_data_file_are_refused_naming_the_value(value, message):
    with pytest.raises(AmountError) as refused:
        parse_file_pounds(value)
    assert str(refused.value) == message


@given(st.integers(min_value=1, max_value=MAX_PENCE))
def test_every_amount_survives_the_round_trip_through_json(pence):
    number = json.loads(json.dumps(pounds_number(pence)))
    assert parse_file_pounds(number) == pence


# --- Pounds written for people, forms, spreadsheets and JSON ---------------------------------


@pytest.mark.parametrize(("pence", "text"), [
    (0, "£0"),
    (5, "£0.05"),
    (50, "£0.50"),
    (100, "£1"),
    (123_400, "£1,234"),
    (123_450, "£1,234.50"),
    (123_456, "£1,234.56"),
    (10_673_300, "£106,733"),
    (100_000_000_000, "£1,000,000,000"),
    (-2_550, "-£25.50"),
])
def test_pounds_shows_whole_pounds_without_pence_and_others_with_two_places(pence, text):
    assert format_pounds(pence) == text


def test_pounds_shows_nothing_for_no_amount():
    assert format_pounds(None) == ""


@pytest.mark.parametrize("pence,text", [
    (500_000, "5000"), (500_050, "5000.50"), (5, "0.05"), (0, "0"), (None, ""),
])
def test_a_form_field_shows_pounds_without_symbol_or_separators(pence, text):
    assert pounds_text(pence) == text


@pytest.mark.parametrize("pence,text", [
    (0, "0.00"), (5, "0.05"), (123_456, "1234.56"), (100_000_000, "1000000.00"),
    (100_000_000_000, "1000000000.00"), (-5, "-0.05"), (-6_920_033, "-69200.33"),
])
def test_a_spreadsheet_cell_holds_pounds_with_two_decimals_negative_ones_too(pence, text):
    assert str(pounds_decimal(pence)) == text
    assert pounds_decimal(pence) == Decimal(pence) / 100


def test_a_spreadsheet_cell_is_empty_for_no_amount():
    assert pounds_decimal(None) is None


@pytest.mark.parametrize("pence,number,text", [
    (150_000, 1500, "1500"), (150_050, 1500.5, "1500.5"), (150_005, 1500.05, "1500.05"),
    (1, 0.01, "0.01"),
])
def test_json_holds_whole_pounds_as_integers_and_others_as_exact_decimals(pence, number, text):
    assert pounds_number(pence) == number
    assert type(pounds_number(pence)) is type(number)
    assert json.dumps(pounds_number(pence)) == text


# --- One home --------------------------------------------------------------------------------


def test_no_module_but_the_money_module_defines_a_function_about_pounds():
    """Every conversion between pence and pounds lives in grants/core/money.py: a function
    named for pounds anywhere else is a copy to fold into it."""
    elsewhere = []
    for module in source.modules():
        if module.relative == "core/money.py":
            continue
        elsewhere += [f"{module.relative}:{node.lineno} {node.name}"
                      for node in module.nodes
                      if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                      and "pound" in node.name.lower()]
    assert elsewhere == []
