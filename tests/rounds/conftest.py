"""A fixed clock and launched rounds for the public rounds pages."""

from datetime import UTC, datetime

import pytest

from grants.core import clock

# 10:00am GMT on Monday 23 November 2026.
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
OPENS = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
CLOSES = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)  # 12:00pm GMT on Thursday 26 November
LAUNCHED = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def move_clock(monkeypatch):
    """`move_clock(moment)` makes the service's clock read that moment."""

    def _move(moment: datetime) -> None:
        monkeypatch.setattr(clock, "utcnow", lambda: moment)

    _move(NOW)
    return _move


@pytest.fixture
def launched_round(round_factory, move_clock):
    """A round staff have launched: open now unless its dates say otherwise."""

    def _launched(**kwargs):
        kwargs.setdefault("opens_at", OPENS)
        kwargs.setdefault("closes_at", CLOSES)
        kwargs.setdefault("launched_at", LAUNCHED)
        return round_factory(**kwargs)

    return _launched
