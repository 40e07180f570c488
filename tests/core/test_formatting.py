from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from flask import render_template_string

from grants.core.formatting import format_london_date, format_london_datetime


def test_london_time_is_gmt_until_one_in_the_morning_utc_on_the_last_sunday_of_march():
    assert format_london_datetime(datetime(2026, 3, 29, 0, 59, tzinfo=UTC)) == (
        "12:59am on 29 March 2026 (GMT)"
    )


def test_london_time_is_bst_from_one_in_the_morning_utc_on_the_last_sunday_of_march():
    assert format_london_datetime(datetime(2026, 3, 29, 1, 0, tzinfo=UTC)) == (
        "2am on 29 March 2026 (BST)"
    )


def test_london_time_goes_back_to_gmt_at_one_in_the_morning_utc_on_the_last_sunday_of_october():
    assert format_london_datetime(datetime(2026, 10, 25, 0, 59, tzinfo=UTC)) == (
        "1:59am on 25 October 2026 (BST)"
    )
    assert format_london_datetime(datetime(2026, 10, 25, 1, 0, tzinfo=UTC)) == (
        "1am on 25 October 2026 (GMT)"
    )


@pytest.mark.parametrize(("moment", "text"), [
    (datetime(2026, 3, 14, 15, 0, tzinfo=UTC), "3pm on 14 March 2026 (GMT)"),
    (datetime(2026, 1, 5, 12, 0, tzinfo=UTC), "midday on 5 January 2026 (GMT)"),
    (datetime(2026, 1, 5, 0, 5, tzinfo=UTC), "12:05am on 5 January 2026 (GMT)"),
    (datetime(2026, 7, 1, 11, 30, tzinfo=UTC), "12:30pm on 1 July 2026 (BST)"),
])
def test_london_time_uses_a_twelve_hour_clock(moment, text):
    assert format_london_datetime(moment) == text


@pytest.mark.parametrize(("moment", "text"), [
    (datetime(2026, 1, 5, 9, 0, tzinfo=UTC), "9am on 5 January 2026 (GMT)"),
    (datetime(2026, 1, 5, 17, 30, tzinfo=UTC), "5:30pm on 5 January 2026 (GMT)"),
    (datetime(2026, 1, 5, 0, 0, tzinfo=UTC), "midnight on 5 January 2026 (GMT)"),
    (datetime(2026, 1, 5, 23, 59, 59, tzinfo=UTC), "11:59pm on 5 January 2026 (GMT)"),
    (datetime(2026, 7, 1, 11, 0, 30, tzinfo=UTC), "midday on 1 July 2026 (BST)"),
])
def test_london_time_follows_the_gov_uk_style_guide(moment, text):
    """No ":00" on the hour, "midday" and "midnight" rather than 12pm and 12am, and a
    deadline at the end of a day as 11:59pm."""
    assert format_london_datetime(moment) == text


def test_london_time_accepts_any_aware_datetime():
    paris_summer = timezone(timedelta(hours=2))
    assert format_london_datetime(datetime(2026, 7, 1, 17, 0, tzinfo=paris_summer)) == (
        "4pm on 1 July 2026 (BST)"
    )


def test_london_time_refuses_a_naive_datetime():
    with pytest.raises(ValueError, match="naive"):
        format_london_datetime(datetime(2026, 3, 14, 15, 0))


def test_london_date_is_the_date_in_london_not_in_utc():
    assert format_london_date(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == "1 July 2026"
    assert format_london_date(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == "31 December 2026"


def test_london_date_formats_a_plain_date():
    assert format_london_date(date(2026, 3, 14)) == "14 March 2026"


def test_formatting_shows_nothing_for_no_time():
    assert format_london_datetime(None) == ""
    assert format_london_date(None) == ""


def test_templates_have_the_money_and_time_filters(app):
    moment = datetime(2026, 3, 14, 15, 0, tzinfo=UTC)
    with app.test_request_context():
        rendered = render_template_string(
            "{{ pence | pounds }} | {{ moment | london_datetime }} | {{ moment | london_date }}",
            pence=123_450, moment=moment,
        )
    assert rendered == "£1,234.50 | 3pm on 14 March 2026 (GMT) | 14 March 2026"
