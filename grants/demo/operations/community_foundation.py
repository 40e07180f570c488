"""The demo's Community Foundation allocation: the PPAF gives £15,000 this financial year to
Berkshire Community Foundation for small grants to young people's and victims' projects,
recorded by the demo's staff member and signed off by its admin, and the foundation has made
three grants from it. Never in production."""

import logging
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.areas.models import LocalAuthority
from grants.core import clock
from grants.direct_awards.models import DecisionMaker, DirectAwardKind
from grants.direct_awards.operations.onward import OnwardGrantEntry, add_onward_grant
from grants.direct_awards.operations.recording import DirectAwardEntry, record_direct_award
from grants.direct_awards.operations.signing_off import sign_off_direct_award
from grants.funds.models import Fund
from grants.ledger.models import money_year_of
from grants.organisations.models import CharityRegulator, Organisation, OrganisationType
from grants.plans.models import KeyAim, Plan, Priority

logger = logging.getLogger(__name__)

FOUNDATION = "Berkshire Community Foundation"
FOUNDATION_CHARITY_NUMBER = "1111600"
POUNDS = 15_000
TITLE = "Small grants for young people and victims of crime in Berkshire"
REASON = ("Berkshire Community Foundation knows the county's small groups and already runs a "
          "small grants programme. The Commissioner allocated part of the Police Property Act "
          "Fund through it so that groups too small to bid in a round can be funded quickly, "
          "for work that keeps young people away from crime and supports victims.")
# The priorities it must serve, and its key aims: (priority code, key aim number).
PRIORITY = "P1"
KEY_AIMS = (("P1", 1), ("P2", 1))
DAYS_AGO = 60
# (recipient, its org-id, what for, pounds, days after the allocation, key aim, GSS codes)
ONWARD = (
    ("Reading Youth Mentors", "GB-CHC-1190011", "Mentoring for young people at risk", 5_000,
     14, ("P1", 1), ("E06000038",)),
    ("Slough Victim Support Circle", "GB-CHC-1190012", "Peer support for victims of crime",
     3_500, 21, ("P2", 1), ("E06000039",)),
    ("Wokingham Street Pastors", "", "Night-time safety patrols", 2_000, 28, None, ()),
)


def _foundation(session: Session) -> Organisation:
    found = session.scalars(select(Organisation).where(Organisation.name == FOUNDATION)).first()
    if found is not None:
        return found
    reading = session.scalars(select(LocalAuthority).where(
        LocalAuthority.gss_code == "E06000038")).one()
    foundation = Organisation(
        name=FOUNDATION, organisation_type=OrganisationType.REGISTERED_CHARITY,
        charity_regulator=CharityRegulator.CCEW, charity_number=FOUNDATION_CHARITY_NUMBER,
        address="Community Foundation House\nReading", postcode="RG1 3BE",
        local_authority=reading, annual_income_pence=3_200_000_00, contact_name="Ruth Ellis",
        contact_email="ruth@example.org")
    session.add(foundation)
    session.flush()
    return foundation


def _aim(session: Session, code: str, number: int) -> KeyAim:
    return session.scalars(select(KeyAim).join(Priority).join(Plan).where(
        Plan.is_current, Priority.code == code, KeyAim.number == number)).one()


def seed_demo_community_foundation(session: Session, fund: Fund, recorder: User,
                                   signer: User) -> None:
    """The allocation, decided two months ago (or on the year's first day, early in a
    financial year), signed off, and the foundation's onward grants since, none in the
    future."""
    today = clock.today_in_london()
    first_day = date(clock.financial_year_start(money_year_of(today)), 4, 1)
    decided_on = max(today - timedelta(days=DAYS_AGO), first_day)
    priority = session.scalars(select(Priority).join(Plan).where(
        Plan.is_current, Priority.code == PRIORITY)).one()
    direct = record_direct_award(session, recorder, fund.id, DirectAwardEntry(
        organisation_id=_foundation(session).id, amount_pence=POUNDS * 100,
        decided_on=decided_on, decision_maker=DecisionMaker.COMMISSIONER, delegate_name="",
        title=TITLE, public_reason=REASON, priority_id=priority.id,
        key_aim_ids=[_aim(session, code, number).id for code, number in KEY_AIMS],
        serves_whole_thames_valley=False, kind=DirectAwardKind.DELEGATED,
        conditions="Grant only to groups working in Berkshire, for the priorities named, and "
                   "send the OPCC your 360Giving file of the grants each quarter."))
    sign_off_direct_award(session, signer, direct.award_id, confirmed=True)
    areas = {authority.gss_code: authority.id for authority in session.scalars(
        select(LocalAuthority))}
    for name, org_id, title, pounds, days, aim, gss_codes in ONWARD:
        key_aim = _aim(session, *aim) if aim else None
        add_onward_grant(session, recorder, direct.award_id, OnwardGrantEntry(
            recipient_name=name, recipient_org_id=org_id, title=title,
            amount_pence=pounds * 100, awarded_on=min(decided_on + timedelta(days=days), today),
            key_aim_id=key_aim.id if key_aim else None,
            area_ids=[areas[code] for code in gss_codes]))
    logger.info("seed-demo: Community Foundation allocation %s to %s", direct.award_id,
                FOUNDATION)
