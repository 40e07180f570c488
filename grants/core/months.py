"""Calendar months written "2026-11", as the monthly publication names them: their bounds in
London time (as UTC instants) and their names ("November 2026")."""

import re
from datetime import UTC, date, datetime

from grants.core.clock import LONDON

_MONTH = re.compile(r"^(?P<year>[0-9]{4})-(?P<month>[0-9]{2})$")


class MonthError(ValueError):
    """Not a month written like 2026-11; the message is for the person who typed it."""


def parse_month(label: str) -> date:
    """The first day of the month written "2026-11" (ASCII digits, so each month has one way of
    being written)."""
    found = _MONTH.match((label or "").strip())
    if not found or not label.isascii() or not 1 <= int(found["month"]) <= 12 \
            or int(found["year"]) < 1990:
        raise MonthError(f"Give the month like 2026-11, not {label!r}")
    return date(int(found["year"]), int(found["month"]), 1)


def month_label(day: date) -> str:
    """The month holding the day, written "2026-11"."""
    return f"{day.year:04d}-{day.month:02d}"


def month_after(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def month_before(first: date) -> date:
    return date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)


def month_bounds(label: str) -> tuple[datetime, datetime]:
    """The month's first instant and the next month's, midnight in London, as UTC."""
    first = parse_month(label)

    def midnight(day: date) -> datetime:
        return datetime(day.year, day.month, day.day, tzinfo=LONDON).astimezone(UTC)

    return midnight(first), midnight(month_after(first))


def month_name(label: str) -> str:
    """ "2026-11" as "November 2026"."""
    return f"{parse_month(label):%B %Y}"
