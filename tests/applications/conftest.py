"""An open round, an organisation it accepts, and a member of it."""

from datetime import UTC, datetime, timedelta

import pytest

from grants.accounts.models import Role
from grants.core import clock
from grants.funds.models import RoundOrganisationType
from grants.organisations.models import OrganisationType

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "utcnow", lambda: NOW)
    return NOW


@pytest.fixture
def open_round(round_factory, priority_factory):
    round_ = round_factory(
        code="PPAF-2026-2", title="PPAF 2026/27 Round 2",
        opens_at=NOW - timedelta(days=7), closes_at=NOW + timedelta(days=28),
        launched_at=NOW - timedelta(days=20),
        min_award_pence=100_000, max_award_pence=1_000_000,
    )
    round_.organisation_type_rows = [
        RoundOrganisationType(organisation_type=kind)
        for kind in (OrganisationType.REGISTERED_CHARITY, OrganisationType.COMMUNITY_GROUP)]
    return round_


@pytest.fixture
def member(user_factory, organisation_factory, membership_factory):
    user = user_factory(roles=[Role.APPLICANT], name="Jo Member")
    organisation = organisation_factory(name="Reading Street Support",
                                        organisation_type=OrganisationType.COMMUNITY_GROUP)
    membership_factory(user=user, organisation=organisation)
    return user


@pytest.fixture
def organisation(member):
    return member.memberships[0].organisation


@pytest.fixture
def draft(application_factory, open_round, organisation, member):
    return application_factory(round=open_round, organisation=organisation, created_by=member,
                               title="")
