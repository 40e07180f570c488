"""Past awards read from a 360Giving file (JSON, CSV or XLSX) into a fund.

Every grant is checked first; one problem anywhere and nothing is imported, with each problem
named by its row (or grant) and field. Grants already in the service (by their identifier) are
left as they are, so importing a file twice changes nothing.
"""

import csv
import io
import json
import logging
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from grants.applications.models import Application
from grants.areas.models import County, LocalAuthority
from grants.awards.models import Award, AwardSource, AwardStatus
from grants.core import clock
from grants.core.errors import Refusal
from grants.funds.models import Fund, Round, RoundKind
from grants.opendata.threesixty import (
    HIGH_SHERIFF_VOCABULARY,
    THAMES_VALLEY_GSS,
    AmountError,
    grant_schema,
    parse_org_id,
    parse_pounds,
)
from grants.organisations.models import CharityRegulator, Organisation, OrganisationType
from grants.organisations.operations.identifiers import (
    IdentifierError,
    normalise_charity_number,
    normalise_company_number,
)
from grants.plans.models import KeyAim, Plan, Priority
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

CHUNK = 500
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_OWN_AWARD_ID = re.compile(r"^(?P<code>.+)-A(?P<id>[0-9]+)$")


@dataclass(frozen=True)
class Problem:
    """What is wrong with one field of one grant."""

    row: int
    field: str
    message: str
    unit: str = "Row"

    def __str__(self) -> str:
        where = f"{self.unit} {self.row}" if self.row else "The file"
        return f"{where}, {self.field}: {self.message}"


class ImportRefused(Refusal):
    """The file has problems; nothing was imported."""

    def __init__(self, problems: list[Problem]) -> None:
        count = len(problems)
        super().__init__(f"Nothing was imported: the file has {count} "
                         f"problem{'s' if count != 1 else ''}.")
        self.problems = problems


@dataclass
class RawGrant:
    """A grant as read from the file, and where it was (data row, or position in the list)."""

    row: int
    data: dict[str, Any]


@dataclass
class ImportSummary:
    grants_in_file: int = 0
    already_present: int = 0
    awards_created: int = 0
    amount_created_pence: int = 0
    organisations_created: list[str] = field(default_factory=list)
    rounds_created: list[str] = field(default_factory=list)
    per_round: dict[str, list[int]] = field(default_factory=dict)  # code -> [awards, pence]
    dry_run: bool = False


# --- Reading the file ----------------------------------------------------------------------

def _title_index() -> dict[str, tuple[str, str, dict[str, str]]]:
    """Top-level column titles -> (property, "simple" | "list" | "object", field titles)."""
    schema = grant_schema()
    defs = schema["$defs"]
    index: dict[str, tuple[str, str, dict[str, str]]] = {}
    for key, prop in schema["properties"].items():
        title = prop.get("title")
        if not title:
            continue
        items = prop.get("items", {})
        if prop.get("type") == "array" and "$ref" in items:
            target = defs[items["$ref"].rsplit("/", 1)[-1]]
            fields = {p["title"]: k for k, p in target["properties"].items() if "title" in p}
            index[title] = (key, "list", fields)
        elif "properties" in prop:
            fields = {p["title"]: k for k, p in prop["properties"].items() if "title" in p}
            index[title] = (key, "object", fields)
        elif "$ref" in prop and "properties" in defs.get(prop["$ref"].rsplit("/", 1)[-1], {}):
            target = defs[prop["$ref"].rsplit("/", 1)[-1]]
            fields = {p["title"]: k for k, p in target["properties"].items() if "title" in p}
            index[title] = (key, "object", fields)
        else:
            index[title] = (key, "simple", {})
    return index


