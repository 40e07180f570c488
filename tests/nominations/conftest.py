"""Test data for nominations: a nomination round open now with allocations for Berkshire
(£10,000) and Oxfordshire (£5,000), each county's current High Sheriff, and staff."""

from datetime import UTC, datetime, timedelta

import pytest

from grants.accounts.models import Role
from grants.core import clock
from grants.extensions import db
from grants.funds.models import CountyAllocation, Round, RoundKind
from grants.nominations.models import Nomination
from grants.nominations.operations import nominating
from tests.fixtures.factories import (
    CountyFactory,
    LocalAuthorityFactory,
    OrganisationFactory,
    PriorityFactory,
    RoundFactory,
    UserFactory,
)

# Inside the round (open a week ago, closing in three weeks), in financial year 2026/27.
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
TERM = 2026
# After the round (made by `nomination_round`) has closed for nominations.
AFTER_CLOSE = NOW + timedelta(days=30)
# The reason for an approved nomination's award, written for publication.
REASON = "Nominated by the High Sheriff for work the county needs"


@pytest.fixture
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "utcnow", lambda: NOW)
    return NOW


def nomination_round(allocations: dict[str, int] | None = None, **values) -> Round:
    """A launched nomination round open at NOW, with allocations in pence by county name."""
    priority = PriorityFactory()
    settings = {
        "kind": RoundKind.NOMINATION, "code": "HSA-2026-1",
        "title": "High Sheriff awards 2026/27",
        "opens_at": NOW - timedelta(days=7), "closes_at": NOW + timedelta(days=21),
        "launched_at": NOW - timedelta(days=10), "budget_pence": 2_000_000,
        "min_award_pence": None, "max_award_pence": None,
    }
    settings.update(values)
    counties = {name: (CountyFactory(name=name), amount) for name, amount in (
        allocations or {"Berkshire": 1_000_000, "Oxfordshire": 500_000}).items()}
    round_ = RoundFactory(**settings)
    round_.priorities.append(priority)
    for county, amount in counties.values():
        db.session.add(CountyAllocation(round_id=round_.id, county_id=county.id,
                                        amount_pence=amount))
    db.session.commit()
    return round_


def high_sheriff(county: str = "Berkshire", term_year: int = TERM, **values):
    return UserFactory(roles=[Role.HIGH_SHERIFF], county=CountyFactory(name=county),
                       term_year=term_year, name=f"High Sheriff of {county} {term_year}",
                       **values)


def staff_member(name: str = "Sam Staff"):
    return UserFactory(roles=[Role.STAFF], name=name)


def organisation(**values):
    authority = LocalAuthorityFactory(county=CountyFactory(name="Berkshire"))
    return OrganisationFactory(local_authority=authority, **values)


def nominate(round_: Round, sheriff, amount_pence: int, *, org=None, **values) -> Nomination:
    """A nomination through the service, committed."""
    data = {"amount_pence": amount_pence, "priority_id": round_.priorities[0].id,
            "purpose": "Summer sports programme", "reason": "Keeps young people safe",
            "organisation_id": (org or organisation()).id}
    data.update(values)
    nomination = nominating.nominate(db.session, sheriff, round_.id,
                                   nominating.NominationInput(**data))
    db.session.commit()
    return nomination


def publish_round(round_: Round, monkeypatch, publisher=None):
    """After the round closes, its decisions signed off by a second member of staff and
    published (by `publisher`, or a third), committed."""
    from grants.decisions.operations.publishing import publish
    from grants.decisions.operations.sign_off import sign_off
    monkeypatch.setattr(clock, "utcnow", lambda: AFTER_CLOSE)
    sign_off(db.session, staff_member("Alex Approver"), round_.id)
    result = publish(db.session, publisher or staff_member("Pat Publisher"), round_.id)
    db.session.commit()
    return result
