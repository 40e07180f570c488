"""Pure formatting of times for pages, emails and exports (money is in `grants.core.money`)."""

from datetime import date, datetime

from grants.core.clock import time_of_day, to_london


def _require_aware(value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("refusing to format a naive datetime; use an aware UTC one")


def format_london_datetime(value: datetime | None) -> str:
    """An aware datetime as London time in the GOV.UK style, e.g. "3pm on 14 March 2026
    (GMT)", "5:30pm on …", "midday on …", "11:59pm on …"; None as ""."""
    if value is None:
        return ""
    _require_aware(value)
    local = to_london(value)
    # tzname() is "GMT" in winter and "BST" in summer for Europe/London.
    return f"{time_of_day(local.time())} on {_day_month_year(local)} ({local.tzname()})"


def format_london_date(value: datetime | date | None) -> str:
    """A date, or the London date of an aware datetime, e.g. "14 March 2026"; None as ""."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        _require_aware(value)
        value = to_london(value)
    return _day_month_year(value)


def _day_month_year(value: date) -> str:
    return f"{value.day} {value:%B %Y}"