def _cell_text(value: Any) -> str:
    """A spreadsheet cell as text (identifiers keep their leading zeros only if the file did)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _column_path(title: str, index: dict) -> tuple | None:
    """Where a column's values go in a grant, from its title (None: not the standard's)."""
    parts = [part.strip() for part in (title or "").split(":")]
    found = index.get(parts[0])
    if found is None:
        return None
    key, kind, fields = found
    if kind == "simple" and len(parts) == 1:
        return (key,)
    if kind == "object" and len(parts) == 2 and parts[1] in fields:
        return (key, fields[parts[1]])
    if kind == "list" and len(parts) == 2 and parts[1] in fields:
        return (key, 0, fields[parts[1]])
    if kind == "list" and len(parts) == 3 and parts[1].isdigit() and parts[2] in fields:
        return (key, int(parts[1]), fields[parts[2]])
    return None


def _grant_from_row(paths: list[tuple | None], values: list[str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    lists: dict[str, dict[int, dict[str, str]]] = defaultdict(dict)
    for path, value in zip(paths, values, strict=False):
        if path is None or value == "":
            continue
        if len(path) == 1:
            data[path[0]] = value
        elif len(path) == 2:
            data.setdefault(path[0], {})[path[1]] = value
        else:
            lists[path[0]].setdefault(path[1], {})[path[2]] = value
    for key, items in lists.items():
        data[key] = [items[i] for i in sorted(items)]
    return data


def unflatten(header: list[str], rows: Iterable[list[Any]]) -> list[RawGrant]:
    """Spreadsheet rows with the standard's titles as grants. "Recipient Org:Identifier" and
    "Recipient Org:0:Identifier" are the same; "Classifications:1:Code" is the second
    classification's code. Columns the standard does not have are ignored."""
    index = _title_index()
    paths = [_column_path(title, index) for title in header]
    grants = []
    for number, row in enumerate(rows, start=1):
        values = [_cell_text(v) for v in row]
        if any(values):
            grants.append(RawGrant(row=number, data=_grant_from_row(paths, values)))
    return grants


def read_grants(stream: IO[bytes], filename: str) -> tuple[list[RawGrant], str]:
    """The grants in a JSON, CSV or XLSX file, and what its positions are called."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".json":
        try:
            package = json.load(io.TextIOWrapper(stream, encoding="utf-8-sig"),
                                parse_float=Decimal)
        except (ValueError, UnicodeDecodeError) as error:
            raise ImportRefused([Problem(0, "JSON", f"The file is not JSON: {error}")]) from None
        grants = package.get("grants") if isinstance(package, dict) else None
        if not isinstance(grants, list):
            raise ImportRefused([Problem(0, "grants", "The file has no list of grants")])
        return [RawGrant(row=n, data=g if isinstance(g, dict) else {})
                for n, g in enumerate(grants, start=1)], "Grant"
    if suffix == ".csv":
        try:
            text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
            reader = csv.reader(text)
            header = next(reader, [])
            return unflatten(header, reader), "Row"
        except (UnicodeDecodeError, csv.Error) as error:
            raise ImportRefused([Problem(0, "CSV", f"The file cannot be read: {error}")]) from None
    if suffix == ".xlsx":
        try:
            workbook = load_workbook(stream, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
            raise ImportRefused([Problem(0, "XLSX", f"The file cannot be read: {error}")]) from None
        sheet = workbook["grants"] if "grants" in workbook.sheetnames else workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [_cell_text(v) for v in next(rows, ())]
        grants = unflatten(header, rows)
        workbook.close()
        return grants, "Row"
    raise ImportRefused([Problem(0, "file", "Give a .json, .csv or .xlsx file")])


# --- Checking each grant -------------------------------------------------------------------

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
            number = normalise_charity_number(org.regulator, org.charity_number)
            return OrgIdParts(org.regulator, number, org.company_number)
        if org.company_number is not None:
            return OrgIdParts(None, None, normalise_company_number(org.company_number))
    except IdentifierError as error:
        add("Recipient Org:Identifier", f"has no valid number: {error}")
    return org


def _check_amounts(data: dict[str, Any], add) -> tuple[int | None, int | None]:
    amount = requested = None
    try:
        amount = parse_pounds(data.get("amountAwarded"))
    except AmountError as error:
        add("Amount Awarded", str(error))
    if data.get("amountAppliedFor") not in (None, ""):
        try:
            requested = parse_pounds(data.get("amountAppliedFor"))
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
            company = normalise_company_number(_text(recipient, "companyNumber"))
            org = OrgIdParts(org.regulator, org.charity_number, company)
        except IdentifierError as error:
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


def check_grant(raw: RawGrant, problems: list[Problem], unit: str) -> CheckedGrant | None:
    """The grant in the service's terms, or None after adding its problems to the list."""
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
    if not code:
        add("Grant Programme:Code", "is missing: it names the round the grant belongs to")
    if len(problems) != problems_before or amount is None or awarded_on is None:
        return None
    geo_codes, classifications = _coded(data)
    checked = CheckedGrant(
        row=raw.row, identifier=identifier, title=title,
        description=_text(data, "description"), amount_pence=amount, requested_pence=requested,
        awarded_on=awarded_on, org_id=org_id, org_name=org_name, regulator=org.regulator,
        charity_number=org.charity_number, company_number=org.company_number,
        programme_code=code, programme_title=_text(programme, "title") or code,
        geo_codes=geo_codes, classifications=classifications)
    _check_lengths(checked, add)
    return checked if len(problems) == problems_before else None


