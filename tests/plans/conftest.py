"""Fixtures for the plan pages and services: a staff member and a plan with priorities."""

import pytest

from grants.accounts.models import Role


@pytest.fixture
def staff(user_factory):
    return user_factory(roles=[Role.STAFF])


@pytest.fixture
def staff_client(staff, sign_in_as):
    return sign_in_as(staff)


@pytest.fixture
def plan(plan_factory, priority_factory, key_aim_factory):
    """A plan with P1 (key aims P1.1, P1.2) and P2 (no key aims)."""
    plan = plan_factory(code="TVPCC-PCP-2021-24", title="Police and Crime Plan 2021 to 2024")
    p1 = priority_factory(plan=plan, number=1, code="P1", title="Strong local policing",
                          objective="Keep communities safe")
    priority_factory(plan=plan, number=2, code="P2", title="Fighting serious organised crime")
    key_aim_factory(priority=p1, number=1, text="More visible neighbourhood policing")
    key_aim_factory(priority=p1, number=2, text="Better response to rural crime")
    return plan
