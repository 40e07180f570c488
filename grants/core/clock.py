"""The service's one source of the current time, so tests can move the clock."""

import re
from datetime import UTC, date, datetime, time
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
    return f"{first:04d}/{(first + 1) % 100:02d}"


def financial_year_start(label: str) -> int:
    """The first calendar year of a financial year written "2019/20" (ASCII digits only, so
    each year has one way of being written)."""
    first, _, second = label.partition("/")
    if not (len(first) == 4 and len(second) == 2 and (first + second).isascii()
            and (first + second).isdigit()) or int(second) != (int(first) + 1) % 100:
        raise ValueError(f"not a financial year: {label!r}")
    return int(first)


def financial_year_after(label: str) -> str:
    """The financial year after one written "2019/20": "2020/21"."""
    first = financial_year_start(label) + 1
    return f"{first:04d}/{(first + 1) % 100:02d}"


class TimeError(ValueError):
    """A date or time a person typed that cannot be used; the message is for them."""


_TIME = re.compile(r"^(?P<hour>[0-9]{1,2})(?:[:.](?P<minute>[0-9]{2}))?\s*(?P<half>am|pm)?$")


def parse_time_of_day(text: str | None) -> time:
    """A time of day typed as "12:00", "17:30", "9:30am", "5pm", "midday" or "midnight"."""
    value = (text or "").strip().lower().replace(" ", "")
    if value in {"midday", "noon", "12noon"}:
        return time(12, 0)
    if value == "midnight":
        return time(0, 0)
    match = _TIME.match(value)
    if not value or match is None:
        raise TimeError("Enter a time like 12:00, 17:30 or 5:30pm")
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    if match["half"]:
        if not 1 <= hour <= 12:
            raise TimeError("Enter an hour from 1 to 12 with am or pm")
        hour = hour % 12 + (12 if match["half"] == "pm" else 0)
    elif match["minute"] is None:
        raise TimeError("Enter a time like 12:00, 17:30 or 5:30pm")
    if hour > 23 or minute > 59:
        raise TimeError("Enter a real time, from 00:00 to 23:59")
    return time(hour, minute)


# A deadline of "midnight" on a day is the end of that day, as people mean it: the last second.
END_OF_DAY = time(23, 59, 59)
_AMBIGUOUS_CLOSING = ("12am and 00:00 could mean the start or the end of the day. Enter "
                      "midnight for the end of the day, or a time like 11:59pm")


def parse_closing_time(text: str | None) -> time:
    """A deadline's time of day: as `parse_time_of_day`, but "midnight" is the end of the day
    (23:59:59), and 12am or 00:00, which could mean either end, are refused."""
    if (text or "").strip().lower().replace(" ", "") in {"midnight", "12midnight"}:
        return END_OF_DAY
    at = parse_time_of_day(text)
    if at == time(0):
        raise TimeError(_AMBIGUOUS_CLOSING)
    return at


def time_of_day(at: time) -> str:
    """A time of day as the GOV.UK style guide writes it: "9am", "5:30pm", "midday",
    "midnight" (00:00), and "11:59pm" for the last minute of a day (a deadline at the end of
    it), never "12pm" or "12am"."""
    if (at.hour, at.minute) == (12, 0):
        return "midday"
    if (at.hour, at.minute) == (0, 0):
        return "midnight"
    hour, half = at.hour % 12 or 12, "am" if at.hour < 12 else "pm"
    return f"{hour}{half}" if at.minute == 0 else f"{hour}:{at.minute:02d}{half}"


def time_text(at: time) -> str:
    """A time of day as a form shows it again, in words the form reads back: "5:30pm",
    "midday", and "midnight" for the end of a day (a closing time)."""
    return "midnight" if at == END_OF_DAY else time_of_day(at)


def london_to_utc(day: date, at: time) -> datetime:
    """A wall-clock time in London as an aware UTC datetime.

    A time skipped when the clocks go forward (01:00-01:59 on the last Sunday in March) is
    refused; a time that happens twice when they go back is taken the first time (BST).
    """
    local = datetime.combine(day, at, tzinfo=LONDON)
    as_utc = local.astimezone(UTC)
    if as_utc.astimezone(LONDON).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise TimeError(
            f"{at:%H:%M} does not exist on {day.day} {day:%B %Y} in the UK because the clocks "
            "go forward. Enter a time after 02:00"
        )
    return as_utc


def zone_abbreviation(moment: datetime) -> str:
    """ "GMT" or "BST": the UK's clock at that moment."""
    return to_london(moment).tzname() or "GMT"
