"""The 360Giving Data Standard: its schemas, org-ids, and awards as grants.

The schemas are the standard's own files (1.4 series, CC BY 4.0), kept in this package so the
service validates what it imports offline (and the tests what it exports).
"""

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from grants.awards.models import Award
from grants.awards.operations.terms import add_months, planned_dates
from grants.core import clock
from grants.core.money import pounds_number
from grants.offices.operations.speaking import OfficeFacts
from grants.organisations.models import CharityRegulator

logger = logging.getLogger(__name__)

GRANT_SCHEMA_FILE = "360-giving-schema.json"

HIGH_SHERIFF_VOCABULARY = "TVPCC-High-Sheriff"
# The standard's regrantType codelist: a grant to an intermediary that grants it onward (a
# Community Foundation allocation) is a Common Regrant.
REGRANT_COMMON = "FRG010"
ADDITIONAL_DATA = "additional_data"
# The first office's police force area (ONS GSS code), for awards serving all of it. (The
# office's row has no GSS code yet: a second office needs one.)
THAMES_VALLEY_GSS = "E23000029"
# The standard's geoCodeType codelist (codelists/geoCodeType.csv), by the ONS entity a GSS
# code's first three characters name: the kinds of area the service codes.
GEO_CODE_TYPES = {
    "E06": "UA",   # unitary authorities
    "E07": "NMD",  # non-metropolitan districts
    "E08": "MD",   # metropolitan districts
    "E09": "LONB",  # London boroughs
    "E10": "CTY",  # counties
    "E22": "CSP",  # Community Safety Partnerships
    "E23": "PFA",  # police force areas
    "W06": "UA",   # Welsh unitary authorities
    "W14": "CDRP",  # Welsh Community Safety Partnerships
}


def _load(name: str) -> dict[str, Any]:
    return json.loads(resources.files("grants.opendata").joinpath(name).read_text("utf-8"))


@cache
def grant_schema() -> dict[str, Any]:
    return _load(GRANT_SCHEMA_FILE)


# --- Organisation identifiers (org-id) ---------------------------------------------------

@dataclass(frozen=True)
class OrgId:
    """What an org-id says about an organisation's registration numbers."""

    regulator: CharityRegulator | None = None
    charity_number: str | None = None
    company_number: str | None = None


_CHARITY_PREFIXES = {"GB-CHC": CharityRegulator.CCEW, "GB-SC": CharityRegulator.OSCR,
                     "GB-NIC": CharityRegulator.CCNI}


def parse_org_id(org_id: str) -> OrgId:
    """The charity or company number in an org-id, when its scheme is one the service holds."""
    for prefix, regulator in _CHARITY_PREFIXES.items():
        if org_id.upper().startswith(prefix + "-"):
            number = org_id[len(prefix) + 1:].strip().upper()
            return OrgId(regulator=regulator, charity_number=number) if number else OrgId()
    if org_id.upper().startswith("GB-COH-"):
        number = org_id[len("GB-COH-"):].strip().upper()
        return OrgId(company_number=number) if number else OrgId()
    return OrgId()


def recipient_org_id(organisation, prefix: str) -> str:
    """An organisation's org-id, or the service's own identifier for it where it has none."""
    return organisation.org_id or f"{prefix}-org-{organisation.id}"


# --- Awards as grants ----------------------------------------------------------------------

@dataclass(frozen=True)
class Publisher:
    """Who publishes: the grant identifier prefix and the funder (the office's), and the name
    of the area an award serving all of it serves."""

    prefix: str
    funder_org_id: str
    funder_name: str
    area_name: str

    @classmethod
    def of_office(cls, office: OfficeFacts) -> "Publisher":
        return cls(prefix=office.grant_id_prefix, funder_org_id=office.funder_org_id,
                   funder_name=office.funder_name, area_name=office.short_name)


def grant_identifier(award: Award, prefix: str) -> str:
    """The grant's 360Giving id: imported ones keep theirs; others come from the application
    reference, or the round code and award id when there is no application."""
    if award.external_identifier:
        return award.external_identifier
    if award.application is not None and award.application.reference:
        return f"{prefix}-{award.application.reference}"
    return f"{prefix}-{award.round.code}-A{award.id}"


def award_areas(award: Award) -> tuple[bool, list]:
    """Whether the award serves all of the office's area, and the councils it serves."""
    if award.application is not None:
        return award.application.serves_whole_thames_valley, list(award.application.areas)
    return award.serves_whole_thames_valley, list(award.areas)


def award_priority(award: Award):
    if award.priority is not None:
        return award.priority
    if award.application is not None:
        return award.application.primary_priority
    return None


