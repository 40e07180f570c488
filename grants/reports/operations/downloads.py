"""A report's figures as CSV (one table) and XLSX (a summary sheet and one per breakdown), and
beneath them, as on the report's page, each Community Foundation allocation's onward grants
(which never add to the figures: the allocation counts once, as the fund's award)."""

import io
import logging
from collections.abc import Iterable, Sequence
from itertools import chain

from openpyxl import Workbook
from openpyxl.styles import Font

from grants.core.money import pounds_decimal
from grants.core.spreadsheets import csv_text, keep_text
from grants.direct_awards.operations.onward_figures import OnwardSummary
from grants.interest.operations.listing import StageFigures
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
              "success_rate", "budget_pounds", "remaining_pounds",
              "repaid_on_these_awards_whenever_received_pounds", "net_awarded_pounds")

# The codes of an expression-of-interest stage's figures, in the order of its rows.
STAGE_KEYS = ("received", "invited", "declined", "waiting")

# Where a report's applications are not known (rounds of imported awards).
NOT_RECORDED = "Not recorded"

# Whole pounds with thousands separators and pence; negative amounts in brackets.
CURRENCY_FORMAT = '"£"#,##0.00;[Red]-"£"#,##0.00'
PERCENT_FORMAT = "0.0%"

AREAS_NOTE = ("An award serving several local authorities counts in full once for each of "
              "them, and once for each county it serves, so those breakdowns can add up to "
              "more than the total. An award serving the whole of {area_name} counts "
              "in the row thames-valley.")


ONWARD_BREAKDOWNS = (("onward_by_priority", "by_priority", "By priority"),
                     ("onward_by_key_aim", "by_key_aim", "By key aim"),
                     ("onward_by_area", "by_area", "By area served"))
ALLOCATIONS_SHEET = "Community Foundations"
ALLOCATIONS_NOTE = ("Each allocation counts once in the figures, as the fund's award to the "
                    "Community Foundation. Beneath it are the grants the Community Foundation "
                    "made from it, which do not add to the figures.")


def repaid_label(selection: Selection) -> str:
    """The report's repaid figure, named so that nobody takes it for the ledger's "returned to
    the fund in the year": every repayment on the awards counted, whenever it came in."""
    return f"Repaid on {selection.awards_named}, whenever received"


def _allocation_label(summary: OnwardSummary) -> str:
    return f"{summary.intermediary}: {summary.title}" if summary.title else summary.intermediary


def _onward_csv_rows(allocations: Iterable[OnwardSummary]) -> Iterable[list]:
    """For each allocation, a `community_foundation_allocation` row (its onward grants as
    awards, amount and organisations funded; the allocation as the budget, what is not yet
    reported as granted as remaining), then its onward grants' breakdown rows beneath it."""
    for summary in allocations:
        yield ["community_foundation_allocation", f"A{summary.award_id}",
               _allocation_label(summary), summary.grants, pounds_decimal(summary.amount_pence),
               summary.recipients, "", "", "", pounds_decimal(summary.allocated_pence),
               pounds_decimal(summary.left_pence), "", ""]
        for name, attribute, _ in ONWARD_BREAKDOWNS:
            for row in getattr(summary, attribute):
                yield [name, row.code, row.name, row.grants, pounds_decimal(row.amount_pence),
                       "", "", "", "", "", "", "", ""]


def report_csv(selection: Selection, report: Figures,
               allocations: Sequence[OnwardSummary] = (), *,
               interest: StageFigures | None = None) -> str:
    """One table: a `total` row with every headline figure, then (when its rounds had an
    expression-of-interest stage) an `expressions_of_interest` row for each of that stage's
    figures, its count in the applications column, then a row for each row of each
    breakdown (named in the first column), then each Community Foundation allocation with
    its onward grants beneath it. Money in pounds and pence."""
    total = [
        "total", "", selection.title, report.awards,
        pounds_decimal(report.amount_awarded_pence), report.organisations_funded,
        NOT_RECORDED.lower() if report.applications is None else report.applications,
        pounds_decimal(report.amount_requested_pence),
        "" if report.success_rate is None else f"{report.success_rate:.4f}",
        pounds_decimal(report.budget_pence), pounds_decimal(report.remaining_pence),
        pounds_decimal(report.repaid_pence), pounds_decimal(report.net_awarded_pence),
    ]
    stage = (["expressions_of_interest", key, label, "", "", "", figure, "", "", "", "", "", ""]
             for (label, figure), key in zip(interest.rows() if interest else (),
                                             STAGE_KEYS, strict=False))
    breakdowns = ([name, row.code, row.name, row.awards, pounds_decimal(row.amount_awarded_pence),
                   row.organisations_funded, "", "", "", "", "", "", ""]
                  for name in BREAKDOWNS for row in getattr(report, name))
    return csv_text(chain([CSV_HEADER, total], stage, breakdowns,
                          _onward_csv_rows(allocations)))


