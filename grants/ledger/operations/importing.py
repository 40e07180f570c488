"""Importing money paid into a fund from a CSV file: a header row naming the columns, then a
row per payment. Every problem is named by its row (and column), and nothing is saved unless
the whole file is right."""

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from grants.core import clock
from grants.core.errors import ValidationFailed
from grants.core.locks import lock_row
from grants.core.money import AmountError, parse_file_pounds
from grants.funds.models import Fund
from grants.ledger.operations.paid_in import (
    PaidInEntry,
    add_entry,
    already_recorded,
    describe,
    entry_problems,
    written_year,
)

MAX_CSV_BYTES = 1_000_000
MAX_PROBLEMS = 20
# How much of a value a problem quotes.
SHOWN_LENGTH = 40

# The columns, as the header names them (in any order and any case); the last may be left out.
DATE, AMOUNT, SOURCE, REFERENCE, YEAR = ("Date received", "Amount", "Source", "Reference",
                                         "Financial year")
REQUIRED_COLUMNS = (DATE, AMOUNT, SOURCE, REFERENCE)
COLUMNS = (*REQUIRED_COLUMNS, YEAR)
# The form's field each column's problems belong to.
FIELDS = {"received_on": DATE, "amount": AMOUNT, "source": SOURCE, "reference": REFERENCE,
          "financial_year": YEAR}

_ISO_DAY = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")
_UK_DAY = re.compile(r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$")


class PaidInFileRejected(ValidationFailed):
    """A file with problems, each naming its row; nothing was saved."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__({"paid_in_file": problems[0]})
        self.problems = list(problems)


@dataclass(frozen=True)
class Imported:
    count: int
    amount_pence: int


def parse_day(text: str) -> date:
    """A day written 2019-07-15 or 15/07/2019."""
    iso, uk = _ISO_DAY.match(text), _UK_DAY.match(text)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if uk:
            return date(int(uk[3]), int(uk[2]), int(uk[1]))
    except ValueError:
        raise ValueError(f"“{shown(text)}” is not a real date") from None
    raise ValueError(f"“{shown(text)}” is not a date written like 15/07/2019 or 2019-07-15")


def shown(text: str) -> str:
    """A value from the file as a message quotes it: a long one cut short."""
    return text if len(text) <= SHOWN_LENGTH else text[:SHOWN_LENGTH] + "…"


def _cell(row: Sequence[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


def _read_header(number: int, header: Sequence[str]) -> tuple[dict[str, int], list[str]]:
    """Which column holds what, and what is wrong with the header row (row `number`)."""
    known = {name.casefold(): name for name in COLUMNS}
    columns: dict[str, int] = {}
    problems: list[str] = []
    for index, title in enumerate(header):
        name = known.get(title.strip().casefold())
        if not title.strip():
            problems.append(f"Row {number}: every column needs a heading. The columns are "
                            f"{', '.join(COLUMNS)}")
        elif name is None:
            problems.append(f"Row {number}: “{shown(title.strip())}” is not a column this "
                            f"import reads. The columns are {', '.join(COLUMNS)}")
        elif name in columns:
            problems.append(f"Row {number}: there are two columns headed {name}")
        else:
            columns[name] = index
    problems += [f"Row {number}: there is no column headed {name}" for name in REQUIRED_COLUMNS
                 if name not in columns]
    return columns, problems


def _read_row(row: Sequence[str], columns: dict[str, int], today: date
              ) -> tuple[PaidInEntry, list[str]]:
    """The row's entry, and its problems, each starting with its column's name."""
    unread: dict[str, str] = {}
    received_on = amount_pence = None
    day_text, amount_text = _cell(row, columns.get(DATE)), _cell(row, columns.get(AMOUNT))
    if day_text:
        try:
            received_on = parse_day(day_text)
        except ValueError as error:
            unread[DATE] = str(error)
    if amount_text:
        try:
            amount_pence = parse_file_pounds(amount_text)
        except AmountError as error:
            unread[AMOUNT] = (str(error) if len(amount_text) <= SHOWN_LENGTH
                              else f"“{shown(amount_text)}” is not an amount in pounds")
    entry = PaidInEntry(received_on=received_on, amount_pence=amount_pence,
                        source=_cell(row, columns.get(SOURCE)),
                        reference=_cell(row, columns.get(REFERENCE)),
                        financial_year=written_year(_cell(row, columns.get(YEAR))))
    problems = dict(unread)
    for field, message in entry_problems(entry, today).items():
        # A value that could not be read has its own problem already.
        if message and FIELDS[field] not in problems:
            problems[FIELDS[field]] = message
    return entry, [f"{column}: {message}" for column, message in problems.items()]


def _rows(data: bytes) -> tuple[list[tuple[int, list[str]]], str | None]:
    """The file's rows that hold anything, by row number; or why it cannot be read."""
    if len(data) > MAX_CSV_BYTES:
        return [], f"The file must be smaller than {MAX_CSV_BYTES // 1_000_000}MB"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], "The file must be a CSV file saved as UTF-8"
    if "\x00" in text:
        return [], ("The file must be a CSV file saved as UTF-8: it holds characters a CSV "
                    "file cannot")
    try:
        rows = [(number, row) for number, row in
                enumerate(csv.reader(io.StringIO(text, newline="")), start=1)
                if any(cell.strip() for cell in row)]
    except csv.Error as error:
        return [], f"The file is not a CSV file that can be read: {error}"
    if not rows:
        return [], (f"The file is empty. Add a header row ({', '.join(COLUMNS)}) and a row "
                    "for each payment")
    if len(rows) == 1:
        return [], ("The file has no payments in it: add a row for each payment below the "
                    "header row")
    return rows, None


