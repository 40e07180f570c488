"""Pure formatting of times for pages, emails and exports (money is in `grants.core.money`)."""

from datetime import date, datetime

from grants.core.clock import time_of_day, to_london


def _require_aware(value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("refusing to format a naive datetime; use an aware UTC one")


WELSH = "cy"
WELSH_MONTHS = ("Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf",
                "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr")
WELSH_TIMES = {"midday": "hanner dydd", "midnight": "hanner nos"}


def format_london_datetime(value: datetime | None, language: str = "en") -> str:
    """An aware datetime as London time in the GOV.UK style, e.g. "3pm on 14 March 2026
    (GMT)", "5:30pm on …", "midday on …", "11:59pm on …"; None as "". In Welsh (`language`
    "cy"): "3pm ar 14 Mawrth 2026 (GMT)", "hanner dydd ar …"."""
    if value is None:
        return ""
    _require_aware(value)
    local = to_london(value)
    # tzname() is "GMT" in winter and "BST" in summer for Europe/London.
    if language == WELSH:
        at = time_of_day(local.time())
        return (f"{WELSH_TIMES.get(at, at)} ar {_day_month_year(local, language)} "
                f"({local.tzname()})")
    return f"{time_of_day(local.time())} on {_day_month_year(local)} ({local.tzname()})"


def format_london_date(value: datetime | date | None, language: str = "en") -> str:
    """A date, or the London date of an aware datetime, e.g. "14 March 2026" ("14 Mawrth
    2026" in Welsh); None as ""."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        _require_aware(value)
        value = to_london(value)
    return _day_month_year(value, language)


def format_month(value: date, language: str = "en") -> str:
    """A date's month and year: "March 2026" ("Mawrth 2026" in Welsh)."""
    if language == WELSH:
        return f"{WELSH_MONTHS[value.month - 1]} {value.year}"
    return f"{value:%B %Y}"


def _day_month_year(value: date, language: str = "en") -> str:
    if language == WELSH:
        return f"{value.day} {WELSH_MONTHS[value.month - 1]} {value.year}"
    return f"{value.day} {value:%B %Y}"
