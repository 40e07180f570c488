"""The public register of awards and its 360Giving downloads. Nobody needs to sign in."""

import logging

from flask import Blueprint, Response, current_app, render_template, request, url_for

from grants.core import clock
from grants.core.downloads import attachment, csv_attachment
from grants.core.errors import Refusal
from grants.core.paging import page_number
from grants.extensions import db
from grants.opendata.operations import export
from grants.opendata.operations.export import Selection
from grants.opendata.operations.register import register_choices, register_page
from grants.opendata.operations.threesixty import Publisher

logger = logging.getLogger(__name__)

bp = Blueprint("opendata", __name__)


def _selection(choices) -> Selection:
    """The register's filters from the query string; a value that is not an option is
    ignored (the form only offers options)."""
    args = request.args
    year = args.get("year", "")
    fund = args.get("fund", "")
    priority = args.get("priority", "")
    area = args.get("area", "")
    return Selection(
        year=year if year in choices.years else None,
        fund=fund if fund in {code for code, _ in choices.funds} else None,
        priority_id=int(priority) if priority.isdigit()
        and int(priority) in {pid for pid, _ in choices.priorities} else None,
        area=area if area in {gss for gss, _ in choices.areas} else None,
    )


def _filter_args(selection: Selection) -> dict[str, str]:
    values = {"year": selection.year, "fund": selection.fund,
              "priority": str(selection.priority_id) if selection.priority_id else None,
              "area": selection.area}
    return {key: value for key, value in values.items() if value}


@bp.get("/awards")
def list_awards():
    choices = register_choices(db.session)
    selection = _selection(choices)
    page = register_page(db.session, selection, page_number(request.args.get("page")))
    filters = _filter_args(selection)
    return render_template(
        "opendata/register.html", page=page, choices=choices, selection=selection,
        filters=filters,
        json_url=url_for("opendata.download_json", **filters),
        csv_url=url_for("opendata.download_csv", **filters),
    )


def _download(selection: Selection, fmt: str) -> Response:
    publisher = Publisher.from_config(current_app.config)
    export.require_awards(db.session, selection)  # an empty selection answers 404 with why
    grants = export.iter_grants(db.session, selection, publisher)
    filename = f"{selection.file_stem()}.{fmt}"
    if fmt == "json":
        return attachment(export.write_json(grants, publisher), filename=filename,
                          mimetype="application/json")
    widths = export.list_widths(db.session, selection)
    return csv_attachment(export.write_csv(grants, widths), filename=filename)


@bp.get("/awards/360giving.json")
def download_json():
    """The register's awards (under its filters) as a 360Giving package; also takes
    ?round= (code or id) for a staff download of one round."""
    return _download(_download_selection(), "json")


@bp.get("/awards/360giving.csv")
def download_csv():
    return _download(_download_selection(), "csv")


def _download_selection() -> Selection:
    """The filters of a download: the register's, where any financial year and fund code may
    be asked for (a year or fund with nothing published answers 404, not everything)."""
    selection = _selection(register_choices(db.session))
    year = request.args.get("year", "").strip() or None
    if year:
        try:
            clock.financial_year_start(year)
        except ValueError:
            raise Refusal("Give the financial year like 2019/20") from None
    return Selection(round=request.args.get("round", "").strip() or None, year=year,
                     fund=request.args.get("fund", "").strip() or None,
                     priority_id=selection.priority_id, area=selection.area)
