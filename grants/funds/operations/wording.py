"""How rounds are worded on pages: kinds and statuses, names with their financial year,
amounts, "closes in 3 days".

Pure functions of their arguments (the caller passes the current time), so tests need no clock.
"""

import re
from datetime import datetime

from grants.core.clock import to_london
from grants.core.money import format_pounds
from grants.funds.models import RoundKind, RoundStatus

_BLANK_LINE = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")

KIND_LABELS = {
    RoundKind.OPEN: "Open round",
    RoundKind.NOMINATION: "Nomination round",
    RoundKind.ALLOCATION: "Allocation round",
    RoundKind.DIRECT: "Direct awards",
}
KIND_HINTS = {
    RoundKind.OPEN: "Organisations apply and staff assess their applications",
    RoundKind.NOMINATION: "High Sheriffs nominate organisations within an allocation per county",
    RoundKind.ALLOCATION: "Staff record direct allocations, such as formula shares to councils",
    RoundKind.DIRECT: "Awards made outside any round, each signed off by a second member of staff",
}
STATUS_LABELS = {
    RoundStatus.DRAFT: "Draft",
    RoundStatus.UPCOMING: "Launched, not yet open",
    RoundStatus.OPEN: "Open",
    RoundStatus.CLOSED: "Closed",
    RoundStatus.ASSESSING: "Assessing",
    RoundStatus.DECIDED: "Decided",
    RoundStatus.PUBLISHED: "Decisions published",
}


def round_name(title: str, financial_year: str) -> str:
    """A round's title with its financial year, "Small grants (2026/27)", unless it has it."""
    if financial_year in title:
        return title
    return f"{title} ({financial_year})"


def days_until(moment: datetime, now: datetime) -> int:
    """How many London calendar days from now's date to the moment's date (0 for today).

    Counted on the calendar in London, not in 24-hour steps, so that a round closing at 11pm
    tomorrow "closes tomorrow" at 8am today, whichever side of a clock change either is.
    """
    return (to_london(moment).date() - to_london(now).date()).days


def in_days(verb: str, moment: datetime, now: datetime) -> str:
    """ "closes today", "closes tomorrow", "closes in 3 days" (or "opens ...") for a moment to come.

    A moment already past is worded as today's or the number of days it is away, never
    negative: callers only ask about moments to come.
    """
    days = max(days_until(moment, now), 0)
    if days == 0:
        return f"{verb} today"
    if days == 1:
        return f"{verb} tomorrow"
    return f"{verb} in {days} days"


def timing_phrase(opens_at: datetime, closes_at: datetime, now: datetime) -> str | None:
    """ "opens in 5 days" before a round opens, "closes tomorrow" while open, None once closed."""
    if now < opens_at:
        return in_days("opens", opens_at, now)
    if now < closes_at:
        return in_days("closes", closes_at, now)
    return None


def award_range(min_pence: int | None, max_pence: int | None) -> str | None:
    """ "£1,000 to £5,000", "Up to £5,000", "£1,000 or more", or None when neither is set."""
    if min_pence is not None and max_pence is not None:
        if min_pence == max_pence:
            return format_pounds(max_pence)
        return f"{format_pounds(min_pence)} to {format_pounds(max_pence)}"
    if max_pence is not None:
        return f"Up to {format_pounds(max_pence)}"
    if min_pence is not None:
        return f"{format_pounds(min_pence)} or more"
    return None


def paragraphs(text: str | None) -> list[list[str]]:
    """Plain text split into paragraphs on blank lines, each paragraph a list of its lines."""
    normalised = (text or "").replace("\r\n", "\n").strip()
    if not normalised:
        return []
    return [
        [line.strip() for line in block.strip().split("\n")]
        for block in _BLANK_LINE.split(normalised)
        if block.strip()
    ]
