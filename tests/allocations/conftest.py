"""An allocation round of the Community Safety Fund, councils to share it, and staff."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from grants.accounts.models import Role
from grants.allocations.operations.factors import FactorRow, set_factors
from grants.allocations.operations.inputs import save_inputs
from grants.allocations.operations.recipients import set_recipients
from grants.allocations.operations.top_slice import set_top_slice
from grants.core import clock
from grants.funds.models import MonitoringSchedule, RoundKind
from grants.organisations.models import OrganisationType

# Tuesday 14 May 2019, 10:00 BST.
NOW = datetime(2019, 5, 14, 9, 0, tzinfo=UTC)
BUDGET = 100_000_000  # £1,000,000


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "utcnow", lambda: NOW)
    return NOW


@pytest.fixture
def staff(user_factory):
    return user_factory(roles=[Role.STAFF], name="Sam Officer", email="sam@example.org")


@pytest.fixture
def approver(user_factory):
    """A second member of staff, who signs off decisions others made."""
    return user_factory(roles=[Role.STAFF], name="Alex Approver", email="alex@example.org")


# The reason for the allocation's awards, written for publication.
SHARES_REASON = "Shared among the partnerships by population and recorded crime"


def sign_off_and_publish(session, approver, staff, round_id):
    """The round's decisions signed off by `approver` and published by `staff`."""
    from grants.decisions.operations.publishing import publish
    from grants.decisions.operations.sign_off import sign_off
    sign_off(session, approver, round_id)
    return publish(session, staff, round_id)


@pytest.fixture
def csf_round(round_factory, fund_factory):
    fund = fund_factory(code="CSF", name="Community Safety Fund")
    return round_factory(fund=fund, code="CSF-2019-1", title="CSF 2019/20 allocations",
                         kind=RoundKind.ALLOCATION, budget_pence=BUDGET, min_award_pence=None,
                         max_award_pence=None, monitoring=MonitoringSchedule.TWICE_YEARLY,
                         opens_at=datetime(2019, 4, 1, tzinfo=UTC),
                         closes_at=datetime(2019, 6, 30, tzinfo=UTC))


@pytest.fixture
def councils(organisation_factory, local_authority_factory):
    """Three councils, each covering its own area."""
    made = []
    for name in ("Reading Council", "Slough Council", "Wokingham Council"):
        area = local_authority_factory(name=name.removesuffix(" Council"))
        made.append(organisation_factory(name=name, organisation_type=OrganisationType
                                         .LOCAL_AUTHORITY, areas=[area], local_authority=area))
    return made


@pytest.fixture
def ready_round(db_session, staff, csf_round, councils):
    """Top-slice 10 %, three councils, population 50 %, crime 25 %, demand 25 %, with inputs."""
    set_top_slice(db_session, staff, csf_round.id, basis_points=1000)
    recipients = set_recipients(db_session, staff, csf_round.id,
                                         [c.id for c in councils])
    factors = set_factors(db_session, staff, csf_round.id, [
        FactorRow("Population", 5000), FactorRow("Recorded crime", 2500),
        FactorRow("Non-crime demand", 2500)])
    figures = {"Reading Council": (200_000, 3_000, 1_000),
               "Slough Council": (100_000, 1_000, 2_000),
               "Wokingham Council": (100_000, 2_000, 2_000)}
    values = {}
    for recipient in recipients:
        for factor, value in zip(factors, figures[recipient.organisation.name], strict=True):
            values[(recipient.id, factor.id)] = value
    save_inputs(db_session, staff, csf_round.id,
                         {key: Decimal(value) for key, value in values.items()})
    return csf_round
