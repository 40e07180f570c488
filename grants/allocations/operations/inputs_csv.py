"""The inputs read from a CSV file: a first column naming each recipient and one column per
factor. Every problem is reported with its row and column, and nothing is saved unless the
whole file is right."""

import csv
import io
from collections.abc import Mapping, Sequence
from decimal import Decimal

from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.allocations.models import AllocationFactor, AllocationRecipient
from grants.allocations.operations.guard import AllocationRefused, check_not_confirmed, locked
from grants.allocations.operations.inputs import parse_input, store_inputs
from grants.allocations.operations.listing import factors_of, recipients_of
from grants.core.errors import ValidationFailed

MAX_CSV_BYTES = 1_000_000
MAX_CSV_PROBLEMS = 20


class InputsFileRejected(ValidationFailed):
    """An inputs file with problems, each naming its row and column; nothing was saved."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__({"inputs_file": problems[0]})
        self.problems = list(problems)


def column_letter(index: int) -> str:
    """A spreadsheet's name for the column at `index` (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def import_inputs_csv(session: Session, user: User, round_id: int, data: bytes) -> int:
    """Read the inputs from a CSV file: a first column naming each recipient (by name, or by
    organisation id) and one column per factor, headed with its name. Every problem is
    reported with its row and column, and nothing is saved unless the whole file is right.
    Returns how many values changed."""
    round_ = locked(session, user, round_id)
    check_not_confirmed(session, round_)
    factors = factors_of(session, round_.id)
    recipients = recipients_of(session, round_.id)
    if not factors or not recipients:
        raise AllocationRefused("Set the factors and choose the recipients before uploading "
                                "their inputs")
    values, problems = read_inputs_csv(data, factors, recipients)
    if problems:
        if len(problems) > MAX_CSV_PROBLEMS:
            more = len(problems) - MAX_CSV_PROBLEMS
            problems = [*problems[:MAX_CSV_PROBLEMS], f"… and {more} more problems"]
        raise InputsFileRejected(problems)
    return store_inputs(session, user, round_, values, source="csv")


def read_inputs_csv(data: bytes, factors: Sequence[AllocationFactor],
                    recipients: Sequence[AllocationRecipient]
                    ) -> tuple[dict[tuple[int, int], Decimal | None], list[str]]:
    """The values in the file by (recipient id, factor id), and its problems."""
    if len(data) > MAX_CSV_BYTES:
        return {}, [f"The file must be smaller than {MAX_CSV_BYTES // 1_000_000}MB"]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return {}, ["The file must be a CSV file saved as UTF-8"]
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        return {}, [f"The file is not a CSV file that can be read: {error}"]
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        return {}, ["The file is empty. Add a header row and a row for each recipient"]

    header = [cell.strip() for cell in rows[0]]
    columns, problems = _read_header(header, factors)
    values, row_problems = _read_rows(rows[1:], len(header), columns, recipients)
    return values, problems + row_problems


def _read_header(header: Sequence[str], factors: Sequence[AllocationFactor]
                 ) -> tuple[dict[int, AllocationFactor], list[str]]:
    """Which column holds which factor, and what is wrong with the header row."""
    by_name = {f.name.casefold(): f for f in factors}
    problems: list[str] = []
    columns: dict[int, AllocationFactor] = {}
    for index, title in enumerate(header[1:], start=1):
        factor = by_name.get(title.casefold())
        where = f"Row 1, column {column_letter(index)}"
        if not title:
            problems.append(f"{where}: enter the factor's name as the column's heading")
        elif factor is None:
            problems.append(f"{where}: “{title}” is not a factor of this round. The factors "
                            f"are {', '.join(f.name for f in factors)}")
        elif factor in columns.values():
            problems.append(f"{where}: there is already a column for {factor.name}")
        else:
            columns[index] = factor
    problems += [f"Row 1: there is no column for {factor.name}" for factor in factors
                 if factor not in columns.values()]
    return columns, problems


def _read_rows(rows: Sequence[Sequence[str]], width: int,
               columns: Mapping[int, AllocationFactor],
               recipients: Sequence[AllocationRecipient]
               ) -> tuple[dict[tuple[int, int], Decimal | None], list[str]]:
    """The values of the rows after the header (row 2 onwards), and their problems."""
    by_name = {r.organisation.name.casefold(): r for r in recipients}
    by_id = {str(r.organisation_id): r for r in recipients}
    values: dict[tuple[int, int], Decimal | None] = {}
    problems: list[str] = []
    seen: dict[int, int] = {}
    for number, row in enumerate(rows, start=2):
        label = (row[0] if row else "").strip()
        recipient = by_id.get(label) or by_name.get(label.casefold())
        if not label:
            problems.append(f"Row {number}, column A: enter the recipient's name")
        elif recipient is None:
            problems.append(f"Row {number}, column A: “{label}” is not a recipient of this "
                            "round")
        elif recipient.id in seen:
            problems.append(f"Row {number}, column A: {recipient.organisation.name} is "
                            f"already in row {seen[recipient.id]}")
        else:
            seen[recipient.id] = number
            if len(row) > width:
                problems.append(f"Row {number}: it has more cells than the header row")
            for index, factor in columns.items():
                try:
                    value = _cell_value(row, index, recipient, factor)
                except ValueError as error:
                    problems.append(f"Row {number}, column {column_letter(index)} "
                                    f"({factor.name}): {error}")
                else:
                    values[(recipient.id, factor.id)] = value
    return values, problems


def _cell_value(row: Sequence[str], index: int, recipient: AllocationRecipient,
                factor: AllocationFactor) -> Decimal:
    value = parse_input(row[index] if index < len(row) else "")
    if value is None:
        raise ValueError(f"enter {recipient.organisation.name}'s {factor.name}")
    return value
