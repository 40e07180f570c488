"""Pure formatting of times for pages, emails and exports (money is in `grants.core.money`)."""

from datetime import date, datetime

from grants.core.clock import to_london


def _require_aware(value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("refusing to format a naive datetime; use an aware UTC one")


def format_london_datetime(value: datetime | None) -> str:
    """An aware datetime as London time, e.g. "3:00pm on 14 March 2026 (GMT)"; None as ""."""
    if value is None:
        return ""
    _require_aware(value)
    local = to_london(value)
    hour = local.hour % 12 or 12
    meridiem = "am" if local.hour < 12 else "pm"
    # tzname() is "GMT" in winter and "BST" in summer for Europe/London.
    return f"{hour}:{local.minute:02d}{meridiem} on {_day_month_year(local)} ({local.tzname()})"


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