def check_grants(raws: list[RawGrant], unit: str) -> tuple[list[CheckedGrant], list[Problem]]:
    """Every grant checked on its own, then identifiers checked across the file."""
    problems: list[Problem] = []
    checked = [grant for raw in raws if (grant := check_grant(raw, problems, unit))]
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


# --- Matching with what the service holds ------------------------------------------------

def _chunks(values: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _already_present(session: Session, identifiers: list[str], prefix: str) -> set[str]:
    """Identifiers of grants the service already holds: imported ones, and its own awards as
    its export names them (so re-importing an export adds nothing)."""
    present: set[str] = set()
    for chunk in _chunks(identifiers):
        present.update(session.scalars(
            select(Award.external_identifier).where(Award.external_identifier.in_(chunk))))
    own = {i[len(prefix) + 1:]: i for i in identifiers if i.startswith(prefix + "-")}
    references = list(own)
    for chunk in _chunks(references):
        for reference in session.scalars(
                select(Application.reference).join(Award, Award.application_id == Application.id)
                .where(Application.reference.in_(chunk))):
            present.add(own[reference])
    by_award_id = {}
    for rest, identifier in own.items():
        match = _OWN_AWARD_ID.match(rest)
        if match:
            by_award_id[int(match["id"])] = (match["code"], identifier)
    for chunk in _chunks(list(by_award_id)):
        for award_id, code in session.execute(
                select(Award.id, Round.code).join(Award.round).where(Award.id.in_(chunk),
                                                                      Award.application_id.is_(None))):
            if by_award_id[award_id][0] == code:
                present.add(by_award_id[award_id][1])
    return present


@dataclass
class Lookups:
    """The reference records grants name, each found by its natural key."""

    fund: Fund | None
    authorities: dict[str, LocalAuthority]
    counties: dict[str, County]
    priorities: dict[tuple[str, str], Priority]
    key_aims: dict[tuple[str, str], KeyAim]
    rounds: dict[str, Round]


def _lookups(session: Session, fund: Fund | None, codes: list[str]) -> Lookups:
    priorities, key_aims = {}, {}
    for plan in session.scalars(select(Plan).options(
            selectinload(Plan.priorities).selectinload(Priority.key_aims))):
        for priority in plan.priorities:
            priorities[(plan.code, priority.code.upper())] = priority
            for aim in priority.key_aims:
                key_aims[(plan.code, f"{priority.code}.{aim.number}".upper())] = aim
    rounds = {}
    for chunk in _chunks(codes):
        rounds.update({r.code: r for r in session.scalars(
            select(Round).where(Round.code.in_(chunk)).options(selectinload(Round.fund)))})
    return Lookups(
        fund=fund,
        authorities={la.gss_code: la for la in session.scalars(select(LocalAuthority))},
        counties={c.name.lower(): c for c in session.scalars(select(County))},
        priorities=priorities, key_aims=key_aims, rounds=rounds)


def _classification_problem(vocabulary: str, code: str, lookups: Lookups) -> str | None:
    """Why the service cannot hold a classification (None when it can, or when it is another
    funder's own vocabulary, which the service leaves out)."""
    if vocabulary == HIGH_SHERIFF_VOCABULARY:
        return None if code.lower() in lookups.counties else (
            f"{code} is not a Thames Valley county")
    if "." in code:
        return None if (vocabulary, code.upper()) in lookups.key_aims else (
            f"{code} is not a key aim of the plan {vocabulary or '(none given)'}")
    if (vocabulary, code.upper()) in lookups.priorities:
        return None
    if any(plan == vocabulary for plan, _ in lookups.priorities):
        return f"{code} is not a priority of the plan {vocabulary}"
    return None


def _check_references(grant: CheckedGrant, lookups: Lookups, unit: str) -> list[Problem]:
    problems = []

    def add(field_title: str, message: str) -> None:
        problems.append(Problem(grant.row, field_title, message, unit))

    round_ = lookups.rounds.get(grant.programme_code)
    if round_ is not None and lookups.fund is not None and round_.fund_id != lookups.fund.id:
        add("Grant Programme:Code", f"round {grant.programme_code} belongs to fund "
                                    f"{round_.fund.code}, not {lookups.fund.code}")
    for position, code in grant.geo_codes:
        if code != THAMES_VALLEY_GSS and code not in lookups.authorities:
            add(f"Beneficiary Location:{position}:Geographic Code",
                f"{code} is not a Thames Valley council's GSS code")
    for position, vocabulary, code in grant.classifications:
        problem = _classification_problem(vocabulary, code, lookups)
        if problem:
            add(f"Classifications:{position}:Code", problem)
    priorities = sum(1 for _, vocabulary, code in grant.classifications
                     if (vocabulary, code.upper()) in lookups.priorities)
    if priorities > 1:
        add("Classifications", "names more than one priority: an award has one primary "
                               "priority, give its key aims for the others")
    return problems


# --- Writing --------------------------------------------------------------------------------

def _charity_key(regulator: CharityRegulator | None, number: str) -> tuple:
    """Northern Ireland numbers are written with or without "NIC": the key has neither."""
    if regulator is CharityRegulator.CCNI:
        number = number.removeprefix("NIC")
    return ("charity", regulator, number)


def _organisation_keys(grant: CheckedGrant) -> list[tuple]:
    """The keys a recipient is known by: its charity and company numbers, else its name."""
    keys = []
    if grant.charity_number:
        keys.append(_charity_key(grant.regulator, grant.charity_number))
    if grant.company_number:
        keys.append(("company", grant.company_number))
    return keys or [("name", grant.org_name.lower())]


def _ccni_forms(number: str) -> list[str]:
    bare = number.removeprefix("NIC")
    return [bare, f"NIC{bare}"]


def _existing_organisations(session: Session,
                            grants: list[CheckedGrant]) -> dict[tuple, Organisation]:
    wanted = {_charity_key(g.regulator, g.charity_number)[1:] for g in grants
              if g.charity_number}
    charity = {(g.regulator, n) for g in grants if g.charity_number
               for n in (_ccni_forms(g.charity_number) if g.regulator is CharityRegulator.CCNI
                         else [g.charity_number])}
    companies = {g.company_number for g in grants if g.company_number}
    names = {g.org_name.lower() for g in grants if not g.charity_number and not g.company_number}
    found: dict[tuple, Organisation] = {}
    for chunk in _chunks(sorted({n for _, n in charity})):
        for organisation in session.scalars(
                select(Organisation).where(Organisation.charity_number.in_(chunk))):
            key = _charity_key(organisation.charity_regulator, organisation.charity_number or "")
            if (key[1], key[2]) in wanted:
                found[key] = organisation
    for chunk in _chunks(sorted(companies)):
        for organisation in session.scalars(
                select(Organisation).where(Organisation.company_number.in_(chunk))):
            found.setdefault(("company", organisation.company_number), organisation)
    for chunk in _chunks(sorted(names)):
        for organisation in session.scalars(
                select(Organisation).where(func.lower(Organisation.name).in_(chunk),
                                           Organisation.charity_number.is_(None),
                                           Organisation.company_number.is_(None))
                .order_by(Organisation.id)):
            found.setdefault(("name", organisation.name.lower()), organisation)
    return found


def _new_organisation(grant: CheckedGrant) -> Organisation:
    """An organisation for a recipient the service has not met, its type guessed from its
    numbers (staff can correct it)."""
    if grant.charity_number and grant.company_number:
        kind = OrganisationType.CHARITABLE_COMPANY
    elif grant.charity_number:
        kind = OrganisationType.REGISTERED_CHARITY
    elif grant.company_number:
        kind = OrganisationType.OTHER  # a company without a charity number: CIC, CLG, ...
    else:
        kind = OrganisationType.COMMUNITY_GROUP
    return Organisation(name=grant.org_name, organisation_type=kind,
                        charity_regulator=grant.regulator if grant.charity_number else None,
                        charity_number=grant.charity_number, company_number=grant.company_number)


def _at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=clock.LONDON).astimezone(UTC)


