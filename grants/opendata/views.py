"""The public register of awards and its 360Giving downloads. Nobody needs to sign in."""

import logging

from flask import Blueprint, Response, render_template, request, url_for
from flask_login import current_user

from grants.auth import permissions
from grants.auth.decorators import permission_required
from grants.core import clock
from grants.core.downloads import attachment, csv_attachment
from grants.core.errors import Refusal
from grants.core.months import month_name
from grants.core.paging import page_number
from grants.core.refusals import carry_out
from grants.extensions import db
from grants.offices.operations.speaking import office_of_request
from grants.opendata.forms import PublishMonthForm
from grants.opendata.operations import export, monthly
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
    publisher = Publisher.of_office(office_of_request(db.session))
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


# --- The monthly files ----------------------------------------------------------------------

def _monthly_page(form: PublishMonthForm | None = None):
    month = monthly.last_month(clock.today_in_london())
    form = form or PublishMonthForm(formdata=None, month=month)
    return render_template(
        "opendata/monthly.html", months=monthly.monthly_files(db.session), form=form,
        month=month, month_name=month_name(month),
        may_publish=permissions.may_publish_monthly_files(current_user),
        versions=monthly.published_versions(db.session, month))


@bp.get("/awards/monthly")
def monthly_files():
    """Each month's published 360Giving file, every version kept; anyone may download them."""
    return _monthly_page()


@bp.get("/awards/monthly/<month>/v<int:version>.json")
def download_monthly_file(month: str, version: int):
    file = monthly.monthly_file(db.session, month, version)
    return attachment(file.content, filename=monthly.file_name(file),
                      mimetype="application/json")


@bp.post("/staff/awards/monthly")
@permission_required(permissions.may_publish_monthly_files)
def publish_monthly_file():
    form = PublishMonthForm()
    answer = carry_out(
        form, lambda: monthly.publish_month(db.session, form.month.data or "",
                                            Publisher.of_office(office_of_request(db.session)),
                                            actor_id=current_user.id),
        field="month",
        done=lambda published: (
            f"{month_name(published.file.month)} published: version "
            f"{published.file.version}, {published.file.grant_count} "
            f"grant{'' if published.file.grant_count == 1 else 's'}."
            if published.created else
            f"Nothing has changed in {month_name(published.file.month)} since version "
            f"{published.file.version}, so no new file was published."),
        back_to=url_for("opendata.monthly_files"))
    return answer or _monthly_page(form)
