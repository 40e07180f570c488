"""Loading an office's areas from a CSV file: a header row naming the columns, then a row per
local authority with its county and its Community Safety Partnership. The same shape as the
areas shipped for the first office (grants/reference/thames_valley_areas.json, one row per
entry of its "local_authorities"). Every problem is named by its row, and nothing is saved
unless the whole file is right."""

import logging
import re
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.areas.models import LocalAuthority
from grants.areas.operations.loading import AreaRow, Tally, add_areas
from grants.core.errors import ValidationFailed
from grants.core.spreadsheets import csv_rows, parse_day, read_header, shown
from grants.offices.models import Office
from grants.records.operations.audit import record_event
from grants.reference.operations.seed import seed_recipient_organisations

logger = logging.getLogger(__name__)

MAX_PROBLEMS = 20

# The columns, as the header names them (in any order and any case).
COUNTY, HIGH_SHERIFF, NAME, OFFICIAL_NAME, GSS, TIER, ORG_ID, PARTNERSHIP, FROM, TO = (
    "County", "High Sheriff", "Local authority", "Official name", "GSS code", "Tier",
    "Org id", "Community safety partnership", "Valid from", "Valid to")
COLUMNS = (COUNTY, HIGH_SHERIFF, NAME, OFFICIAL_NAME, GSS, TIER, ORG_ID, PARTNERSHIP, FROM, TO)
REQUIRED_COLUMNS = (COUNTY, NAME, GSS, TIER)
# The lengths the columns hold (grants.areas.models).
LIMITS = {COUNTY: 80, NAME: 120, OFFICIAL_NAME: 160, ORG_ID: 40, PARTNERSHIP: 160}

# An ONS GSS code of a council's area: a country's letter (E, W, S or N) and eight digits.
GSS_CODE = re.compile(r"^[EWSN][0-9]{8}$")
GSS_EXAMPLE = "E06000037"
ORG_ID_SHAPE = re.compile(r"^[A-Z]{2}-[A-Z0-9]+-[A-Za-z0-9._-]+$")
TIERS = ("unitary", "county", "district", "metropolitan", "london_borough")
YES, NO = ("yes", "y", "true"), ("no", "n", "false")


class AreasFileRejected(ValidationFailed):
    """A file with problems, each naming its row; nothing was saved."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__({"areas_file": problems[0]})
        self.problems = list(problems[:MAX_PROBLEMS])


def _day(text: str) -> date | None:
    """A day written 2020-04-01 or 01/04/2020; none when blank."""
    return parse_day(text) if text else None


def _read_row(number: int, row: Sequence[str], columns: dict[str, int]
              ) -> tuple[AreaRow | None, list[str]]:
    """The row, and what is wrong with it (each problem starting "Row n: ")."""
    cells = {name: (row[index].strip() if index < len(row) else "")
             for name, index in columns.items()}
    cell = lambda name: cells.get(name, "")  # noqa: E731
    problems = _cell_problems(cell)
    days: dict[str, date | None] = {}
    for name in (FROM, TO):
        try:
            days[name] = _day(cell(name))
        except ValueError as error:
            problems.append(f"the {name.lower()} date: {error}")
            days[name] = None
    if days[FROM] and days[TO] and days[TO] < days[FROM]:
        problems.append("the valid to date is before the valid from date")
    if len(row) > len(columns):
        problems.append("it has more cells than the header row")
    if problems:
        return None, [f"Row {number}: {problem}" for problem in problems]
    return AreaRow(number=number, county=cell(COUNTY),
                   high_sheriff=cell(HIGH_SHERIFF).lower() not in NO,
                   name=cell(NAME), official_name=cell(OFFICIAL_NAME), gss_code=cell(GSS),
                   tier=cell(TIER).lower(), org_id=cell(ORG_ID) or None,
                   partnership=cell(PARTNERSHIP), valid_from=days[FROM], valid_to=days[TO]), []


def _cell_problems(cell) -> list[str]:
    """What is wrong with the row's cells, each on its own (the dates apart)."""
    problems: list[str] = []
    for name in REQUIRED_COLUMNS:
        if not cell(name):
            problems.append(f"the {name.lower()} is missing")
    for name, limit in LIMITS.items():
        if len(cell(name)) > limit:
            problems.append(f"the {name.lower()} must be {limit} characters or fewer")
    gss = cell(GSS)
    if gss and not GSS_CODE.match(gss):
        problems.append(f"the GSS code {shown(gss)} is not of the form {GSS_EXAMPLE}")
    tier = cell(TIER).lower()
    if tier and tier not in TIERS:
        problems.append(f"the tier {shown(cell(TIER))} is not one of {', '.join(TIERS)}")
    org_id = cell(ORG_ID)
    if org_id and not ORG_ID_SHAPE.match(org_id) and len(org_id) <= LIMITS[ORG_ID]:
        problems.append(f"the org id {shown(org_id)} is not of the form GB-LAE-RDG")
    sheriff = cell(HIGH_SHERIFF).lower()
    if sheriff and sheriff not in YES + NO:
        problems.append(f"High Sheriff must be yes or no, not {shown(cell(HIGH_SHERIFF))}")
    return problems


