"""Checking each grant of a 360Giving file on its own, and its identifiers across the file,
and putting what passes in the service's terms."""

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from grants.awards.operations.terms import add_months
from grants.core import clock
from grants.core.money import AmountError, parse_file_pounds
from grants.opendata.operations.reading import Problem, RawGrant
from grants.opendata.operations.threesixty import (
    ADDITIONAL_DATA,
    HIGH_SHERIFF_VOCABULARY,
    parse_org_id,
)
from grants.organisations.models import CharityRegulator
from grants.organisations.operations import identifiers

logger = logging.getLogger(__name__)

_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


@dataclass
class CheckedGrant:
    """A grant that passed the checks, in the service's terms."""

    row: int
    identifier: str
    title: str
    description: str
    amount_pence: int
    requested_pence: int | None
    awarded_on: date
    org_id: str
    org_name: str
    regulator: CharityRegulator | None
    charity_number: str | None
    company_number: str | None
    programme_code: str
    programme_title: str
    geo_codes: list[tuple[int, str]]
    classifications: list[tuple[int, str, str]]  # (position, vocabulary, code)
    postcode: str | None = None
    planned_start: date | None = None
    planned_end: date | None = None
    # What the export publishes under `additional_data` (the Specified Information Order's
    # conditions and reason, which the standard has no field for).
    conditions: str = ""
    public_reason: str = ""

    @property
    def high_sheriff_county(self) -> str | None:
        return next((code for _, vocab, code in self.classifications
                     if vocab == HIGH_SHERIFF_VOCABULARY), None)


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return str(value).strip() if value is not None and not isinstance(value, dict | list) else ""


