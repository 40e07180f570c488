"""Pages for an applicant's organisations and dashboard, and staff's list of organisations."""

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from grants.applications.services import applicant_status
from grants.auth import permissions
from grants.extensions import db
from grants.organisations import services

bp = Blueprint("organisations", __name__)


@bp.get("/dashboard")
@login_required
def dashboard():
    organisation_ids = permissions.active_organisation_ids(current_user)
    return render_template(
        "organisations/dashboard.html",
        organisations=services.organisations_of(db.session, organisation_ids),
        applications=services.applications_of(db.session, organisation_ids),
        applicant_status=applicant_status,
    )


@bp.get("/organisations")
@login_required
def list_organisations():
    if permissions.is_staff(current_user):
        search = request.args.get("name", "")
        page = request.args.get("page", 1, type=int)
        organisations, total = services.search_organisations(db.session, name=search, page=page)
        return render_template(
            "organisations/staff_list.html",
            organisations=organisations,
            total=total,
            search=search,
            page=page,
            page_size=services.PAGE_SIZE,
        )
    organisation_ids = permissions.active_organisation_ids(current_user)
    return render_template(
        "organisations/list.html",
        organisations=services.organisations_of(db.session, organisation_ids),
    )


@bp.get("/organisations/<int:organisation_id>")
@login_required
def view_organisation(organisation_id: int):
    organisation = services.get_organisation(db.session, organisation_id)
    # Another organisation's record answers 404, so its existence is not disclosed.
    if not permissions.may_view_organisation(current_user, organisation):
        abort(404)
    return render_template(
        "organisations/view.html",
        organisation=organisation,
        members=services.active_members(organisation),
        is_staff=permissions.is_staff(current_user),
    )
