"""Creates the demo office: a person for each role, organisations across the three counties, a
Police Property Act Fund round decided earlier, one being assessed, one open today and one
that starts with an expression of interest. Never available in production."""

import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.accounts.models import User, roles_for
from grants.accounts.operations.passwords import hash_password
from grants.accounts.operations.settings import AccountSettings
from grants.areas.models import County, LocalAuthority
from grants.core import clock
from grants.core.errors import Refusal
from grants.demo.operations.allocations import seed_demo_allocations
from grants.demo.operations.assessed import assessed_round
from grants.demo.operations.ceremony import seed_demo_ceremony
from grants.demo.operations.community_foundation import seed_demo_community_foundation
from grants.demo.operations.direct_awards import seed_demo_direct_award
from grants.demo.operations.history import load_history
from grants.demo.operations.interest import seed_demo_interest
from grants.demo.operations.ledger import seed_demo_ledger
from grants.demo.operations.nominations import high_sheriff_people, seed_demo_nominations
from grants.demo.operations.people import DEMO_PEOPLE, DemoPerson
from grants.demo.operations.rounds import decided_round, demo_applications, open_round
from grants.funds.models import Fund
from grants.organisations.models import CharityRegulator, Membership, Organisation, OrganisationType
from grants.plans.models import Plan
from grants.reference.operations.seed import shipped_office

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    kind: OrganisationType
    regulator: CharityRegulator | None
    charity_number: str | None
    company_number: str | None
    gss: str  # the local authority it is based in
    income_pounds: int
    contact: str
    postcode: str
    member: str | None  # "ashley": the demo applicant is a member


DEMO_ORGANISATIONS = (
    DemoOrganisation("Reading Street Support", OrganisationType.REGISTERED_CHARITY,
                     CharityRegulator.CCEW, "1180001", None, "E06000038", 84_000, "Jo Patel",
                     "RG1 2AB", "ashley"),
    DemoOrganisation("Slough Women's Refuge Network", OrganisationType.CIO,
                     CharityRegulator.CCEW, "1180002", None, "E06000039", 212_000,
                     "Priya Shah", "SL1 1AA", None),
    DemoOrganisation("Milton Keynes Youth Diversion", OrganisationType.CHARITABLE_COMPANY,
                     CharityRegulator.CCEW, "1180003", "09000003", "E06000042", 156_000,
                     "Marcus Brown", "MK9 2AB", None),
    DemoOrganisation("Chesham Neighbourhood Watch Association",
                     OrganisationType.COMMUNITY_GROUP, None, None, None, "E06000060", 6_500,
                     "Gwen Harris", "HP5 1AA", None),
    DemoOrganisation("Oxford Recovery Cafe", OrganisationType.CIC, None, None, "12000005",
                     "E07000178", 48_000, "Tom Okafor", "OX1 1AA", None),
    DemoOrganisation("Banbury Mosque Community Trust", OrganisationType.FAITH_GROUP,
                     CharityRegulator.CCEW, "1180006", None, "E07000177", 39_000, "Imran Ali",
                     "OX16 5AA", None),
)


def seed_demo(session: Session, settings: AccountSettings, *,
              allowed: bool) -> list[DemoPerson]:
    """Create the demo office. Refuses when demo data is not allowed or reference data is
    missing; adds nothing when the demo people already exist."""
    if not allowed:
        raise Refusal("Demo data is not allowed in this configuration.")
    # The demo is the shipped office's: its fund, plan and counties, whatever other offices
    # the database holds.
    office = shipped_office(session)
    office_id = office.id if office else None
    fund = session.scalars(select(Fund).where(Fund.office_id == office_id,
                                              Fund.code == "PPAF")).one_or_none()
    plan = session.scalars(select(Plan).where(Plan.office_id == office_id,
                                              Plan.is_current)).one_or_none()
    if fund is None or plan is None:
        raise Refusal("Load the reference data first: flask --app grants seed-reference")
    if session.scalars(select(User).where(User.email == DEMO_PEOPLE[0].email)).first():
        logger.info("seed-demo: demo data already present")
        counties = session.scalars(select(County.name)
                                   .where(County.office_id == office_id)).all()
        return list(DEMO_PEOPLE) + high_sheriff_people(counties)

    counties = {c.name: c for c in session.scalars(select(County)
                                                   .where(County.office_id == office_id))}
    users: dict[str, User] = {}
    for person in DEMO_PEOPLE:
        county = counties[person.county] if person.county else None
        user = User(
            email=person.email,
            name=person.name,
            password_hash=hash_password(person.password, settings),
            email_verified_at=clock.utcnow(),
            county=county,
            term_year=clock.today_in_london().year if county else None,
            role_rows=roles_for(person.roles, office_id),
        )
        session.add(user)
        users[person.email] = user

    authorities = {la.gss_code: la for la in session.scalars(select(LocalAuthority))}
    organisations: list[Organisation] = []
    for demo in DEMO_ORGANISATIONS:
        authority = authorities[demo.gss]
        organisation = Organisation(
            name=demo.name,
            organisation_type=demo.kind,
            charity_regulator=demo.regulator,
            charity_number=demo.charity_number,
            company_number=demo.company_number,
            address=f"Community Centre\n{authority.name}",
            postcode=demo.postcode,
            local_authority=authority,
            annual_income_pence=demo.income_pounds * 100,
            contact_name=demo.contact,
            contact_email=f"{demo.contact.split()[0].lower()}@example.org",
        )
        session.add(organisation)
        organisations.append(organisation)
        if demo.member:
            session.add(Membership(user=users["applicant@example.org"],
                                   organisation=organisation))

    decided_round(session, settings, fund, plan, organisations, users)
    assessed_round(session, settings, fund, plan, organisations, users)
    round_ = open_round(session, fund, plan)
    session.add(round_)
    session.flush()
    demo_applications(session, settings, round_, organisations,
                      users["applicant@example.org"])
    seed_demo_interest(session, settings, fund, plan, organisations, users)
    load_history(session)
    seed_demo_allocations(session, users["staff@example.org"], users["admin@example.org"])
    logger.info("seed-demo: created %d people and %d organisations",
                len(DEMO_PEOPLE), len(DEMO_ORGANISATIONS))
    people = list(DEMO_PEOPLE) + seed_demo_nominations(session, settings, fund, plan)
    seed_demo_ledger(session, fund)
    seed_demo_direct_award(session, fund, users["staff@example.org"], users["admin@example.org"])
    seed_demo_community_foundation(session, fund, users["staff@example.org"],
                                   users["admin@example.org"])
    seed_demo_ceremony(session, users["staff@example.org"])
    return people


# Applications to the open round: (organisation index, title, amount in pounds, primary