def _first(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return value[0]
    return {}


def _parse_date(value: str) -> date:
    if _DATE.match(value):
        return date.fromisoformat(value)
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is not None:
        return clock.to_london(moment).date()
    return moment.date()


def _check_additional_data(data: dict[str, Any], add) -> tuple[str, str]:
    """The conditions and the reason for the grant the export writes under `additional_data`
    (grants/opendata/operations/threesixty.py); other publishers' own fields are left alone."""
    additional = data.get(ADDITIONAL_DATA)
    if additional is None:
        return "", ""
    if not isinstance(additional, dict):
        add("Additional data", "must be an object of named fields")
        return "", ""
    found = []
    for key in ("conditions", "reason"):
        value = additional.get(key, "")
        if not isinstance(value, str):
            add(f"Additional data:{key}", "must be text")
            value = ""
        found.append(value.strip())
    return found[0], found[1]


def _check_lengths(grant: CheckedGrant, add) -> None:
    for title, value, most in (("Identifier", grant.identifier, 200),
                               ("Title", grant.title, 300),
                               ("Recipient Org:Name", grant.org_name, 200),
                               ("Grant Programme:Code", grant.programme_code, 40),
                               ("Grant Programme:Title", grant.programme_title, 200)):
        if len(value) > most:
            add(title, f"must be {most} characters or fewer")


@dataclass(frozen=True)
class OrgIdParts:
    regulator: CharityRegulator | None
    charity_number: str | None
    company_number: str | None


def _check_numbers(org: OrgIdParts, add) -> OrgIdParts:
    """The charity or company number in the org-id, in the service's form."""
    try:
        if org.regulator is not None:
            number = identifiers.normalise_charity_number(org.regulator, org.charity_number)
            return OrgIdParts(org.regulator, number, org.company_number)
        if org.company_number is not None:
            return OrgIdParts(None, None, identifiers.normalise_company_number(org.company_number))
    except identifiers.IdentifierError as error:
        add("Recipient Org:Identifier", f"has no valid number: {error}")
    return org


def _check_amounts(data: dict[str, Any], add) -> tuple[int | None, int | None]:
    amount = requested = None
    try:
        amount = parse_file_pounds(data.get("amountAwarded"))
    except AmountError as error:
        add("Amount Awarded", str(error))
    if data.get("amountAppliedFor") not in (None, ""):
        try:
            requested = parse_file_pounds(data.get("amountAppliedFor"))
        except AmountError as error:
            add("Amount Applied For", str(error))
    return amount, requested


def _check_award_date(data: dict[str, Any], add) -> date | None:
    try:
        return _parse_date(_text(data, "awardDate"))
    except ValueError:
        add("Award Date", f"{_text(data, 'awardDate') or 'nothing'} is not a date: "
                          "write it as YYYY-MM-DD")
        return None


def _check_planned_dates(data: dict[str, Any], add) -> tuple[date | None, date | None]:
    """The activity's start and end (the first of the planned dates): an end given by a
    duration in months runs to the day before the start's day that many months on."""
    event = _first(data, "plannedDates")
    dates: list[date | None] = []
    for key, title in (("startDate", "Start Date"), ("endDate", "End Date")):
        text = _text(event, key)
        try:
            dates.append(_parse_date(text) if text else None)
        except ValueError:
            add(f"Planned Dates:{title}", f"{text} is not a date: write it as YYYY-MM-DD")
            dates.append(None)
    start, end = dates
    duration = _text(event, "duration")
    if duration and end is None:
        months = _whole_number(duration)
        if months is None or months < 1:
            add("Planned Dates:Duration (months)", f"{duration} is not a number of months: "
                                                   "write a whole number, like 12")
        elif start is not None:
            end = add_months(start, months) - timedelta(days=1)
    if start is not None and end is not None and end < start:
        add("Planned Dates:End Date", "must be on or after the start date")
    return start, end


def _whole_number(text: str) -> int | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def _check_postcode(recipient: dict[str, Any], add) -> str | None:
    text = _text(recipient, "postalCode")
    if not text:
        return None
    try:
        return identifiers.normalise_postcode(text)
    except identifiers.IdentifierError:
        add("Recipient Org:Postal Code", f"{text} is not a postcode: write it like RG1 1AA")
        return None


def _check_recipient(data: dict[str, Any], add) -> tuple[str, str, OrgIdParts]:
    if data.get("recipientIndividual"):
        add("Recipient Ind", "grants to individuals cannot be imported")
    recipient = _first(data, "recipientOrganization")
    org_id, org_name = _text(recipient, "id"), _text(recipient, "name")
    if not org_id:
        add("Recipient Org:Identifier", "is missing: give the recipient's org-id, like "
                                        "GB-CHC-1123456")
    if not org_name:
        add("Recipient Org:Name", "is missing")
    parsed = parse_org_id(org_id)
    org = _check_numbers(OrgIdParts(parsed.regulator, parsed.charity_number,
                                    parsed.company_number), add)
    if org.company_number is None and _text(recipient, "companyNumber"):
        try:
            company = identifiers.normalise_company_number(_text(recipient, "companyNumber"))
            org = OrgIdParts(org.regulator, org.charity_number, company)
        except identifiers.IdentifierError as error:
            add("Recipient Org:Company Number", str(error))
    return org_id, org_name, org


def _coded(data: dict[str, Any]) -> tuple[list[tuple[int, str]], list[tuple[int, str, str]]]:
    """The GSS codes of the beneficiary locations and the classifications, with positions."""
    geo_codes = [(position, _text(location, "geoCode").upper())
                 for position, location in enumerate(data.get("beneficiaryLocation") or [])
                 if isinstance(location, dict) and _text(location, "geoCode")]
    classifications = [(position, _text(item, "vocabulary"), _text(item, "code"))
                       for position, item in enumerate(data.get("classifications") or [])
                       if isinstance(item, dict) and _text(item, "code")]
    return geo_codes, classifications


def check_grant(raw: RawGrant, problems: list[Problem], unit: str, *,
                programme_required: bool = True) -> CheckedGrant | None:
    """The grant in the service's terms, or None after adding its problems to the list.
    `programme_required`: the grant programme names the round a past award joins; an
    intermediary's onward grants join the award they were made from instead."""
    data = raw.data
    problems_before = len(problems)

    def add(field_title: str, message: str) -> None:
        problems.append(Problem(raw.row, field_title, message, unit))

    identifier = _text(data, "id")
    if not identifier:
        add("Identifier", "is missing: every grant needs its own identifier")
    title = _text(data, "title")
    if not title:
        add("Title", "is missing")
    currency = _text(data, "currency") or "GBP"
    if currency != "GBP":
        add("Currency", f"is {currency}: the service holds amounts in pounds (GBP) only")
    amount, requested = _check_amounts(data, add)
    awarded_on = _check_award_date(data, add)
    org_id, org_name, org = _check_recipient(data, add)
    programme = _first(data, "grantProgramme")
    code = _text(programme, "code")
    if not code and programme_required:
        add("Grant Programme:Code", "is missing: it names the round the grant belongs to")
    if len(problems) != problems_before or amount is None or awarded_on is None:
        return None
    postcode = _check_postcode(_first(data, "recipientOrganization"), add)
    planned_start, planned_end = _check_planned_dates(data, add)
    if len(problems) != problems_before:
        return None
    geo_codes, classifications = _coded(data)
    conditions, public_reason = _check_additional_data(data, add)
    checked = CheckedGrant(
        row=raw.row, identifier=identifier, title=title,
        description=_text(data, "description"), amount_pence=amount, requested_pence=requested,
        awarded_on=awarded_on, org_id=org_id, org_name=org_name, regulator=org.regulator,
        charity_number=org.charity_number, company_number=org.company_number,
        programme_code=code, programme_title=_text(programme, "title") or code,
        geo_codes=geo_codes, classifications=classifications, postcode=postcode,
        planned_start=planned_start, planned_end=planned_end, conditions=conditions,
        public_reason=public_reason)
    _check_lengths(checked, add)
    return checked if len(problems) == problems_before else None


def check_grants(raws: list[RawGrant], unit: str, *, programme_required: bool = True
                 ) -> tuple[list[CheckedGrant], list[Problem]]:
    """Every grant checked on its own, then identifiers checked across the file."""
    problems: list[Problem] = []
    checked = [grant for raw in raws
               if (grant := check_grant(raw, problems, unit,
                                        programme_required=programme_required))]
    first_row: dict[str, int] = {}
    for raw in raws:
        identifier = _text(raw.data, "id")
        if not identifier:
            continue
        if identifier in first_row:
            problems.append(Problem(raw.row, "Identifier", f"{identifier} is also the identifier "
                                    f"of {unit.lower()} {first_row[identifier]}: each grant "
                                    "needs its own", unit))
        else:
            first_row[identifier] = raw.row
    if not raws:
        problems.append(Problem(0, "grants", "The file has no grants"))
    return checked, sorted(problems, key=lambda p: p.row)