def award_key_aims(award: Award) -> list:
    if award.key_aims:
        return list(award.key_aims)
    if award.application is not None:
        return list(award.application.key_aims)
    return []


def award_title(award: Award) -> str:
    if award.title:
        return award.title
    if award.application is not None and award.application.title:
        return award.application.title
    return f"Grant to {award.organisation.name}"


def award_description(award: Award) -> str:
    if award.description:
        return award.description
    if award.application is not None and award.application.summary:
        return award.application.summary
    return award_title(award)


def award_additional_data(award: Award) -> dict[str, str]:
    """What the Specified Information Order asks to publish that the standard has no field
    for: the conditions attached to the grant and the reason for it (written for publication
    and approved at sign-off). Only what is recorded: an award imported from another
    publisher's file may have neither. The importer reads them back (checking.py)."""
    data = {}
    if award.conditions.strip():
        data["conditions"] = award.conditions.strip()
    if award.public_reason.strip():
        data["reason"] = award.public_reason.strip()
    return data


def award_date(award: Award) -> date:
    if award.awarded_on is not None:
        return award.awarded_on
    moment = award.offered_at or award.round.decisions_published_at or award.created_at
    return clock.to_london(moment).date()


def geo_code_type(gss_code: str) -> str | None:
    """The standard's geoCodeType for a GSS code ("E06000038" -> "UA"), None when the service
    does not know the kind of area."""
    return GEO_CODE_TYPES.get(gss_code[:3].upper())


def duration_months(start: date, end: date) -> int:
    """How many months the activity runs, a part month counting as a whole one: 1 April to
    31 March is 12, 1 April to 1 April is 1."""
    months = (end.year - start.year) * 12 + end.month - start.month
    while months > 0 and add_months(start, months - 1) > end:
        months -= 1
    while add_months(start, months) <= end:
        months += 1
    return max(months, 1)


def amount_applied_for(award: Award) -> int | None:
    if award.application is not None and award.application.amount_requested_pence:
        return award.application.amount_requested_pence
    return award.amount_requested_pence


def _recipient(award: Award, prefix: str) -> dict[str, Any]:
    organisation = award.organisation
    recipient: dict[str, Any] = {"id": recipient_org_id(organisation, prefix),
                                 "name": organisation.name}
    if organisation.charity_number:
        recipient["charityNumber"] = organisation.charity_number
    if organisation.company_number:
        recipient["companyNumber"] = organisation.company_number
    if organisation.postcode:
        recipient["postalCode"] = organisation.postcode
    return recipient


def _planned_dates(award: Award, varied_end: date | None) -> list[dict[str, Any]]:
    start, end = planned_dates(award, varied_end)
    event: dict[str, Any] = {}
    if start is not None:
        event["startDate"] = start.isoformat()
    if end is not None:
        event["endDate"] = end.isoformat()
    if start is not None and end is not None:
        event["duration"] = duration_months(start, end)
    return [event] if event else []


def served(whole: bool, areas: Iterable[Any], priority: Any, key_aims: Iterable[Any],
           more: Iterable[dict[str, Any]] = (), *, area_name: str) -> dict[str, Any]:
    """Where a grant serves and what it is for, as 360Giving has them, each only when there is
    any: beneficiaryLocation (the office's whole area, `area_name`, then each council's area by
    its code) and classifications (the priority, vocabulary its plan's code, then the key aims,
    then `more`)."""
    locations = []
    if whole:
        locations.append({"name": area_name, "countryCode": "GB",
                          "geoCode": THAMES_VALLEY_GSS,
                          "geoCodeType": geo_code_type(THAMES_VALLEY_GSS)})
    for area in sorted(areas, key=lambda a: a.gss_code):
        location = {"name": area.name, "countryCode": "GB", "geoCode": area.gss_code}
        kind = geo_code_type(area.gss_code)
        if kind:
            location["geoCodeType"] = kind
        locations.append(location)
    classifications = []
    if priority is not None:
        classifications.append({"vocabulary": priority.plan.code, "code": priority.code,
                                "title": priority.title})
    for aim in key_aims:
        classifications.append({"vocabulary": aim.priority.plan.code, "code": aim.code,
                                "title": aim.text})
    classifications.extend(more)
    fields: dict[str, Any] = {}
    if locations:
        fields["beneficiaryLocation"] = locations
    if classifications:
        fields["classifications"] = classifications
    return fields


def _served(award: Award, area_name: str) -> dict[str, Any]:
    """The award's areas; its primary priority, then its key aims, then the nominating High
    Sheriff's county."""
    whole, areas = award_areas(award)
    county = ([] if award.nominating_county is None else
              [{"vocabulary": HIGH_SHERIFF_VOCABULARY, "code": award.nominating_county.name,
                "title": f"High Sheriff of {award.nominating_county.name}"}])
    return served(whole, areas, award_priority(award),
                  sorted(award_key_aims(award), key=lambda a: (a.priority.number, a.number)),
                  county, area_name=area_name)