def report_xlsx(selection: Selection, report: Figures,
                allocations: Sequence[OnwardSummary] = (), *,
                interest: StageFigures | None = None, area_name: str = "the office") -> bytes:
    """A Summary sheet and a sheet for each breakdown, and one of the Community Foundation
    allocations with their onward grants when there are any; money in numeric currency
    cells. A round that started with an expression of interest (or a year with such rounds)
    has that stage's figures first; `area_name` is the office's, for the note on areas."""
    workbook = Workbook()
    summary = workbook.active
    summary.title = "Summary"
    summary.append(["Report", selection.title])
    summary["A1"].font = Font(bold=True)
    for label, figure in interest.rows() if interest is not None else ():
        summary.append([label, figure])
    money = {"amount_requested_pence", "amount_awarded_pence", "budget_pence",
             "remaining_pence", "repaid_pence", "net_awarded_pence"}
    for label, key in [("Applications received", "applications"),
                       ("Amount requested", "amount_requested_pence"),
                       ("Awards", "awards"),
                       ("Amount awarded", "amount_awarded_pence"),
                       (repaid_label(selection), "repaid_pence"),
                       ("Amount awarded less repaid", "net_awarded_pence"),
                       ("Organisations funded", "organisations_funded"),
                       ("Success rate", "success_rate"),
                       ("Budget", "budget_pence"),
                       ("Remaining", "remaining_pence")]:
        value = getattr(report, key)
        summary.append([label, pounds_decimal(value) if key in money else value])
        cell = summary.cell(row=summary.max_row, column=2)
        if key in money:
            cell.number_format = CURRENCY_FORMAT
        elif key == "applications" and value is None:
            cell.value = NOT_RECORDED
        elif key == "success_rate":
            cell.number_format = PERCENT_FORMAT
            if value is None:
                cell.value = ("No applications" if report.applications == 0
                              else NOT_RECORDED)
    summary.append([])
    summary.append(["Note", AREAS_NOTE.format(area_name=area_name)])
    keep_text(summary)
    summary.column_dimensions["A"].width = 24
    summary.column_dimensions["B"].width = 40
    for name in BREAKDOWNS:
        _breakdown_sheet(workbook, BREAKDOWN_TITLES[name], getattr(report, name))
    if allocations:
        _allocations_sheet(workbook, allocations)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _breakdown_sheet(workbook: Workbook, title: str, rows: tuple[Row, ...]) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(["Code", "Name", "Awards", "Amount awarded", "Organisations funded"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.code, row.name, row.awards, pounds_decimal(row.amount_awarded_pence),
                      row.organisations_funded])
        sheet.cell(row=sheet.max_row, column=4).number_format = CURRENCY_FORMAT
    keep_text(sheet)
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 48
    sheet.column_dimensions["D"].width = 18
    sheet.column_dimensions["E"].width = 20
    sheet.freeze_panes = "A2"


def _allocations_sheet(workbook: Workbook, allocations: Sequence[OnwardSummary]) -> None:
    """Each allocation's figures, then its onward grants by priority, key aim and area."""
    sheet = workbook.create_sheet(ALLOCATIONS_SHEET)
    sheet.append(["Note", ALLOCATIONS_NOTE])
    for summary in allocations:
        sheet.append([])
        sheet.append([_allocation_label(summary)])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        for label, value in [("Allocated", summary.allocated_pence),
                             ("Onward grants", summary.grants),
                             ("Granted onward", summary.amount_pence),
                             ("Organisations funded", summary.recipients),
                             ("Not yet reported as granted", summary.left_pence)]:
            money = label not in ("Onward grants", "Organisations funded")
            sheet.append([label, pounds_decimal(value) if money else value])
            if money:
                sheet.cell(row=sheet.max_row, column=2).number_format = CURRENCY_FORMAT
        for _, attribute, title in ONWARD_BREAKDOWNS:
            rows = getattr(summary, attribute)
            if not rows:
                continue
            sheet.append([title, "Grants", "Amount", "Code"])
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
            for row in rows:
                sheet.append([row.name, row.grants, pounds_decimal(row.amount_pence), row.code])
                sheet.cell(row=sheet.max_row, column=3).number_format = CURRENCY_FORMAT
    keep_text(sheet)
    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["B"].width = 16
    sheet.column_dimensions["C"].width = 16
