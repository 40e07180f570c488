"""Staff's report pages: choosing a report, a round's or a year's figures with charts and
tables, their CSV and XLSX downloads, and the Commissioner's progress report paragraphs."""

import logging

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_login import current_user

from grants.auth import permissions
from grants.auth.decorators import every_page_requires
from grants.core.downloads import UTF8_BOM, attachment
from grants.core.errors import Refusal
from grants.extensions import db
from grants.interest.operations.listing import stage_figures
from grants.ledger.operations.figures import year_of_funds
from grants.offices.operations.speaking import office_of_request
from grants.reports.operations import charts, delegated, downloads, figures, panel, plan_period
from grants.reports.operations.figures import BREAKDOWNS
from grants.reports.operations.selection import (
    Selection,
    addressed_year_selection,
    chosen_round,
    chosen_year,
    round_selection,
    selection_choices,
)

logger = logging.getLogger(__name__)

bp = Blueprint("reports", __name__, url_prefix="/staff/reports")

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

BREAKDOWN_HEADINGS = {
    "by_round": ("Awards by round", "Round"),
    "by_priority": ("Awards by primary priority", "Priority"),
    "by_key_aim": ("Awards by key aim", "Key aim"),
    "by_county": ("Awards by county served", "County"),
    "by_local_authority": ("Awards by local authority served", "Local authority"),
    "by_organisation_type": ("Awards by type of organisation", "Type of organisation"),
    "by_high_sheriff_county": ("High Sheriff awards by county", "County"),
}
CHART_TITLES = {
    "by_round": "Amount awarded in each round",
    "by_priority": "Amount awarded for each primary priority",
    "by_key_aim": "Amount awarded for each key aim",
    "by_county": "Amount awarded for each county served",
    "by_local_authority": "Amount awarded for each local authority served",
    "by_organisation_type": "Amount awarded to each type of organisation",
    "by_high_sheriff_county": "Amount of High Sheriff awards from each county",
}

# Reports are for OPCC staff (and admins) only.
every_page_requires(bp, permissions.may_view_reports)


@bp.get("/")
def index():
    """Choose a round's report, or a financial year's (of one fund or every fund)."""
    rounds, funds, years = selection_choices(db.session)
    errors: dict[str, str] = {}
    if "round" in request.args:
        try:
            chosen = chosen_round(db.session, request.args["round"])
        except Refusal as error:
            errors[error.field or "round"] = error.message
        else:
            return redirect(url_for("reports.round_report", round_id=chosen.round.id))
    elif "year" in request.args:
        try:
            chosen = chosen_year(db.session, request.args["year"],
                                 request.args.get("fund") or None)
        except Refusal as error:
            errors[error.field or "year"] = error.message
        else:
            return redirect(_year_url("reports.year_report", chosen))
    return render_template("reports/index.html", rounds=rounds, funds=funds, years=years,
                           errors=errors, chosen=request.args)


def _year_url(endpoint: str, selection: Selection) -> str:
    fund = {"fund": selection.fund.code} if selection.fund else {}
    return url_for(endpoint, year=selection.year_slug, **fund)


def _year_selection(year: str) -> Selection:
    """The year in the address ("2019-20") and the fund asked for; either unknown is
    NotFound (404)."""
    return addressed_year_selection(db.session, year, request.args.get("fund") or None)


def _charts(report: figures.Figures) -> dict[str, object]:
    return {
        name: charts.bar_chart(
            f"chart-{name.replace('_', '-')}", CHART_TITLES[name],
            [charts.Bar(f"{row.code} {row.name}" if name == "by_key_aim" else row.name,
                        row.amount_awarded_pence)
             for row in getattr(report, name)])
        for name in BREAKDOWNS
    }


def _render_report(selection: Selection, *, csv_url: str, xlsx_url: str,
                   panel_url: str | None = None):
    report = figures.report_figures(db.session, selection)
    # A year's report shows the money of its fund (or of each fund) in the year: the ledger.
    money = (year_of_funds(db.session, selection.year, selection.fund)
             if selection.round is None else [])
    return render_template(
        "reports/report.html", selection=selection, report=report, charts=_charts(report),
        breakdowns=BREAKDOWNS, headings=BREAKDOWN_HEADINGS, csv_url=csv_url,
        xlsx_url=xlsx_url, panel_url=panel_url,
        money_rows=[(fund.name, row) for fund, row in money],
        repaid_label=downloads.repaid_label(selection),
        allocations=delegated.delegated_summaries(db.session, selection),
        # A round (or a year's rounds) that started with an expression of interest: that
        # stage's figures too.
        interest=stage_figures(db.session, selection.round_clauses()),
        money_funds=[fund for fund, _ in money])


