"""How rounds are worded: relative days counted on London's calendar, amounts and names."""

from datetime import UTC, datetime

import pytest

from grants.funds.operations.wording import (
    award_range,
    days_until,
    in_days,
    paragraphs,
    round_name,
    timing_phrase,
)

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # 10:00am GMT on Monday 23 November 2026


def test_a_moment_later_the_same_london_day_is_today():
    assert in_days("closes", datetime(2026, 11, 23, 23, 59, tzinfo=UTC), NOW) == "closes today"


def test_a_moment_just_after_midnight_in_london_is_tomorrow():
    assert in_days("closes", datetime(2026, 11, 24, 0, 1, tzinfo=UTC), NOW) == "closes tomorrow"


def test_later_moments_count_whole_calendar_days():
    assert in_days("closes", datetime(2026, 11, 26, 9, 0, tzinfo=UTC), NOW) == "closes in 3 days"


def test_the_verb_is_the_callers():
    assert in_days("opens", datetime(2026, 11, 28, 9, 0, tzinfo=UTC), NOW) == "opens in 5 days"


def test_days_are_counted_in_london_not_in_utc_during_summer_time():
    # 11:30pm UTC on 20 June is 00:30 BST on 21 June: tomorrow in London, today in UTC.
    now = datetime(2026, 6, 20, 12, 0, tzinfo=UTC)

    assert in_days("closes", datetime(2026, 6, 20, 23, 30, tzinfo=UTC), now) == "closes tomorrow"


def test_a_day_that_is_25_hours_long_when_the_clocks_go_back_is_still_one_day():
    # The clocks go back at 2am BST on Sunday 25 October 2026: 00:30 BST on the 25th is
    # 23:30 UTC on the 24th, and 11:30pm GMT that night is 23:30 UTC on the 25th.
    now = datetime(2026, 10, 24, 23, 30, tzinfo=UTC)

    assert days_until(datetime(2026, 10, 25, 23, 30, tzinfo=UTC), now) == 0
    assert in_days("closes", datetime(2026, 10, 25, 23, 30, tzinfo=UTC), now) == "closes today"


def test_a_moment_24_hours_ahead_across_the_spring_change_can_be_two_days_away():
    # 11:30pm GMT on Saturday 27 March 2027; 24 hours later it is 00:30 BST on Monday 29 March.
    now = datetime(2027, 3, 27, 23, 30, tzinfo=UTC)

    assert in_days("closes", datetime(2027, 3, 28, 23, 30, tzinfo=UTC), now) == "closes in 2 days"


def test_a_moment_already_past_is_never_a_negative_number_of_days():
    assert in_days("closes", datetime(2026, 11, 20, 9, 0, tzinfo=UTC), NOW) == "closes today"


@pytest.mark.parametrize("opens_at,closes_at,expected", [
    (datetime(2026, 11, 28, 9, 0, tzinfo=UTC), datetime(2026, 12, 14, 12, 0, tzinfo=UTC),
     "opens in 5 days"),
    (datetime(2026, 11, 1, 9, 0, tzinfo=UTC), datetime(2026, 11, 24, 12, 0, tzinfo=UTC),
     "closes tomorrow"),
    (datetime(2026, 11, 1, 9, 0, tzinfo=UTC), datetime(2026, 11, 23, 9, 59, tzinfo=UTC), None),
])
def test_the_timing_phrase_follows_opening_and_closing(opens_at, closes_at, expected):
    assert timing_phrase(opens_at, closes_at, NOW) == expected


@pytest.mark.parametrize("minimum,maximum,expected", [
    (100_000, 500_000, "£1,000 to £5,000"),
    (None, 500_000, "Up to £5,000"),
    (100_000, None, "£1,000 or more"),
    (250_050, 250_050, "£2,500.50"),
    (None, None, None),
])
def test_award_ranges_are_worded_from_what_is_set(minimum, maximum, expected):
    assert award_range(minimum, maximum) == expected


def test_a_round_name_gains_its_financial_year():
    assert round_name("Small grants Round 1", "2019/20") == "Small grants Round 1 (2019/20)"


def test_a_round_name_that_has_its_financial_year_is_left_alone():
    assert round_name("PPAF 2019/20 Round 1", "2019/20") == "PPAF 2019/20 Round 1"


def test_guidance_splits_into_paragraphs_on_blank_lines_keeping_line_breaks():
    text = "First paragraph\nsecond line.\r\n\r\n  \nSecond paragraph.\n\n\n"

    assert paragraphs(text) == [["First paragraph", "second line."], ["Second paragraph."]]


def test_empty_guidance_has_no_paragraphs():
    assert paragraphs("  \n ") == []
    assert paragraphs(None) == []