def read_areas_csv(data: bytes) -> list[AreaRow]:
    """The file's rows; refused with every problem, each naming its row."""
    try:
        rows = csv_rows(data, COLUMNS, each="local authority", rows_are="local authorities")
    except ValueError as unreadable:
        raise AreasFileRejected([str(unreadable)]) from None
    header_number, header = rows[0]
    columns, problems = read_header(header_number, header, COLUMNS, REQUIRED_COLUMNS)
    if problems:
        raise AreasFileRejected(problems)
    read: list[AreaRow] = []
    for number, row in rows[1:]:
        area, row_problems = _read_row(number, row, columns)
        problems += row_problems
        if area is not None:
            read.append(area)
    problems += _file_problems(read)
    if problems:
        raise AreasFileRejected(problems)
    return read


def _file_problems(rows: list[AreaRow]) -> list[str]:
    """What rows say against each other: a council twice, a county with and without a High
    Sheriff."""
    problems: list[str] = []
    councils: dict[str, int] = {}
    sheriffs: dict[str, tuple[bool, int]] = {}
    for row in rows:
        if row.gss_code in councils:
            problems.append(f"Row {row.number}: the GSS code {row.gss_code} is in row "
                            f"{councils[row.gss_code]} too")
        councils.setdefault(row.gss_code, row.number)
        said, first = sheriffs.setdefault(row.county, (row.high_sheriff, row.number))
        if said != row.high_sheriff:
            problems.append(f"Row {row.number}: High Sheriff differs from row {first} for the "
                            f"county {row.county}")
    return problems


def load_areas(session: Session, office: Office, data: bytes, *,
               actor_id: int | None) -> Tally:
    """Add the file's counties, local authorities and partnerships to the office
    (`areas.operations.loading.add_areas`, as seed-reference adds the shipped ones). A council
    another office holds, or one the file puts in another county, is refused by its row."""
    rows = read_areas_csv(data)
    held = {authority.gss_code: authority for authority in session.scalars(
        select(LocalAuthority).where(LocalAuthority.gss_code.in_([r.gss_code for r in rows])))}
    problems = [f"Row {row.number}: the GSS code {row.gss_code} is a local authority of "
                f"another office ({held[row.gss_code].office.short_name})"
                for row in rows if row.gss_code in held
                and held[row.gss_code].office_id != office.id]
    problems += [f"Row {row.number}: the local authority {row.gss_code} is in the county "
                 f"{held[row.gss_code].county.name} already, not {row.county}"
                 for row in rows if row.gss_code in held
                 and held[row.gss_code].office_id == office.id
                 and held[row.gss_code].county.name != row.county]
    if problems:
        raise AreasFileRejected(problems)

    loaded = Tally(nothing="Nothing added: every area in the file was there already.")
    add_areas(session, office.id, rows, loaded)
    session.flush()
    # Councils and partnerships as organisations, which allocation rounds pay.
    organisations = Tally()
    seed_recipient_organisations(session, organisations)
    for kind in ("council organisations", "partnership organisations"):
        if kind in organisations.added:
            loaded.added[kind] = organisations.added[kind]
    session.flush()
    record_event(session, actor_id=actor_id, action="office.areas_loaded",
                 entity_type="office", entity_id=office.id, after=dict(loaded.added))
    logger.info("office %s: areas loaded, %s", office.id, loaded)
    return loaded
