"""Demo High Sheriff awards: a High Sheriff for each county and an open nomination round with
county allocations, two nominations waiting for staff and one approved. Never in production."""

import logging
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.accounts.models import Role, User, roles_for
from grants.accounts.operations.passwords import hash_password
from grants.accounts.operations.settings import AccountSettings
from grants.areas.models import County
from grants.core import clock
from grants.demo.operations.people import DemoPerson
from grants.funds.models import (
    CountyAllocation,
    Fund,
    Round,
    RoundKind,
    default_financial_year,
)
from grants.nominations.operations import deciding, nominating
from grants.organisations.models import Organisation
from grants.plans.models import Plan

logger = logging.getLogger(__name__)

# (email, name, password, county) of each county's High Sheriff.
HIGH_SHERIFFS = (
    ("high-sheriff-berkshire@example.org", "Bernadette Berkshire",
     "Sheriff-Kennet-Lantern-48", "Berkshire"),
    ("high-sheriff-buckinghamshire@example.org", "Barnaby Buckinghamshire",
     "Sheriff-Chiltern-Meadow-73", "Buckinghamshire"),
    ("high-sheriff-oxfordshire@example.org", "Olivia Oxfordshire",
     "Sheriff-Isis-Compass-15", "Oxfordshire"),
)
# Pounds for each county's High Sheriff to nominate within.
ALLOCATIONS = {"Berkshire": 25_000, "Buckinghamshire": 25_000, "Oxfordshire": 25_000}
# (county, organisation name, pounds, purpose, reason, approved by staff?)
NOMINATIONS = (
    ("Berkshire", "Reading Street Support", 5_000, "Winter night outreach",
     "Volunteers out every night of the winter, finding people at risk on the streets.", True),
    ("Berkshire", "Slough Women's Refuge Network", 3_000, "Evening drop-in sessions",
     "The only drop-in for women at risk of domestic abuse in Slough.", False),
    ("Buckinghamshire", "Chesham Neighbourhood Watch Association", 1_500,
     "Signs and leaflets for new schemes", "Volunteers who started six schemes this year.",
     False),
    ("Oxfordshire", "Oxford Recovery Cafe", 4_000, "Peer support for people in recovery",
     "Runs by people in recovery, for people in recovery, five evenings a week.", False),
)


def high_sheriff_people(county_names) -> list[DemoPerson]:
    """The demo High Sheriffs of the counties named, as DemoPerson."""
    return [DemoPerson(email, name, (Role.HIGH_SHERIFF,), password, county=county)
            for email, name, password, county in HIGH_SHERIFFS if county in county_names]


def seed_demo_nominations(session: Session, settings: AccountSettings, fund: Fund,
                          plan: Plan) -> list[DemoPerson]:
    """The High Sheriffs, the round and its nominations; returns the High Sheriffs (as
    DemoPerson) to print."""
    counties = {c.name: c for c in session.scalars(select(County)
                                                   .where(County.office_id == fund.office_id))}
    round_ = _nomination_round(session, fund, plan, counties)
    term = clock.financial_year_start(round_.financial_year)
    people = high_sheriff_people(counties)
    sheriffs: dict[str, User] = {}
    for person in people:
        user = User(email=person.email, name=person.name,
                    password_hash=hash_password(person.password, settings),
                    email_verified_at=clock.utcnow(), county=counties[person.county],
                    term_year=term, role_rows=roles_for(person.roles, fund.office_id))
        session.add(user)
        sheriffs[person.county] = user
    # Any earlier demo High Sheriff served the year before: read-only, with this year's ones
    # acting for the county.
    for user in session.scalars(select(User).where(User.county_id.is_not(None))):
        if user not in sheriffs.values():
            user.term_year = term - 1
    session.flush()

    staff = session.scalars(select(User).where(User.email == "staff@example.org")).first()
    organisations = {o.name: o for o in session.scalars(select(Organisation))}
    for county, name, pounds, purpose, reason, approved in NOMINATIONS:
        organisation = organisations.get(name)
        if organisation is None or county not in sheriffs:
            continue
        nomination = nominating.nominate(session, sheriffs[county], round_.id,
                                       nominating.NominationInput(
                                           amount_pence=pounds * 100,
                                           priority_id=round_.priorities[0].id,
                                           purpose=purpose, reason=reason,
                                           organisation_id=organisation.id))
        if approved and staff is not None:
            deciding.approve_nomination(
                session, staff, nomination.id,
                public_reason=f"Nominated by the High Sheriff of {county}. {reason}")
    logger.info("seed-demo: nomination round %s with %d High Sheriffs", round_.id,
                len(HIGH_SHERIFFS))
    return people


def _nomination_round(session: Session, fund: Fund, plan: Plan,
                      counties: dict[str, County]) -> Round:
    """Open since a fortnight ago, closing in six weeks."""
    now = clock.utcnow()
    opens_at, closes_at = now - timedelta(days=14), now + timedelta(days=42)
    year = default_financial_year(opens_at)
    round_ = Round(
        fund=fund, code=f"HSA-{clock.financial_year_start(year)}-1", financial_year=year,
        title=f"High Sheriff awards {year}",
        kind=RoundKind.NOMINATION, opens_at=opens_at, closes_at=closes_at,
        budget_pence=sum(ALLOCATIONS.values()) * 100,
        guidance="Each county's High Sheriff nominates organisations for awards within the "
                 "county's allocation.",
        launched_at=now - timedelta(days=21),
        priorities=[p for p in plan.priorities if p.code in {"P1", "P2"}],
        county_allocations=[CountyAllocation(county=counties[name], amount_pence=pounds * 100)
                            for name, pounds in ALLOCATIONS.items() if name in counties],
    )
    session.add(round_)
    session.flush()
    return round_
