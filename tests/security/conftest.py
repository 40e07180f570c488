"""Fixtures for the security tests: rate limits switched on with small numbers."""

import pytest

from grants.extensions import limiter


@pytest.fixture
def rate_limits(app, monkeypatch):
    """Turn the rate limits on, each at `n per hour`; `rate_limits(SETTING="2 per hour")` sets
    one. The counts start empty and are emptied again afterwards."""
    monkeypatch.setitem(app.config, "RATE_LIMITS_APPLY", True)
    limiter.reset()

    def set_limits(**limits):
        for name, value in limits.items():
            assert name in app.config, name
            monkeypatch.setitem(app.config, name, value)

    yield set_limits
    limiter.reset()