def _new_round(fund: Fund, code: str, grants: list[CheckedGrant]) -> Round:
    """A past round: open from the start of the financial year of its first award, decided and
    published on its last award date, with a budget of what it awarded."""
    first = min(g.awarded_on for g in grants)
    last = max(g.awarded_on for g in grants)
    year_start = date(first.year if first.month >= 4 else first.year - 1, 4, 1)
    opens_at = datetime.combine(year_start, time(0), tzinfo=clock.LONDON).astimezone(UTC)
    closes_at = max(_at_noon(first), opens_at + timedelta(hours=12))
    decided_at = max(_at_noon(last), closes_at)
    nominated = any(g.high_sheriff_county for g in grants)
    return Round(
        fund=fund, code=code, title=grants[0].programme_title,
        kind=RoundKind.NOMINATION if nominated else RoundKind.OPEN,
        opens_at=opens_at, closes_at=closes_at,
        budget_pence=sum(g.amount_pence for g in grants),
        launched_at=opens_at, assessing_at=closes_at, decided_at=decided_at,
        decisions_published_at=decided_at,
    )


def _new_award(grant: CheckedGrant, round_: Round, organisation: Organisation,
               lookups: Lookups, now: datetime) -> Award:
    areas, whole = [], False
    for _, code in grant.geo_codes:
        if code == THAMES_VALLEY_GSS:
            whole = True
        elif lookups.authorities[code] not in areas:
            areas.append(lookups.authorities[code])
    priority, aims, county = None, [], None
    for _, vocabulary, code in grant.classifications:
        key = (vocabulary, code.upper())
        if vocabulary == HIGH_SHERIFF_VOCABULARY:
            county = lookups.counties[code.lower()]
        elif key in lookups.key_aims and lookups.key_aims[key] not in aims:
            aims.append(lookups.key_aims[key])
        elif key in lookups.priorities:
            priority = lookups.priorities[key]
    return Award(
        round=round_, organisation=organisation, amount_pence=grant.amount_pence,
        status=AwardStatus.CLOSED, source=AwardSource.IMPORTED,
        amount_requested_pence=grant.requested_pence, nominating_county=county,
        serves_whole_thames_valley=whole, areas=areas, priority=priority, key_aims=aims,
        title=grant.title, description=grant.description, awarded_on=grant.awarded_on,
        external_identifier=grant.identifier, offered_at=_at_noon(grant.awarded_on),
        closed_at=now,
    )


