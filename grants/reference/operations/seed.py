"""Loading the reference data shipped in the package: the plan, areas, CSPs and funds, and the
councils and partnerships as organisations (the recipients of formula allocations).

The JSON files (grants/reference/*.json) are copies of the project's shared reference data; the
app reads only these.
"""

import json
import logging
from datetime import date
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.areas.models import CommunitySafetyPartnership, LocalAuthority
from grants.areas.operations.loading import AreaRow, Tally, add_areas
from grants.funds.models import Fund
from grants.offices.models import Office
from grants.offices.operations.creating import OfficeDetails, create_office
from grants.organisations.models import Organisation, OrganisationType
from grants.plans.models import KeyAim, Plan, Priority

logger = logging.getLogger(__name__)

FUND_DESCRIPTIONS = {
    "PPAF": (
        "Money from property that came into police possession and could not be returned to its "
        "owner, granted to charities and community groups for projects that support the Police "
        "and Crime Plan. Two bidding rounds a year, each on two strategic priorities; the three "
        "county High Sheriffs also nominate organisations for awards."
    ),
    "CSF": (
        "Crime and disorder reduction grants to Community Safety Partnerships, local "
        "authorities and their partners. Most is allocated to the councils by formula; the "
        "Office keeps a share for targeted priorities."
    ),
}


def load_json(name: str) -> dict[str, Any]:
    return json.loads(resources.files("grants.reference").joinpath(name).read_text("utf-8"))


def seed_report() -> Tally:
    """What a seed run added; empty when everything was already there."""
    return Tally(nothing="Reference data already up to date: nothing added.")


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def seed_reference(session: Session, settings: dict[str, str] | None = None) -> Tally:
    """Create what is missing of the first office, its plan, areas, CSPs and funds. Running it
    twice adds nothing.

    Records are matched by their natural keys (the office's slug; plan code, priority code,
    names, fund code within the office; GSS code; a council's organisation by the one area it
    covers); existing ones are left as staff may have edited them. `settings` holds the
    funder's org-id, grant-id prefix, funder name and contact address where the deployment
    sets them (as the migration that brought offices read them).
    """
    report = seed_report()
    office = _seed_office(session, settings or {}, report)
    _seed_plan(session, office, load_json("police_and_crime_plan.json"), report)
    add_areas(session, office.id, area_rows(load_json("thames_valley_areas.json")), report)
    session.flush()
    seed_recipient_organisations(session, report)
    session.flush()
    logger.info("seed-reference: %s", report)
    return report


# The settings that stand in for the shipped office's values when a deployment sets them.
OFFICE_SETTINGS = {"FUNDER_ORG_ID": "funder_org_id", "GRANT_ID_PREFIX": "grant_id_prefix",
                   "FUNDER_NAME": "funder_name", "CONTACT_EMAIL": "contact_email"}


def shipped_office(session: Session) -> Office | None:
    """The office the shipped reference data is (the first office), once seed-reference or the
    migration that brought offices has made it."""
    slug = load_json("thames_valley_office.json")["slug"]
    return session.scalars(select(Office).where(Office.slug == slug)).one_or_none()


def _seed_office(session: Session, settings: dict[str, str], report: Tally) -> Office:
    """The shipped first office, found by its slug, or made from the shipped file."""
    data = load_json("thames_valley_office.json")
    office = session.scalars(select(Office).where(Office.slug == data["slug"])).one_or_none()
    if office is not None:
        return office
    values = {key: value for key, value in data.items() if key != "about"}
    values.update({OFFICE_SETTINGS[name]: value for name, value in settings.items()
                   if name in OFFICE_SETTINGS and value})
    report.add("offices")
    return create_office(session, OfficeDetails(**values), actor_id=None)


