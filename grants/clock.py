"""The service's one source of the current time, so tests can move the clock."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def today_in_london() -> date:
    return utcnow().astimezone(LONDON).date()


def created_now() -> datetime:
    """Column default for creation times; looks the clock up at call time so tests can move it."""
    return utcnow()


def to_london(value: datetime) -> datetime:
    return value.astimezone(LONDON)


def financial_year_of(day: date) -> str:
    """The UK financial year (1 April to 31 March) holding the day, written "2019/20"."""
    first = day.year if day.month >= 4 else day.year - 1
    return f"{first}/{(first + 1) % 100:02d}"


def financial_year_start(label: str) -> int:
    """The first calendar year of a financial year written "2019/20"."""
    first, _, second = label.partition("/")
    start = int(first)
    if len(first) != 4 or not second or int(second) != (start + 1) % 100:
        raise ValueError(f"not a financial year: {label!r}")
    return start
