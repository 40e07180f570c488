"""Reading a 360Giving file (JSON, CSV or XLSX) into grants as written, and what is wrong
with one: every problem is named by its row (or grant) and field."""

import csv
import io
import json
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from openpyxl import load_workbook

from grants.core.errors import Refusal
from grants.core.spreadsheets import cell_text
from grants.opendata.operations.threesixty import (
    grant_schema,
)

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
        values = [cell_text(v) for v in row]
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
        header = [cell_text(v) for v in next(rows, ())]
        grants = unflatten(header, rows)
        workbook.close()
        return grants, "Row"
    raise ImportRefused([Problem(0, "file", "Give a .json, .csv or .xlsx file")])