@bp.get("/rounds/<int:round_id>")
def round_report(round_id: int):
    selection = round_selection(db.session, round_id)
    return _render_report(
        selection, csv_url=url_for("reports.round_csv", round_id=round_id),
        xlsx_url=url_for("reports.round_xlsx", round_id=round_id))


@bp.get("/years/<year>")
def year_report(year: str):
    selection = _year_selection(year)
    return _render_report(
        selection, csv_url=_year_url("reports.year_csv", selection),
        xlsx_url=_year_url("reports.year_xlsx", selection),
        panel_url=_year_url("reports.panel_page", selection))


def _download(body: str | bytes, mimetype: str, filename: str) -> Response:
    logger.info("user %s downloaded %s", current_user.id, filename)
    return attachment(body, filename=filename, mimetype=mimetype)


def _csv(selection: Selection) -> Response:
    report = figures.report_figures(db.session, selection)
    allocations = delegated.delegated_summaries(db.session, selection)
    interest = stage_figures(db.session, selection.round_clauses())
    return _download(UTF8_BOM + downloads.report_csv(selection, report, allocations,
                                                     interest=interest),
                     "text/csv", f"{selection.file_stem}.csv")


def _xlsx(selection: Selection) -> Response:
    report = figures.report_figures(db.session, selection)
    allocations = delegated.delegated_summaries(db.session, selection)
    interest = stage_figures(db.session, selection.round_clauses())
    return _download(downloads.report_xlsx(selection, report, allocations, interest=interest,
                                           area_name=office_of_request(db.session).short_name),
                     XLSX_TYPE, f"{selection.file_stem}.xlsx")


@bp.get("/rounds/<int:round_id>.csv")
def round_csv(round_id: int):
    return _csv(round_selection(db.session, round_id))


@bp.get("/rounds/<int:round_id>.xlsx")
def round_xlsx(round_id: int):
    return _xlsx(round_selection(db.session, round_id))


@bp.get("/years/<year>.csv")
def year_csv(year: str):
    return _csv(_year_selection(year))


@bp.get("/years/<year>.xlsx")
def year_xlsx(year: str):
    return _xlsx(_year_selection(year))


# --- The Commissioner's progress report ---------------------------------------------------

def _panel(year: str) -> tuple[Selection, plan_period.PlanPeriod, panel.PanelReport]:
    """The progress report of the year in the address, or, with `over=plan`, of the plan's
    years up to it."""
    selection = _year_selection(year)
    period = plan_period.plan_period(db.session, selection.year)
    if request.args.get("over") == "plan":
        selection = plan_period.over_plan_period(selection, period)
    return selection, period, panel.panel_report(db.session, selection, period)


def _panel_url(endpoint: str, selection: Selection, over_plan: bool) -> str:
    fund = {"fund": selection.fund.code} if selection.fund else {}
    over = {"over": "plan"} if over_plan else {}
    return url_for(endpoint, year=selection.year_slug, **fund, **over)


def _panel_file_name(selection: Selection, extension: str) -> str:
    years = (f"{selection.first_year.replace('/', '-')}-to-" if selection.first_year
             else "") + selection.year_slug
    return f"panel-{years}-{selection.fund.code if selection.fund else 'all-funds'}.{extension}"


@bp.get("/years/<year>/panel")
def panel_page(year: str):
    selection, period, report = _panel(year)
    over_plan = selection.first_year is not None
    return render_template(
        "reports/panel.html", selection=selection, report=report, period=period,
        over_plan=over_plan, plain_text=panel.to_text(report),
        report_url=_year_url("reports.year_report", selection),
        year_url=_panel_url("reports.panel_page", selection, False),
        plan_url=(_panel_url("reports.panel_page", selection, True)
                  if period.plan_first_year else None),
        docx_url=_panel_url("reports.panel_docx", selection, over_plan),
        markdown_url=_panel_url("reports.panel_markdown", selection, over_plan))


@bp.get("/years/<year>/panel.docx")
def panel_docx(year: str):
    selection, _, report = _panel(year)
    return _download(panel.to_docx(report), DOCX_TYPE, _panel_file_name(selection, "docx"))


@bp.get("/years/<year>/panel.md")
def panel_markdown(year: str):
    selection, _, report = _panel(year)
    return _download(panel.to_markdown(report), "text/markdown",
                     _panel_file_name(selection, "md"))
