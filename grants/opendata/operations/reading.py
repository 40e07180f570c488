"""Reading a 360Giving file (JSON, CSV, or XLSX of one sheet or of a sheet per list) into
grants as written, and what is wrong with one: every problem is named by its row (or grant)
and field, and a sheet the standard does not have by its name."""

import csv
import io
import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from openpyxl import load_workbook

from grants.core.errors import Refusal
from grants.core.spreadsheets import cell_text
from grants.opendata.operations.threesixty import ADDITIONAL_COLUMNS, grant_schema

logger = logging.getLogger(__name__)


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


# The export's own columns beside the standard's, by title.
_ADDITIONAL_PATHS = dict(ADDITIONAL_COLUMNS)


def _column_path(title: str, index: dict) -> tuple | None:
    """Where a column's values go in a grant, from its title (None: not the standard's, nor
    one of the fields the export adds beside the standard's)."""
    additional = _ADDITIONAL_PATHS.get((title or "").strip())
    if additional is not None:
        return additional
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
    classification's code. Columns the standard does not have are ignored, but for the
    export's own `additional_data/conditions` and `additional_data/reason`."""
    index = _title_index()
    paths = [_column_path(title, index) for title in header]
    grants = []
    for number, row in enumerate(rows, start=1):
        values = [cell_text(v) for v in row]
        if any(values):
            grants.append(RawGrant(row=number, data=_grant_from_row(paths, values)))
    return grants


# The sheet that holds the grants themselves in a workbook of several (flattentool's
# --main-sheet-name, as the standard's templates name it); otherwise the first sheet.
MAIN_SHEET = "grants"
# The column of a list's sheet that names the grant each row belongs to (flattentool
# --use-titles, with the grant's "id" as the link).
LINK_COLUMN = "Identifier"


def _rows(sheet) -> tuple[list[str], Iterator[tuple]]:
    rows = sheet.iter_rows(values_only=True)
    return [cell_text(v) for v in next(rows, ())], rows


def _is_empty(sheet) -> bool:
    return not any(cell_text(v) for row in sheet.iter_rows(values_only=True) for v in row)


def _list_sheet(title: str, index: dict) -> tuple[str, dict[str, str]] | None:
    """The list a sheet holds, by its title ("Classifications" -> classifications)."""
    found = index.get(title.strip())
    if found is None or found[1] != "list":
        return None
    return found[0], found[2]


def _list_items(sheet, title: str, key: str, fields: dict[str, str],
                grants: dict[str, RawGrant], problems: list[Problem]) -> None:
    """Add each row of a list's sheet to its grant's list, in the sheet's order."""
    unit = f"{title} sheet, row"
    header, rows = _rows(sheet)
    if LINK_COLUMN not in header:
        problems.append(Problem(0, f"{title} sheet", f"has no {LINK_COLUMN} column, so its "
                                "rows cannot be matched with their grants"))
        return
    link = header.index(LINK_COLUMN)
    columns = {}
    for position, column in enumerate(header):
        parts = [part.strip() for part in column.split(":")]
        if len(parts) == 2 and parts[0] == title and parts[1] in fields:
            columns[position] = fields[parts[1]]
    for number, row in enumerate(rows, start=1):
        values = [cell_text(v) for v in row]
        if not any(values):
            continue
        identifier = values[link] if link < len(values) else ""
        grant = grants.get(identifier)
        if grant is None:
            message = (f"{identifier} is not the identifier of a grant on the grants sheet"
                       if identifier else "is missing: give the identifier of the grant the "
                                          "row belongs to")
            problems.append(Problem(number, LINK_COLUMN, message, unit))
            continue
        item = {columns[i]: v for i, v in enumerate(values) if i in columns and v != ""}
        if item:
            grant.data.setdefault(key, []).append(item)


def read_workbook(workbook) -> list[RawGrant]:
    """The grants in a workbook: one sheet with numbered columns, or the grants sheet and one
    sheet for each list (as flattentool writes with --use-titles), or both. A sheet that is not
    the standard's is refused by name, never skipped; an empty one holds nothing to lose."""
    names = workbook.sheetnames
    main = workbook[MAIN_SHEET] if MAIN_SHEET in names else workbook.worksheets[0]
    header, rows = _rows(main)
    grants = unflatten(header, rows)
    by_identifier: dict[str, RawGrant] = {}
    for grant in grants:
        by_identifier.setdefault(str(grant.data.get("id", "")), grant)
    index = _title_index()
    problems: list[Problem] = []
    for sheet in workbook.worksheets:
        if sheet.title == main.title:
            continue
        found = _list_sheet(sheet.title, index)
        if found is not None:
            _list_items(sheet, sheet.title.strip(), *found, by_identifier, problems)
        elif not _is_empty(sheet):
            problems.append(Problem(0, f"{sheet.title} sheet", (
                "is not a sheet of the 360Giving standard: a workbook holds the grants sheet "
                "and a sheet for each list named by its title (Recipient Org, Beneficiary "
                "Location, Classifications, …). Remove the sheet or give it the right name")))
    if problems:
        raise ImportRefused(problems)
    return grants


def _read_json(stream: IO[bytes]) -> list[RawGrant]:
    try:
        package = json.load(io.TextIOWrapper(stream, encoding="utf-8-sig"), parse_float=Decimal)
    except (ValueError, UnicodeDecodeError) as error:
        raise ImportRefused([Problem(0, "JSON", f"The file is not JSON: {error}")]) from None
    grants = package.get("grants") if isinstance(package, dict) else None
    if not isinstance(grants, list):
        raise ImportRefused([Problem(0, "grants", "The file has no list of grants")])
    return [RawGrant(row=n, data=g if isinstance(g, dict) else {})
            for n, g in enumerate(grants, start=1)]


def _read_csv(stream: IO[bytes]) -> list[RawGrant]:
    try:
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        reader = csv.reader(text)
        header = next(reader, [])
        return unflatten(header, reader)
    except (UnicodeDecodeError, csv.Error) as error:
        raise ImportRefused([Problem(0, "CSV", f"The file cannot be read: {error}")]) from None


def _read_xlsx(stream: IO[bytes]) -> list[RawGrant]:
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise ImportRefused([Problem(0, "XLSX", f"The file cannot be read: {error}")]) from None
    try:
        return read_workbook(workbook)
    finally:
        workbook.close()


def read_grants(stream: IO[bytes], filename: str) -> tuple[list[RawGrant], str]:
    """The grants in a JSON, CSV or XLSX file, and what its positions are called."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".json":
        return _read_json(stream), "Grant"
    if suffix == ".csv":
        return _read_csv(stream), "Row"
    if suffix == ".xlsx":
        return _read_xlsx(stream), "Row"
    raise ImportRefused([Problem(0, "file", "Give a .json, .csv or .xlsx file")])
