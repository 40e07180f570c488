"""Fixtures for the ceremony: a year (2026/27) of the PPAF and the CSF with public awards to two
organisations, and awards that are not to be celebrated (not yet published, declined, last
year's); staff, and a member of each recipient. The clock stands at 11am on 1 June 2026."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import pytest

from grants.accounts.models import Role
from grants.awards.models import AwardStatus
from grants.ceremonies.operations.inviting import send_invitations
from grants.ceremonies.operations.planning import CeremonyEntry, create_ceremony
from tests.funds.conftest import (  # noqa: F401  (fixtures used by name)
    NOW,
    audit_actions,
    now,
)

YEAR = "2026/27"
PUBLISHED = datetime(2026, 5, 1, 9, tzinfo=UTC)


@dataclass
class Year:
    ppaf: object
    csf: object
    street_support: object
    night_shelter: object
    not_yet_published: object
    declined: object
    last_year: object
    csf_partnership: object
    street_award: object
    csf_award: object


@pytest.fixture
def staff(user_factory):
    return user_factory(roles=[Role.STAFF], name="Pat Staff", email="pat@example.org")


@pytest.fixture
def staff_client(staff, sign_in_as):
    return sign_in_as(staff)


@pytest.fixture
def year(fund_factory, round_factory, award_factory, organisation_factory):
    ppaf = fund_factory(code="PPAF", name="Police Property Act Fund")
    csf = fund_factory(code="CSF", name="Community Safety Fund")

    def round_(fund, code, *, year=YEAR, published=PUBLISHED):
        return round_factory(fund=fund, code=code, financial_year=year,
                             opens_at=datetime(2026, 1, 1, tzinfo=UTC),
                             closes_at=datetime(2026, 2, 1, tzinfo=UTC),
                             decisions_published_at=published)

    published = round_(ppaf, "PPAF-2026-1")
    unpublished = round_(ppaf, "PPAF-2026-2", published=None)
    before = round_(ppaf, "PPAF-2025-1", year="2025/26")
    allocations = round_(csf, "CSF-2026-1")
    street = organisation_factory(name="Reading Street Support", contact_email="jo@example.org")
    shelter = organisation_factory(name="Oxford Night Shelter", contact_email="")
    waiting = organisation_factory(name="Waiting Youth Club", contact_email="w@example.org")
    refused = organisation_factory(name="Declined Boxing Club", contact_email="d@example.org")
    older = organisation_factory(name="Last Year's Choir", contact_email="c@example.org")
    partnership = organisation_factory(name="Reading Community Safety Partnership",
                                       contact_email="csp@example.org")
    street_award = award_factory(round=published, organisation=street, amount_pence=250_000,
                                 status=AwardStatus.PAID, title="Outreach evenings",
                                 awarded_on=date(2026, 5, 1), offered_at=PUBLISHED)
    award_factory(round=published, organisation=shelter, amount_pence=120_000,
                  status=AwardStatus.ACCEPTED, title="Winter beds")
    award_factory(round=unpublished, organisation=waiting, amount_pence=90_000,
                  status=AwardStatus.PROPOSED)
    award_factory(round=published, organisation=refused, amount_pence=80_000,
                  status=AwardStatus.DECLINED)
    award_factory(round=before, organisation=older, amount_pence=70_000,
                  status=AwardStatus.PAID)
    csf_award = award_factory(round=allocations, organisation=partnership, amount_pence=500_000,
                              status=AwardStatus.OFFERED, title="Safer streets share")
    return Year(ppaf, csf, street, shelter, waiting, refused, older, partnership, street_award,
                csf_award)


def entry(**changes) -> CeremonyEntry:
    values = {"title": "Community awards 2026/27", "day": date(2026, 7, 10), "at": time(18, 30),
              "place": "Oxford Town Hall", "address": "St Aldate's\nOxford",
              "notes": "Doors open at 6pm.", "fund_id": None, "financial_year": YEAR}
    values.update(changes)
    return CeremonyEntry(**values)


@pytest.fixture
def ceremony(db_session, year, staff):
    """The PPAF's ceremony for 2026/27, planned, nobody invited yet."""
    return create_ceremony(db_session, staff, entry(fund_id=year.ppaf.id))


@pytest.fixture
def invited(db_session, year, staff, ceremony):
    """The ceremony's invitations to both PPAF recipients: Reading Street Support's first."""
    return send_invitations(db_session, staff, ceremony,
                            [year.street_support.id, year.night_shelter.id])


@pytest.fixture
def member(user_factory, membership_factory, year):
    """A member of Reading Street Support."""
    user = user_factory(roles=[Role.APPLICANT], email="jo@example.org", name="Jo Member")
    membership_factory(user=user, organisation=year.street_support)
    return user


@pytest.fixture
def other_member(user_factory, membership_factory, year):
    """A member of Oxford Night Shelter, invited too."""
    user = user_factory(roles=[Role.APPLICANT], email="sam@example.org", name="Sam Other")
    membership_factory(user=user, organisation=year.night_shelter)
    return user


def invitation_of(invitations, organisation):
    return next(i for i in invitations if i.organisation_id == organisation.id)
