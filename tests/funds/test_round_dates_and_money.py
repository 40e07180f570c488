"""Dates and times typed in UK local time, stored in UTC and shown with GMT or BST; money typed
in pounds and stored in pence."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from grants.funds.models import Round
from tests.fixtures.auth import post_form
from tests.funds.conftest import error_messages, round_form


def create(client, fund, **overrides):
    return post_form(client, "/staff/rounds/new", round_form(fund=fund.id, **overrides))


def the_round(db_session) -> Round:
    return db_session.scalars(select(Round)).one()


def test_times_either_side_of_the_march_clock_change_are_stored_in_utc_and_shown_with_their_zone(
    staff_client, ppaf, db_session
):
    # The clocks go forward at 1am on Sunday 29 March 2026.
    create(staff_client, ppaf, opens_at=["28", "3", "2026"], opens_at_time="12:00",
           closes_at=["30", "3", "2026"], closes_at_time="12:00")

    round_ = the_round(db_session)
    assert round_.opens_at == datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
    assert round_.closes_at == datetime(2026, 3, 30, 11, 0, tzinfo=UTC)
    html = staff_client.get(f"/staff/rounds/{round_.id}").text
    assert "midday on 28 March 2026 (GMT)" in html
    assert "midday on 30 March 2026 (BST)" in html


def test_times_either_side_of_the_october_clock_change_are_shown_with_their_zone(
    staff_client, ppaf, db_session
):
    # The clocks go back at 2am on Sunday 25 October 2026.
    create(staff_client, ppaf, opens_at=["24", "10", "2026"], opens_at_time="5:30pm",
           closes_at=["26", "10", "2026"], closes_at_time="5:30pm")

    round_ = the_round(db_session)
    assert round_.opens_at == datetime(2026, 10, 24, 16, 30, tzinfo=UTC)
    assert round_.closes_at == datetime(2026, 10, 26, 17, 30, tzinfo=UTC)
    html = staff_client.get(f"/staff/rounds/{round_.id}").text
    assert "5:30pm on 24 October 2026 (BST)" in html
    assert "5:30pm on 26 October 2026 (GMT)" in html


def test_a_time_the_clocks_skip_is_refused_on_the_time_field(staff_client, ppaf, db_session):
    response = create(staff_client, ppaf, opens_at=["29", "3", "2026"], opens_at_time="1:30am")

    assert error_messages(response.text) == [
        "01:30 does not exist on 29 March 2026 in the UK because the clocks go forward. "
        "Enter a time after 02:00"]
    assert 'value="1:30am"' in response.text
    assert db_session.scalars(select(Round)).first() is None


def test_a_time_that_happens_twice_is_taken_as_the_first_in_bst(staff_client, ppaf,
                                                                 db_session):
    create(staff_client, ppaf, opens_at=["25", "10", "2026"], opens_at_time="1:30am",
           closes_at=["30", "10", "2026"])

    assert the_round(db_session).opens_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_the_financial_year_left_blank_is_that_of_the_opening_date_whatever_the_closing_time(
    staff_client, ppaf, db_session
):
    # 00:30 BST on 1 April 2026 is in 2026/27; the round opened, and belongs, in 2025/26.
    create(staff_client, ppaf, opens_at=["1", "3", "2026"], closes_at=["1", "4", "2026"],
           closes_at_time="00:30")

    round_ = the_round(db_session)
    assert round_.closes_at == datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
    assert round_.financial_year == "2025/26"
    assert round_.code == "PPAF-2025-1"


def test_staff_state_the_financial_year_and_the_code_follows_it(staff_client, ppaf, db_session):
    create(staff_client, ppaf, opens_at=["1", "2", "2027"], closes_at=["30", "4", "2027"],
           financial_year="2027-28")

    round_ = the_round(db_session)
    assert (round_.financial_year, round_.code) == ("2027/28", "PPAF-2027-1")


@pytest.mark.parametrize("typed,message", [
    ("2026", "Enter the financial year as 4 digits, a slash and 2 digits, like 2026/27"),
    ("2026/28", "Enter the financial year as 4 digits, a slash and 2 digits, like 2026/27"),
    ("２０２６/27", "Enter the financial year as 4 digits, a slash and 2 digits, like 2026/27"),
    ("2019/20", "The financial year must be from 2025/26 to 2027/28, near the round's opening "
                "and closing dates"),
])
def test_a_financial_year_that_is_not_one_or_far_from_the_dates_is_refused(
    staff_client, ppaf, db_session, typed, message
):
    response = create(staff_client, ppaf, financial_year=typed)

    assert error_messages(response.text) == [message]
    assert db_session.scalars(select(Round)).first() is None


def test_a_closing_time_of_midnight_is_the_end_of_that_day_and_shows_again_as_midnight(
    staff_client, ppaf, db_session
):
    create(staff_client, ppaf, opens_at=["1", "2", "2027"], closes_at=["31", "3", "2027"],
           closes_at_time="midnight")

    round_ = the_round(db_session)
    # 23:59:59 BST on 31 March 2027 (the clocks went forward on 28 March).
    assert round_.closes_at == datetime(2027, 3, 31, 22, 59, 59, tzinfo=UTC)
    assert round_.financial_year == "2026/27"
    page = staff_client.get(f"/staff/rounds/{round_.id}").text
    assert "11:59pm on 31 March 2027" in page
    edit = staff_client.get(f"/staff/rounds/{round_.id}/edit").text
    assert 'name="closes_at_time" type="text" spellcheck="false" value="midnight"' in edit


@pytest.mark.parametrize("typed", ["12am", "00:00"])
def test_a_closing_time_that_could_mean_either_end_of_the_day_is_refused(
    staff_client, ppaf, db_session, typed
):
    response = create(staff_client, ppaf, closes_at_time=typed)

    assert error_messages(response.text) == [
        "12am and 00:00 could mean the start or the end of the day. Enter midnight for the "
        "end of the day, or a time like 11:59pm"]
    assert db_session.scalars(select(Round)).first() is None


@pytest.mark.parametrize("day,message", [
    (["", "", ""], "Enter the closing date"),
    (["30", "", "2026"], "Closing date must include a day, month and year"),
    (["30", "sept", "2026"], "Closing date must be a real date, like 27 3 2026"),
    (["31", "9", "2026"], "Closing date must be a real date, like 27 3 2026"),
    (["30", "9", "26"], "Year must include 4 numbers"),
])
def test_a_date_that_is_not_a_real_date_is_an_error_on_it(staff_client, ppaf, day, message):
    response = create(staff_client, ppaf, closes_at=day)

    assert error_messages(response.text) == [message]


@pytest.mark.parametrize("typed,pence", [
    ("£5,000", 5_000_00),
    ("5000", 5_000_00),
    ("5000.50", 5_000_50),
    ("£1,234,567.8", 1_234_567_80),
])
def test_money_is_typed_in_pounds_and_stored_in_pence(staff_client, ppaf, db_session, typed,
                                                      pence):
    create(staff_client, ppaf, budget=typed, min_award="0", max_award="5000")

    assert the_round(db_session).budget_pence == pence


@pytest.mark.parametrize("typed,message", [
    ("£1,00.5", "Enter an amount in pounds and pence only, like 5000 or £5,000.50"),
    ("-5", "Enter an amount of more than £0"),
    ("1e6", "Enter an amount in pounds and pence only, like 5000 or £5,000.50"),
    ("12345678901234567890", "Enter an amount of £1,000,000,000 or less"),
    ("5000.505", "Enter an amount in pounds and pence only, like 5000 or £5,000.50"),
    ("0", "Enter an amount of more than £0"),
    ("", "Enter the budget"),
])
def test_anything_else_is_a_clear_error_on_the_field_which_keeps_what_was_typed(
    staff_client, ppaf, db_session, typed, message
):
    response = create(staff_client, ppaf, budget=typed)

    assert error_messages(response.text) == [message]
    assert f'id="budget" name="budget" type="text" spellcheck="false" value="{typed}"' in (
        response.text)
    assert db_session.scalars(select(Round)).first() is None


def test_award_limits_reject_bad_amounts_too(staff_client, ppaf):
    response = create(staff_client, ppaf, min_award="-5", max_award="1e6")

    assert error_messages(response.text) == [
        "Enter an amount of £0 or more",
        "Enter an amount in pounds and pence only, like 5000 or £5,000.50",
    ]