def _write(session: Session, grants: list[CheckedGrant], lookups: Lookups,
           summary: ImportSummary) -> None:
    organisations = _existing_organisations(session, grants)
    by_round: dict[str, list[CheckedGrant]] = defaultdict(list)
    for grant in grants:
        by_round[grant.programme_code].append(grant)
    now = clock.utcnow()
    for code, in_round in by_round.items():
        round_ = lookups.rounds.get(code)
        if round_ is None:
            round_ = _new_round(lookups.fund, code, in_round)
            session.add(round_)
            lookups.rounds[code] = round_
            summary.rounds_created.append(code)
        priorities: set[Priority] = set()
        for grant in in_round:
            keys = _organisation_keys(grant)
            organisation = next((organisations[k] for k in keys if k in organisations), None)
            if organisation is None:
                organisation = _new_organisation(grant)
                session.add(organisation)
                summary.organisations_created.append(grant.org_name)
            for key in keys:
                organisations.setdefault(key, organisation)
            award = _new_award(grant, round_, organisation, lookups, now)
            session.add(award)
            if award.priority is not None:
                priorities.add(award.priority)
            counts = summary.per_round.setdefault(code, [0, 0])
            counts[0] += 1
            counts[1] += grant.amount_pence
            summary.awards_created += 1
            summary.amount_created_pence += grant.amount_pence
        # A round the import creates takes its awards' priorities; a round staff set up keeps
        # its own.
        if code in summary.rounds_created:
            round_.priorities = sorted(priorities, key=lambda p: (p.plan_id, p.number))
        session.flush()