def award_to_grant(award: Award, publisher: Publisher,
                   varied_end: date | None = None, *, regrant: bool = False) -> dict[str, Any]:
    """One award as a 360Giving grant (amounts in pounds, no personal data); `varied_end` is
    the end date its latest variation agreed, if any; `regrant`: the recipient grants it
    onward (a Community Foundation allocation)."""
    grant: dict[str, Any] = {
        "id": grant_identifier(award, publisher.prefix),
        "title": award_title(award),
        "description": award_description(award),
        "currency": "GBP",
        "amountAwarded": pounds_number(award.amount_pence),
    }
    requested = amount_applied_for(award)
    if requested:
        grant["amountAppliedFor"] = pounds_number(requested)
    grant["awardDate"] = award_date(award).isoformat()
    grant["recipientOrganization"] = [_recipient(award, publisher.prefix)]
    grant["fundingOrganization"] = [{"id": publisher.funder_org_id,
                                     "name": publisher.funder_name}]
    grant["grantProgramme"] = [{"code": award.round.code, "title": award.round.title}]
    if regrant:
        grant["regrantType"] = REGRANT_COMMON
    dates = _planned_dates(award, varied_end)
    if dates:
        grant["plannedDates"] = dates
    grant.update(_served(award, publisher.area_name))
    additional = award_additional_data(award)
    if additional:
        # The standard allows fields of the publisher's own beside its own; 360Giving's
        # tools keep them under this name.
        grant[ADDITIONAL_DATA] = additional
    return grant


# --- Spreadsheet column titles -------------------------------------------------------------

# Lists of one item keep the standard's un-numbered titles ("Recipient Org:Identifier");
# lists that may hold several take numbered columns ("Classifications:1:Code").
ONE_ITEM_LISTS = (
    ("Recipient Org", "recipientOrganization",
     (("Identifier", "id"), ("Name", "name"), ("Charity Number", "charityNumber"),
      ("Company Number", "companyNumber"), ("Postal Code", "postalCode"))),
    ("Funding Org", "fundingOrganization", (("Identifier", "id"), ("Name", "name"))),
    ("Grant Programme", "grantProgramme", (("Code", "code"), ("Title", "title"))),
    ("Planned Dates", "plannedDates",
     (("Start Date", "startDate"), ("End Date", "endDate"),
      ("Duration (months)", "duration"))),
)
FIXED_COLUMNS = (
    ("Identifier", ("id",)),
    ("Title", ("title",)),
    ("Description", ("description",)),
    ("Currency", ("currency",)),
    ("Amount Applied For", ("amountAppliedFor",)),
    ("Amount Awarded", ("amountAwarded",)),
    ("Award Date", ("awardDate",)),
    ("For Regrant Type", ("regrantType",)),
) + tuple((f"{name}:{title}", (key, 0, field))
          for name, key, fields in ONE_ITEM_LISTS for title, field in fields)
LOCATION_FIELDS = (("Name", "name"), ("Country Code", "countryCode"),
                   ("Geographic Code", "geoCode"), ("Geographic Code Type", "geoCodeType"))
CLASSIFICATION_FIELDS = (("Vocabulary", "vocabulary"), ("Code", "code"), ("Title", "title"))
# The fields the standard does not have, titled by their path as flattentool writes them.
ADDITIONAL_COLUMNS = tuple((f"{ADDITIONAL_DATA}/{key}", (ADDITIONAL_DATA, key))
                           for key in ("conditions", "reason"))


def flat_columns(locations: int, classifications: int) -> list[tuple[str, tuple]]:
    """The spreadsheet columns for grants with up to this many locations and classifications."""
    columns = list(FIXED_COLUMNS)
    for index in range(locations):
        columns += [(f"Beneficiary Location:{index}:{title}", ("beneficiaryLocation", index, key))
                    for title, key in LOCATION_FIELDS]
    for index in range(classifications):
        columns += [(f"Classifications:{index}:{title}", ("classifications", index, key))
                    for title, key in CLASSIFICATION_FIELDS]
    return columns + list(ADDITIONAL_COLUMNS)


def pick(grant: dict[str, Any], path: tuple) -> Any:
    value: Any = grant
    for step in path:
        if isinstance(step, int):
            if not isinstance(value, list) or step >= len(value):
                return None
        elif not isinstance(value, dict):
            return None
        value = value[step] if isinstance(step, int) else value.get(step)
    return value
