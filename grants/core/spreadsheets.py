"""Spreadsheets the service writes (CSV and XLSX) and reads, where what people typed stays text.

A CSV file staff upload (money paid in, an office's areas) is read here too: its rows by
number, its header, its days, and a value as a problem quotes it, so that every import refuses
a bad file with the same words.

A spreadsheet program runs a cell that starts with "=", "+", "-", "@" or a tab as a formula,
so text a person typed (an organisation's name, a project title) could run on a staff
member's machine. Every download builds its cells here: text that starts like a formula gets
a leading apostrophe in CSV, and is written as a text cell in XLSX; numbers (money as
`grants.core.money.pounds_decimal`) stay numbers, negative ones too.
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
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


# --- Reading a CSV file someone uploads ----------------------------------------------------

MAX_CSV_BYTES = 1_000_000
# How much of a value a problem quotes.
SHOWN_LENGTH = 40
_ISO_DAY = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")
_UK_DAY = re.compile(r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$")

# A file's rows that hold anything, each with its number in the file (the header is row 1).
Rows = list[tuple[int, list[str]]]


def shown(text: str) -> str:
    """A value from the file as a message quotes it: a long one cut short."""
    return text if len(text) <= SHOWN_LENGTH else text[:SHOWN_LENGTH] + "…"


def parse_day(text: str) -> date:
    """A day written 2019-07-15 or 15/07/2019; ValueError, saying why, for anything else."""
    iso, uk = _ISO_DAY.match(text), _UK_DAY.match(text)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if uk:
            return date(int(uk[3]), int(uk[2]), int(uk[1]))
    except ValueError:
        raise ValueError(f"“{shown(text)}” is not a real date") from None
    raise ValueError(f"“{shown(text)}” is not a date written like 15/07/2019 or 2019-07-15")


def csv_rows(data: bytes, columns: Sequence[str], *, each: str, rows_are: str) -> Rows:
    """The rows of an uploaded CSV file that hold anything, the header first; ValueError,
    saying why, when the file cannot be read or holds no row below its header (`each` names
    what a row is, "payment"; `rows_are` what they are together, "payments")."""
    if len(data) > MAX_CSV_BYTES:
        raise ValueError(f"The file must be smaller than {MAX_CSV_BYTES // 1_000_000}MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("The file must be a CSV file saved as UTF-8") from None
    if "\x00" in text:
        raise ValueError("The file must be a CSV file saved as UTF-8: it holds characters a "
                         "CSV file cannot")
    try:
        rows = [(number, row) for number, row in
                enumerate(csv.reader(io.StringIO(text, newline="")), start=1)
                if any(cell.strip() for cell in row)]
    except csv.Error as error:
        raise ValueError(f"The file is not a CSV file that can be read: {error}") from None
    if not rows:
        raise ValueError(f"The file is empty. Add a header row ({', '.join(columns)}) and a "
                         f"row for each {each}")
    if len(rows) == 1:
        raise ValueError(f"The file has no {rows_are} in it: add a row for each {each} below "
                         "the header row")
    return rows


def read_header(number: int, header: Sequence[str], columns: Sequence[str],
                required: Sequence[str]) -> tuple[dict[str, int], list[str]]:
    """Which of `columns` each cell of the header row (row `number`) heads, matched in any
    case, and what is wrong with the row: a blank heading, one that is not a column, a column
    twice, a `required` one missing."""
    known = {name.casefold(): name for name in columns}
    found: dict[str, int] = {}
    problems: list[str] = []
    for index, title in enumerate(header):
        name = known.get(title.strip().casefold())
        if not title.strip():
            problems.append(f"Row {number}: every column needs a heading. The columns are "
                            f"{', '.join(columns)}")
        elif name is None:
            problems.append(f"Row {number}: “{shown(title.strip())}” is not a column this "
                            f"file may have. The columns are {', '.join(columns)}")
        elif name in found:
            problems.append(f"Row {number}: there are two columns headed {name}")
        else:
            found[name] = index
    problems += [f"Row {number}: there is no column headed {name}" for name in required
                 if name not in found]
    return found, problems
