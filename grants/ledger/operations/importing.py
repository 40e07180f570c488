"""Importing money paid into a fund from a CSV file: a header row naming the columns, then a
row per payment. Every problem is named by its row (and column), and nothing is saved unless
the whole file is right."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from grants.core import clock
from grants.core.errors import ValidationFailed
from grants.core.locks import lock_row
from grants.core.money import AmountError, parse_file_pounds
from grants.core.spreadsheets import SHOWN_LENGTH, csv_rows, parse_day, read_header, shown
from grants.funds.models import Fund
from grants.ledger.operations.paid_in import (
    PaidInEntry,
    add_entry,
    already_recorded,
    describe,
    entry_problems,
    written_year,
)

MAX_PROBLEMS = 20

# The columns, as the header names them (in any order and any case); the last may be left out.
DATE, AMOUNT, SOURCE, REFERENCE, YEAR = ("Date received", "Amount", "Source", "Reference",
                                         "Financial year")
REQUIRED_COLUMNS = (DATE, AMOUNT, SOURCE, REFERENCE)
COLUMNS = (*REQUIRED_COLUMNS, YEAR)
# The form's field each column's problems belong to.
FIELDS = {"received_on": DATE, "amount": AMOUNT, "source": SOURCE, "reference": REFERENCE,
          "financial_year": YEAR}


class PaidInFileRejected(ValidationFailed):
    """A file with problems, each naming its row; nothing was saved."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__({"paid_in_file": problems[0]})
        self.problems = list(problems)


@dataclass(frozen=True)
class Imported:
    count: int
    amount_pence: int


def _cell(row: Sequence[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


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


def read_paid_in_csv(data: bytes, today: date
                     ) -> tuple[list[tuple[int, PaidInEntry]], list[str]]:
    """The file's entries by row number, and every problem with it, each naming its row."""
    try:
        rows = csv_rows(data, COLUMNS, each="payment", rows_are="payments")
    except ValueError as unreadable:
        return [], [str(unreadable)]
    header_number, header = rows[0]
    columns, problems = read_header(header_number, header, COLUMNS, REQUIRED_COLUMNS)
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
