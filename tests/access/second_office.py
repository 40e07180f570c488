"""A second office beside the access matrix's world (the first office's, Thames Valley's):
Dyfed-Powys, with its own fund, a decided round, an application, an award, a plan and areas,
and its own staff, admin, reviewer and High Sheriff (tests/access/test_offices.py)."""

from datetime import UTC, datetime

from grants.accounts.models import Role
from grants.applications.models import ApplicationStatus
from grants.awards.models import AwardSource, AwardStatus
from tests.fixtures.factories import (
    ApplicationFactory,
    AwardFactory,
    CountyFactory,
    FundFactory,
    LocalAuthorityFactory,
    OfficeFactory,
    OrganisationFactory,
    PlanFactory,
    RoundFactory,
    UserFactory,
)

# The second office's people, and the kind of user of the table each stands for: a route the
# table lets that kind use, naming a record of the first office, answers them 404.
SECOND_OFFICE = {"staff_of_dyfed_powys": "staff", "admin_of_dyfed_powys": "admin",
                 "reviewer_of_dyfed_powys": "reviewer_assigned",
                 "sheriff_of_powys": "sheriff_berkshire"}
ROLES = {"staff": Role.STAFF, "admin": Role.ADMIN, "reviewer_assigned": Role.REVIEWER,
         "sheriff_berkshire": Role.HIGH_SHERIFF}


def build_second_office() -> dict[str, str]:
    """Dyfed-Powys, beside the world (in its transaction): its people's emails by kind."""
    office = OfficeFactory(slug="dyfed-powys")
    fund = FundFactory(office=office, code="PPAF", name="Dyfed-Powys Community Fund")
    # Decided and published: its award is on the second office's register.
    round_ = RoundFactory(fund=fund, code="DP-2026-1", title="Dyfed-Powys Round One",
                          opens_at=datetime(2026, 5, 1, 9, tzinfo=UTC),
                          closes_at=datetime(2026, 6, 30, 12, tzinfo=UTC),
                          launched_at=datetime(2026, 4, 1, 9, tzinfo=UTC),
                          assessing_at=datetime(2026, 7, 1, 9, tzinfo=UTC),
                          decided_at=datetime(2026, 8, 1, 9, tzinfo=UTC),
                          decisions_published_at=datetime(2026, 8, 5, 9, tzinfo=UTC))
    county = CountyFactory(office=office, name="Powys")
    organisation = OrganisationFactory(name="Organisation of Powys",
                                       local_authority=LocalAuthorityFactory(
                                           name="Powys County Council", county=county,
                                           office=office))
    application = ApplicationFactory(round=round_, organisation=organisation,
                                     title="Bid to Dyfed-Powys",
                                     status=ApplicationStatus.OFFER_ACCEPTED,
                                     reference="DP-2026-1-0001", sequence=1,
                                     submitted_at=datetime(2026, 6, 20, 9, tzinfo=UTC))
    AwardFactory(round=round_, organisation=organisation, application=application,
                 status=AwardStatus.ACCEPTED, source=AwardSource.APPLICATION,
                 offered_at=datetime(2026, 8, 5, 9, tzinfo=UTC))
    PlanFactory(office=office, code="DP-PLAN", title="Dyfed-Powys Plan", is_current=True)
    emails = {}
    for kind, table_kind in SECOND_OFFICE.items():
        sheriff = {"county": county, "term_year": 2026} if table_kind == "sheriff_berkshire" else {}
        emails[kind] = UserFactory(roles=[ROLES[table_kind]], roles__office=office,
                                   email=f"{kind.replace('_', '.')}@example.org", **sheriff).email
    return emails
