"""Spreadsheets the service writes (CSV and XLSX), where what people typed stays text.

A spreadsheet program runs a cell that starts with "=", "+", "-", "@" or a tab as a formula,
so text a person typed (an organisation's name, a project title) could run on a staff
member's machine. Every download builds its cells here.
"""

import csv
import io
from collections.abc import Iterable
from typing import Any

# A spreadsheet treats a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """The value as CSV text that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """CSV of rows whose every cell is made safe with `csv_cell`."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return out.getvalue()


def keep_text(sheet) -> None:
    """Cells of an openpyxl sheet that openpyxl took for formulas (text starting with "=")
    stay text: no name or title is ever a formula."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
