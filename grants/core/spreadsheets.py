"""Spreadsheets the service writes (CSV and XLSX) and reads, where what people typed stays text.

A spreadsheet program runs a cell that starts with "=", "+", "-", "@" or a tab as a formula,
so text a person typed (an organisation's name, a project title) could run on a staff
member's machine. Every download builds its cells here: text that starts like a formula gets
a leading apostrophe in CSV, and is written as a text cell in XLSX; numbers (money as
`grants.core.money.pounds_decimal`) stay numbers, negative ones too.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from openpyxl.cell import WriteOnlyCell

# A spreadsheet treats a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """The value as CSV text that a spreadsheet shows as text, never runs as a formula.
    None is an empty cell; a number (int or Decimal) is written as it is."""
    if value is None:
        return ""
    if isinstance(value, int | Decimal):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """CSV lines (each ending "\\r\\n"), a row at a time, every cell made safe by `csv_cell`:
    for a download written as it is read."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
        yield out.getvalue()
        out.seek(0)
        out.truncate()


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """CSV of rows (the header first) whose every cell is made safe by `csv_cell`."""
    return "".join(csv_lines(rows))


def keep_text(sheet) -> None:
    """Cells of an openpyxl sheet that openpyxl took for formulas (text starting with "=")
    stay text: no name or title is ever a formula. Call it once the sheet is filled."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def xlsx_cell(sheet, value: Any, number_format: str | None = None) -> WriteOnlyCell:
    """A cell of a write-only sheet, where text always stays text (openpyxl would write text
    starting with "=" as a formula); numbers and dates take the number format given."""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if number_format is not None:
        cell.number_format = number_format
    return cell


def cell_text(value: Any) -> str:
    """A cell read from a spreadsheet as text: a date as ISO 8601, a whole number without
    ".0" (identifiers keep their leading zeros only if the file did), text stripped."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
