"""Fixtures for the staff pages and rules of funds and rounds."""

import html
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from grants.accounts.models import Role
from grants.core import clock
from grants.records.models import AuditEvent

# The service's clock in these tests: noon on 1 June 2026 (BST).
NOW = datetime(2026, 6, 1, 11, 0, tzinfo=UTC)


@pytest.fixture
def now(monkeypatch):
    """Fix the service's clock; `now.set(moment)` moves it."""

    class Clock:
        moment = NOW

        def set(self, moment: datetime) -> None:
            self.moment = moment

    fixed = Clock()
    monkeypatch.setattr(clock, "utcnow", lambda: fixed.moment)
    return fixed


@pytest.fixture
def staff(user_factory):
    return user_factory(roles=[Role.STAFF])


@pytest.fixture
def staff_client(staff, sign_in_as, now):
    return sign_in_as(staff)


@pytest.fixture
def ppaf(fund_factory):
    return fund_factory(code="PPAF", name="Police Property Act Fund")


@pytest.fixture
def plan(plan_factory, priority_factory, key_aim_factory):
    """The current plan with two priorities, each with two key aims."""
    current = plan_factory(is_current=True)
    for number, title in [(1, "Vulnerability"), (2, "Prevention and Early Intervention")]:
        priority = priority_factory(plan=current, number=number, code=f"P{number}",
                                    title=title)
        key_aim_factory(priority=priority, number=1, text=f"{title}: first aim")
        key_aim_factory(priority=priority, number=2, text=f"{title}: second aim")
    return current


def round_form(**overrides) -> dict:
    """What staff type to create an open round opening 1 September 2026 at 9am and closing
    30 September 2026 at noon."""
    data = {
        "title": "PPAF 2026/27 Round 1",
        "kind": "open",
        "code": "",
        "opens_at": ["1", "9", "2026"],
        "opens_at_time": "9:00am",
        "closes_at": ["30", "9", "2026"],
        "closes_at_time": "12:00",
        "budget": "£150,000",
        "min_award": "1000",
        "max_award": "10,000",
        "guidance": "Bids for projects delivered within 12 months.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def audit_actions(db_session):
    """`audit_actions(entity_type, entity_id)`: the actions recorded, oldest first."""

    def find(entity_type: str, entity_id: int) -> list[str]:
        return list(db_session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.entity_type == entity_type, AuditEvent.entity_id == entity_id)
            .order_by(AuditEvent.id)
        ))

    return find


def error_messages(page: str) -> list[str]:
    """The inline error messages on a page, without their hidden "Error:" prefix."""
    found = re.findall(r'class="govuk-error-message"[^>]*>\s*<span class="govuk-visually-hidden">'
                       r'Error:</span>\s*(.*?)\s*</p>', page, re.S)
    return [html.unescape(" ".join(message.split())) for message in found]