def import_grants(session: Session, raws: list[RawGrant], unit: str, fund_code: str, *,
                  prefix: str, actor_id: int | None = None,
                  dry_run: bool = False) -> ImportSummary:
    """Import the grants into the fund, all or nothing; with dry_run, work out what would be
    created and leave the database as it was."""
    checked, problems = check_grants(raws, unit)
    fund = session.scalars(select(Fund).where(Fund.code == fund_code)).one_or_none()
    if fund is None:
        problems.insert(0, Problem(0, "fund", f"There is no fund with the code {fund_code}"))
    present = _already_present(session, [g.identifier for g in checked], prefix)
    new = [g for g in checked if g.identifier not in present]
    lookups = _lookups(session, fund, sorted({g.programme_code for g in new}))
    for grant in new:
        problems += _check_references(grant, lookups, unit)
    if problems:
        raise ImportRefused(sorted(problems, key=lambda p: p.row))
    summary = ImportSummary(grants_in_file=len(checked), already_present=len(present),
                            dry_run=dry_run)
    if not new:
        return summary
    savepoint = session.begin_nested()
    _write(session, new, lookups, summary)
    if dry_run:
        savepoint.rollback()
        return summary
    savepoint.commit()
    record_event(session, actor_id=actor_id, action="opendata.import", entity_type="fund",
                 entity_id=fund.id, after={"awards": summary.awards_created,
                                           "amount_pence": summary.amount_created_pence,
                                           "rounds": summary.rounds_created},
                 note=f"{summary.awards_created} awards imported from a 360Giving file")
    logger.info("imported %s awards (%s pence) into fund %s; %s already present",
                summary.awards_created, summary.amount_created_pence, fund.code,
                summary.already_present)
    return summary


def import_file(session: Session, stream: IO[bytes], filename: str, fund_code: str, *,
                prefix: str, actor_id: int | None = None,
                dry_run: bool = False) -> ImportSummary:
    """Read a 360Giving file and import its grants (see import_grants)."""
    raws, unit = read_grants(stream, filename)
    return import_grants(session, raws, unit, fund_code, prefix=prefix, actor_id=actor_id,
                         dry_run=dry_run)
