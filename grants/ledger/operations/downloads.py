"""A fund's ledger and its money paid in as CSV, every cell made formula-safe by
`grants.core.spreadsheets`; money in pounds and pence."""

from collections.abc import Sequence

from grants.core.money import pounds_decimal
from grants.core.spreadsheets import csv_text
from grants.funds.models import Fund
from grants.ledger.models import MoneyPaidIn
from grants.ledger.operations.figures import LedgerYear
from grants.ledger.operations.importing import COLUMNS

LEDGER_HEADER = ("Financial year", "Brought forward", "Paid in",
                 "Returned to the fund in the year", "Committed by rounds", "Paid out",
                 "Available")


def ledger_csv(rows: Sequence[LedgerYear]) -> str:
    """A row per financial year, oldest first."""
    return csv_text([LEDGER_HEADER, *(
        [row.year, pounds_decimal(row.brought_forward_pence), pounds_decimal(row.paid_in_pence),
         pounds_decimal(row.returned_pence), pounds_decimal(row.committed_pence),
         pounds_decimal(row.paid_out_pence), pounds_decimal(row.available_pence)]
        for row in rows)])


def paid_in_csv(rows: Sequence[MoneyPaidIn]) -> str:
    """A row per payment in, with the columns the import reads, so the file can be read back."""
    return csv_text([COLUMNS, *(
        [row.received_on.isoformat(), pounds_decimal(row.amount_pence), row.source,
         row.reference, row.financial_year] for row in rows)])


def ledger_file_name(fund: Fund) -> str:
    return f"ledger-{fund.code}.csv"


def paid_in_file_name(fund: Fund) -> str:
    return f"money-paid-in-{fund.code}.csv"
