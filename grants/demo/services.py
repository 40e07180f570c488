"""Creates the demo office: a person for each role, organisations across the three counties and
a Police Property Act Fund round open today. Never available in production."""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants import clock
from grants.accounts.models import Role, User, UserRole
from grants.accounts.passwords import hash_password
from grants.areas.models import County, LocalAuthority
from grants.errors import GrantsError
from grants.funds.models import (
    EligibilityQuestion,
    Fund,
    Round,
    RoundKind,
    RoundOrganisationType,
    ScoringCriterion,
)
from grants.organisations.models import Membership, Organisation
from grants.organisations.types import CharityRegulator, OrganisationType
from grants.plans.models import Plan

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DemoPerson:
    email: str
    name: str
    roles: tuple[Role, ...]
    password: str
    county: str | None = None


DEMO_PEOPLE = (
    DemoPerson("admin@example.org", "Alex Admin", (Role.ADMIN,), "Admin-Harbour-Lantern-81"),
    DemoPerson("staff@example.org", "Sam Grants Officer", (Role.STAFF, Role.REVIEWER),
               "Staff-Meadow-Compass-52"),
    DemoPerson("reviewer@example.org", "Riley Reviewer", (Role.REVIEWER,),
               "Review-Copper-Kettle-36"),
    DemoPerson("applicant@example.org", "Ashley Applicant", (Role.APPLICANT,),
               "Apply-Willow-Bicycle-29"),
    DemoPerson("sheriff.berkshire@example.org", "Hilary High Sheriff", (Role.HIGH_SHERIFF,),
               "Sheriff-Granite-Orchard-64", county="Berkshire"),
)

# name, type, regulator, charity number, company number, GSS code, income (pounds), contact
DEMO_ORGANISATIONS = (
    ("Reading Street Support", OrganisationType.REGISTERED_CHARITY, CharityRegulator.CCEW,
     "1180001", None, "E06000038", 84_000, "Jo Patel", "RG1 2AB", "ashley"),
    ("Slough Women's Refuge Network", OrganisationType.CIO, CharityRegulator.CCEW, "1180002",
     None, "E06000039", 212_000, "Priya Shah", "SL1 1AA", None),
    ("Milton Keynes Youth Diversion", OrganisationType.CHARITABLE_COMPANY, CharityRegulator.CCEW,
     "1180003", "09000003", "E06000042", 156_000, "Marcus Brown", "MK9 2AB", None),
    ("Chesham Neighbourhood Watch Association", OrganisationType.COMMUNITY_GROUP, None, None,
     None, "E06000060", 6_500, "Gwen Harris", "HP5 1AA", None),
    ("Oxford Recovery Cafe", OrganisationType.CIC, None, None, "12000005", "E07000178", 48_000,
     "Tom Okafor", "OX1 1AA", None),
    ("Banbury Mosque Community Trust", OrganisationType.FAITH_GROUP, CharityRegulator.CCEW,
     "1180006", None, "E07000177", 39_000, "Imran Ali", "OX16 5AA", None),
)

ELIGIBILITY_QUESTIONS = (
    ("Is the organisation a charity, CIO, charitable company, CIC or constituted community "
     "group based in or serving Thames Valley?", True),
    ("Does the organisation have a safeguarding policy reviewed in the last 12 months?", True),
    ("Will the money be spent within 12 months of the award?", True),
    ("Has the organisation sent its end-of-grant report for any earlier award?", False),
)

SCORING_CRITERIA = (
    ("Fit with the round's priorities",
     "How clearly the project supports the priorities and key aims it names.", 40, 5),
    ("Need and evidence", "The evidence of need in the areas served.", 30, 5),
    ("Delivery and value for money", "A realistic plan, budget and outcomes.", 30, 5),
)


def _london(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=clock.LONDON).astimezone(UTC)


