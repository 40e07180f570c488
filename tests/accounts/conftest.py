"""Fixtures for the accounts tests."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from grants.core import clock
from grants.records.models import AuditEvent, OutboxMessage


@pytest.fixture
def move_clock(monkeypatch):
    """`move_clock(minutes=31)` moves the service's clock forward; it starts at the real time
    and stands still between moves, so a slow machine never adds seconds of its own."""
    start = clock.utcnow()
    offset = {"by": timedelta()}
    monkeypatch.setattr(clock, "utcnow", lambda: start + offset["by"])

    def move(**amount):
        offset["by"] += timedelta(**amount)

    return move


@pytest.fixture
def emails_to(db_session):
    """`emails_to(address)`: the messages queued for that address, oldest first."""

    def find(address: str) -> list[OutboxMessage]:
        return list(db_session.scalars(
            select(OutboxMessage).where(OutboxMessage.to_address == address)
            .order_by(OutboxMessage.id)
        ))

    return find


@pytest.fixture
def audit_actions(db_session):
    """`audit_actions(user_id)`: the actions recorded about that user, oldest first."""

    def find(user_id: int) -> list[str]:
        return list(db_session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.entity_type == "user", AuditEvent.entity_id == user_id)
            .order_by(AuditEvent.id)
        ))

    return find
