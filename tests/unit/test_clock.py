"""Times typed in UK local time are stored in UTC, right across the clock changes."""

from datetime import UTC, date, datetime, time

import pytest

from grants.core import clock


@pytest.mark.parametrize("typed,expected", [
    ("12:00", time(12)), ("17:30", time(17, 30)), ("9:30am", time(9, 30)), ("5pm", time(17)),
    ("12am", time(0)), ("12pm", time(12)), ("midday", time(12)), ("midnight", time(0)),
    ("09.15", time(9, 15)),
])
def test_times_of_day_people_type(typed, expected):
    assert clock.parse_time_of_day(typed) == expected


@pytest.mark.parametrize("typed", ["", "9", "24:00", "12:60", "13pm", "0am", "noonish", "1e3"])
def test_times_that_are_not_times_are_refused(typed):
    with pytest.raises(clock.TimeError):
        clock.parse_time_of_day(typed)


@pytest.mark.parametrize("typed,expected", [
    ("midnight", time(23, 59, 59)), ("Midnight", time(23, 59, 59)),
    ("12 midnight", time(23, 59, 59)), ("5:30pm", time(17, 30)), ("midday", time(12)),
    ("23:59", time(23, 59)),
])
def test_a_closing_time_of_midnight_is_the_end_of_the_day(typed, expected):
    assert clock.parse_closing_time(typed) == expected


@pytest.mark.parametrize("typed", ["12am", "00:00", "0:00", "12:00am"])
def test_a_closing_time_that_could_be_either_end_of_the_day_is_refused(typed):
    with pytest.raises(clock.TimeError) as refused:
        clock.parse_closing_time(typed)
    assert str(refused.value) == ("12am and 00:00 could mean the start or the end of the day. "
                                  "Enter midnight for the end of the day, or a time like 11:59pm")


def test_a_time_shows_again_in_words_the_form_reads_and_the_end_of_the_day_as_midnight():
    times = (time(17, 30), time(9), time(12), time(0), clock.END_OF_DAY)
    assert [clock.time_text(at) for at in times] == [
        "5:30pm", "9am", "midday", "midnight", "midnight"]
    assert [clock.parse_time_of_day(clock.time_text(at)) for at in times[:4]] == list(
        times[:4])
    assert clock.parse_closing_time(clock.time_text(clock.END_OF_DAY)) == clock.END_OF_DAY


def test_london_winter_time_is_utc_and_summer_time_is_an_hour_ahead():
    assert clock.london_to_utc(date(2026, 1, 15), time(12)) == datetime(2026, 1, 15, 12,
                                                                        tzinfo=UTC)
    assert clock.london_to_utc(date(2026, 7, 15), time(12)) == datetime(2026, 7, 15, 11,
                                                                        tzinfo=UTC)


def test_the_hour_skipped_when_the_clocks_go_forward_is_refused():
    assert clock.london_to_utc(date(2026, 3, 29), time(0, 59)) == datetime(
        2026, 3, 29, 0, 59, tzinfo=UTC)
    with pytest.raises(clock.TimeError, match="clocks go forward"):
        clock.london_to_utc(date(2026, 3, 29), time(1, 30))
    assert clock.london_to_utc(date(2026, 3, 29), time(2)) == datetime(2026, 3, 29, 1,
                                                                       tzinfo=UTC)


def test_the_hour_that_happens_twice_when_the_clocks_go_back_is_taken_the_first_time():
    moment = clock.london_to_utc(date(2026, 10, 25), time(1, 30))
    assert moment == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert clock.zone_abbreviation(moment) == "BST"
    assert clock.zone_abbreviation(datetime(2026, 10, 25, 1, 30, tzinfo=UTC)) == "GMT"