def read_paid_in_csv(data: bytes, today: date
                     ) -> tuple[list[tuple[int, PaidInEntry]], list[str]]:
    """The file's entries by row number, and every problem with it, each naming its row."""
    rows, unreadable = _rows(data)
    if unreadable:
        return [], [unreadable]
    header_number, header = rows[0]
    columns, problems = _read_header(header_number, header)
    if problems:
        return [], problems
    entries: list[tuple[int, PaidInEntry]] = []
    seen: dict[tuple, int] = {}
    for number, row in rows[1:]:
        entry, row_problems = _read_row(row, columns, today)
        if len(row) > len(header):
            row_problems.append("it has more cells than the header row")
        if not row_problems and entry.key in seen:
            row_problems.append(f"it is the same payment as row {seen[entry.key]}")
        problems += [f"Row {number}, {problem}" if problem.split(":")[0] in COLUMNS
                     else f"Row {number}: {problem}" for problem in row_problems]
        seen.setdefault(entry.key, number)
        entries.append((number, entry))
    return entries, problems


def import_paid_in_csv(session: Session, fund: Fund, data: bytes, *, file_name: str,
                       actor_id: int | None) -> Imported:
    """Record every payment of the file, or none: a file with any problem, or holding a
    payment the fund has already recorded, is refused with each problem by row. The fund's
    row is locked first, so the same file sent twice at once is imported once."""
    fund = lock_row(session, Fund, fund.id, missing="There is no such fund")
    entries, problems = read_paid_in_csv(data, clock.today_in_london())
    if not problems:
        recorded = already_recorded(session, fund.id, [entry for _, entry in entries])
        problems = [f"Row {number}: {describe(entry)} from {entry.source} with the reference "
                    f"“{entry.reference}” is already recorded"
                    for number, entry in entries if entry.key in recorded]
    if problems:
        if len(problems) > MAX_PROBLEMS:
            more = len(problems) - MAX_PROBLEMS
            problems = [*problems[:MAX_PROBLEMS], f"… and {more} more problems"]
        raise PaidInFileRejected(problems)
    note = f"Imported from {file_name}"[:200]
    for _, entry in entries:
        add_entry(session, fund, entry, actor_id=actor_id, note=note)
    return Imported(count=len(entries),
                    amount_pence=sum(entry.amount_pence or 0 for _, entry in entries))