def seed_demo(session: Session, *, allowed: bool) -> list[DemoPerson]:
    """Create the demo office. Refuses when demo data is not allowed or reference data is
    missing; adds nothing when the demo people already exist."""
    if not allowed:
        raise GrantsError("Demo data is not allowed in this configuration.")
    fund = session.scalars(select(Fund).where(Fund.code == "PPAF")).one_or_none()
    plan = session.scalars(select(Plan).where(Plan.is_current)).one_or_none()
    if fund is None or plan is None:
        raise GrantsError("Load the reference data first: flask --app grants seed-reference")
    if session.scalars(select(User).where(User.email == DEMO_PEOPLE[0].email)).first():
        logger.info("seed-demo: demo data already present")
        return list(DEMO_PEOPLE)

    counties = {c.name: c for c in session.scalars(select(County))}
    users = {}
    for person in DEMO_PEOPLE:
        county = counties[person.county] if person.county else None
        user = User(
            email=person.email,
            name=person.name,
            password_hash=hash_password(person.password),
            email_verified_at=clock.utcnow(),
            county=county,
            term_year=clock.today_in_london().year if county else None,
            role_rows=[UserRole(role=role) for role in person.roles],
        )
        session.add(user)
        users[person.email] = user

    authorities = {la.gss_code: la for la in session.scalars(select(LocalAuthority))}
    for (name, kind, regulator, charity_number, company_number, gss, income, contact,
         postcode, member) in DEMO_ORGANISATIONS:
        organisation = Organisation(
            name=name,
            organisation_type=kind,
            charity_regulator=regulator,
            charity_number=charity_number,
            company_number=company_number,
            address=f"Community Centre\n{authorities[gss].name}",
            postcode=postcode,
            local_authority=authorities[gss],
            annual_income_pence=income * 100,
            contact_name=contact,
            contact_email=f"{contact.split()[0].lower()}@example.org",
        )
        session.add(organisation)
        if member:
            session.add(Membership(user=users["applicant@example.org"],
                                   organisation=organisation))

    session.add(_open_round(session, fund, plan))
    session.flush()
    logger.info("seed-demo: created %d people and %d organisations",
                len(DEMO_PEOPLE), len(DEMO_ORGANISATIONS))
    return list(DEMO_PEOPLE)


def _open_round(session: Session, fund: Fund, plan: Plan) -> Round:
    """A PPAF round that opened a week ago and closes in four weeks, at noon."""
    today = clock.today_in_london()
    opens_at = _london(today - timedelta(days=7), 9)
    closes_at = _london(today + timedelta(days=28), 12)
    year = clock.financial_year_of(closes_at.astimezone(clock.LONDON).date())
    first_year = clock.financial_year_start(year)
    number = 1 + len(session.scalars(
        select(Round.id).where(Round.code.like(f"{fund.code}-{first_year}-%"))
    ).all())
    priorities = [p for p in plan.priorities if p.code in {"P1", "P2"}]
    return Round(
        fund=fund,
        code=f"{fund.code}-{first_year}-{number}",
        title=f"{fund.code} {year} Round {number}",
        kind=RoundKind.OPEN,
        opens_at=opens_at,
        closes_at=closes_at,
        budget_pence=150_000_00,
        min_award_pence=1_000_00,
        max_award_pence=10_000_00,
        guidance=(
            "This round funds projects that support two strategic priorities of the Police "
            "and Crime Plan: Vulnerability, and Prevention and Early Intervention. Bids from "
            "£1,000 to £10,000 for projects that can be delivered within 12 months."
        ),
        launched_at=opens_at - timedelta(days=14),
        priorities=priorities,
        key_aims=[aim for priority in priorities for aim in priority.key_aims],
        organisation_type_rows=[
            RoundOrganisationType(organisation_type=kind) for kind in (
                OrganisationType.REGISTERED_CHARITY, OrganisationType.CIO,
                OrganisationType.CHARITABLE_COMPANY, OrganisationType.CIC,
                OrganisationType.COMMUNITY_GROUP, OrganisationType.FAITH_GROUP,
            )
        ],
        eligibility_questions=[
            EligibilityQuestion(position=i, text=text, mandatory=mandatory)
            for i, (text, mandatory) in enumerate(ELIGIBILITY_QUESTIONS, start=1)
        ],
        scoring_criteria=[
            ScoringCriterion(position=i, name=name, guidance=guidance, weight=weight,
                             max_score=max_score)
            for i, (name, guidance, weight, max_score) in enumerate(SCORING_CRITERIA, start=1)
        ],
    )


__all__ = ["DEMO_PEOPLE", "seed_demo"]
