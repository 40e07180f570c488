"""A report's figures as CSV (one table) and XLSX (a summary sheet and one per breakdown)."""

import csv
import io
import logging
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from grants.awards.operations.finance_export import pounds_and_pence, spreadsheet_safe
from grants.reports.operations.figures import BREAKDOWNS, Figures, Row
from grants.reports.operations.selection import Selection

logger = logging.getLogger(__name__)

BREAKDOWN_TITLES = {
    "by_round": "By round",
    "by_priority": "By priority",
    "by_key_aim": "By key aim",
    "by_county": "By county",
    "by_local_authority": "By local authority",
    "by_organisation_type": "By organisation type",
    "by_high_sheriff_county": "By High Sheriff county",
}

CSV_HEADER = ("breakdown", "code", "name", "awards", "amount_awarded_pounds",
              "organisations_funded", "applications", "amount_requested_pounds",
              "success_rate", "budget_pounds", "remaining_pounds")

# Whole pounds with thousands separators and pence; negative amounts in brackets.
CURRENCY_FORMAT = '"£"#,##0.00;[Red]-"£"#,##0.00'
PERCENT_FORMAT = "0.0%"

AREAS_NOTE = ("An award serving several local authorities counts in full once for each of "
              "them, and once for each county it serves, so those breakdowns can add up to "
              "more than the total. An award serving the whole of Thames Valley counts in the "
              "row thames-valley.")


def report_csv(selection: Selection, report: Figures) -> str:
    """One table: a `total` row with every headline figure, then a row for each row of each
    breakdown (named in the first column). Money in pounds and pence."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerow([
        "total", "", spreadsheet_safe(selection.title), report.awards,
        pounds_and_pence(report.amount_awarded_pence), report.organisations_funded,
        report.applications, pounds_and_pence(report.amount_requested_pence),
        "" if report.success_rate is None else f"{report.success_rate:.4f}",
        pounds_and_pence(report.budget_pence), _signed_pounds(report.remaining_pence),
    ])
    for name in BREAKDOWNS:
        for row in getattr(report, name):
            writer.writerow([name, spreadsheet_safe(row.code), spreadsheet_safe(row.name),
                             row.awards, pounds_and_pence(row.amount_awarded_pence),
                             row.organisations_funded, "", "", "", "", ""])
    return out.getvalue()


def _signed_pounds(pence: int) -> str:
    return ("-" if pence < 0 else "") + pounds_and_pence(abs(pence))


def _pounds(pence: int) -> Decimal:
    """Pence as an exact number of pounds for a spreadsheet cell."""
    return Decimal(pence) / 100


def report_xlsx(selection: Selection, report: Figures) -> bytes:
    """A Summary sheet and a sheet for each breakdown; money in numeric currency cells."""
    workbook = Workbook()
    summary = workbook.active
    summary.title = "Summary"
    summary.append(["Report", selection.title])
    summary["A1"].font = Font(bold=True)
    money = {"amount_requested_pence", "amount_awarded_pence", "budget_pence",
             "remaining_pence"}
    for label, key in [("Applications received", "applications"),
                       ("Amount requested", "amount_requested_pence"),
                       ("Awards", "awards"),
                       ("Amount awarded", "amount_awarded_pence"),
                       ("Organisations funded", "organisations_funded"),
                       ("Success rate", "success_rate"),
                       ("Budget", "budget_pence"),
                       ("Remaining", "remaining_pence")]:
        value = getattr(report, key)
        summary.append([label, _pounds(value) if key in money else value])
        cell = summary.cell(row=summary.max_row, column=2)
        if key in money:
            cell.number_format = CURRENCY_FORMAT
        elif key == "success_rate":
            cell.number_format = PERCENT_FORMAT
            if value is None:
                cell.value = "No applications"
    summary.append([])
    summary.append(["Note", AREAS_NOTE])
    _text_stays_text(summary)
    summary.column_dimensions["A"].width = 24
    summary.column_dimensions["B"].width = 40
    for name in BREAKDOWNS:
        _breakdown_sheet(workbook, BREAKDOWN_TITLES[name], getattr(report, name))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _text_stays_text(sheet) -> None:
    """openpyxl reads a string starting with "=" as a formula: a name is never one."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def _breakdown_sheet(workbook: Workbook, title: str, rows: tuple[Row, ...]) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(["Code", "Name", "Awards", "Amount awarded", "Organisations funded"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.code, row.name, row.awards, _pounds(row.amount_awarded_pence),
                      row.organisations_funded])
        sheet.cell(row=sheet.max_row, column=4).number_format = CURRENCY_FORMAT
    _text_stays_text(sheet)
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 48
    sheet.column_dimensions["D"].width = 18
    sheet.column_dimensions["E"].width = 20
    sheet.freeze_panes = "A2"