def _seed_plan(session: Session, office: Office, data: dict[str, Any],
               report: Tally) -> None:
    plan = session.scalars(select(Plan).where(Plan.office_id == office.id,
                                              Plan.code == data["code"])).one_or_none()
    if plan is None:
        has_current = session.scalars(select(Plan).where(
            Plan.office_id == office.id, Plan.is_current)).first() is not None
        plan = Plan(
            office=office,
            code=data["code"],
            title=data["plan"],
            valid_from=_date(data["valid_from"]),
            valid_to=_date(data.get("valid_to")),
            is_current=not has_current,
        )
        session.add(plan)
        report.add("plans")
    existing = {p.code: p for p in plan.priorities}
    for item in data["priorities"]:
        priority = existing.get(item["code"])
        if priority is None:
            priority = Priority(
                code=item["code"], number=item["number"], title=item["title"],
                objective=item.get("objective", ""),
            )
            plan.priorities.append(priority)
            report.add("priorities")
        aims = {aim.number for aim in priority.key_aims}
        for aim in item["key_aims"]:
            if aim["number"] not in aims:
                priority.key_aims.append(
                    KeyAim(number=aim["number"], text=aim["text"],
                           wording=aim.get("wording", "plan"))
                )
                report.add("key aims")

    for item in data["funds"]:
        if session.scalars(select(Fund).where(Fund.office_id == office.id,
                                              Fund.code == item["code"])).one_or_none():
            continue
        session.add(Fund(
            office=office,
            code=item["code"],
            name=item["name"],
            description=FUND_DESCRIPTIONS.get(item["code"], item.get("notes", "")),
            eligible_recipients=item.get("recipients", ""),
            legal_basis=item.get("basis", ""),
            for_councils=item.get("for_councils", False),
        ))
        report.add("funds")


def area_rows(data: dict[str, Any]) -> list[AreaRow]:
    """The shipped areas (thames_valley_areas.json) as rows of one local authority each, the
    shape of an office's areas file: its county, whether the county has a High Sheriff, and
    the partnership it is part of."""
    sheriffs = {county["name"]: county.get("high_sheriff", False) for county in data["counties"]}
    partnerships = {gss: partnership["name"]
                    for partnership in data["community_safety_partnerships"]
                    for gss in partnership["areas"]}
    return [AreaRow(number=number, county=item["county"], high_sheriff=sheriffs[item["county"]],
                    name=item["name"], official_name=item.get("official_name") or "",
                    gss_code=item["gss"], tier=item["tier"], org_id=item.get("org_id"),
                    partnership=partnerships.get(item["gss"], ""),
                    valid_from=_date(item.get("valid_from")),
                    valid_to=_date(item.get("valid_to")))
            for number, item in enumerate(data["local_authorities"], start=1)]


def council_name(authority: LocalAuthority) -> str:
    """The organisation's name for a council: its official name ("Reading Borough Council"),
    or, where the reference data gives none, its area's ("Oxfordshire County Council")."""
    name = authority.official_name or authority.name
    return name if "Council" in name or "Borough" in name else f"{name} Council"


def _area_council_name(authority: LocalAuthority) -> str:
    return authority.name if authority.name.endswith("Council") else f"{authority.name} Council"


def seed_recipient_organisations(session: Session, report: Tally) -> None:
    """An organisation for each council and each Community Safety Partnership, tied to the
    areas it covers, so that allocation rounds can choose them as recipients (every office's:
    an office whose areas were loaded from a file gets its own too)."""
    organisations = session.scalars(
        select(Organisation).where(Organisation.organisation_type.in_(
            [OrganisationType.LOCAL_AUTHORITY, OrganisationType.COMMUNITY_SAFETY_PARTNERSHIP]))
    ).all()
    councils = {frozenset(area.id for area in organisation.areas)
                for organisation in organisations
                if organisation.organisation_type is OrganisationType.LOCAL_AUTHORITY}
    for organisation in organisations:
        # Named before the reference data held councils' official names ("Reading Council"):
        # take the official one ("Reading Borough Council"). A name staff chose is kept.
        authority = organisation.local_authority
        if (organisation.organisation_type is OrganisationType.LOCAL_AUTHORITY and authority
                and organisation.name == _area_council_name(authority)
                and organisation.name != council_name(authority)):
            organisation.name = council_name(authority)
            report.add("council organisations renamed")
    partnerships = {organisation.name for organisation in organisations
                    if organisation.organisation_type
                    is OrganisationType.COMMUNITY_SAFETY_PARTNERSHIP}

    for authority in session.scalars(select(LocalAuthority).order_by(LocalAuthority.name)):
        if frozenset({authority.id}) in councils:
            continue
        session.add(Organisation(name=council_name(authority),
                                 organisation_type=OrganisationType.LOCAL_AUTHORITY,
                                 local_authority=authority, areas=[authority]))
        report.add("council organisations")

    for partnership in session.scalars(select(CommunitySafetyPartnership)
                                       .order_by(CommunitySafetyPartnership.name)):
        if partnership.name in partnerships:
            continue
        areas = list(partnership.local_authorities)
        session.add(Organisation(
            name=partnership.name,
            organisation_type=OrganisationType.COMMUNITY_SAFETY_PARTNERSHIP,
            local_authority=areas[0] if areas else None, areas=areas))
        report.add("partnership organisations")
