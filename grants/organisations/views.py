"""Pages for an applicant's organisations and dashboard, and staff's list of organisations."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from grants.applications.operations.loading import applicant_status
from grants.assessment.operations.clarifications import unanswered_counts
from grants.assessment.operations.screening import ineligible_reasons
from grants.auth import permissions
from grants.auth.decorators import staff_required
from grants.core.errors import Refusal
from grants.core.paging import page_number
from grants.core.refusals import carry_out, mark_refused, show_errors
from grants.extensions import db
from grants.organisations.forms import MergeForm, OrganisationForm
from grants.organisations.operations import joining, listing, merging, registration

bp = Blueprint("organisations", __name__)


@bp.get("/dashboard")
@login_required
def dashboard():
    organisation_ids = permissions.active_organisation_ids(current_user)
    applications = listing.applications_of(db.session, organisation_ids)
    return render_template(
        "organisations/dashboard.html",
        organisations=listing.organisations_of(db.session, organisation_ids),
        applications=applications,
        applicant_status=applicant_status,
        ineligible_reasons=ineligible_reasons(db.session, applications),
        questions_waiting=unanswered_counts(db.session, [a.id for a in applications]),
        awards=listing.published_awards_of(db.session, applications),
        grants=listing.grants_without_applications(db.session, organisation_ids),
    )


@bp.get("/organisations")
@login_required
def list_organisations():
    if permissions.is_staff(current_user):
        search = request.args.get("name", "")
        page = listing.search_organisations(db.session, name=search,
                                            page=page_number(request.args.get("page")))
        return render_template("organisations/staff_list.html", page=page, search=search)
    organisation_ids = permissions.active_organisation_ids(current_user)
    return render_template(
        "organisations/list.html",
        organisations=listing.organisations_of(db.session, organisation_ids),
    )


@bp.get("/organisations/<int:organisation_id>")
@login_required
def view_organisation(organisation_id: int):
    organisation = listing.get_organisation(db.session, organisation_id)
    # Another organisation's record answers 404, so its existence is not disclosed.
    if not permissions.may_view_organisation(current_user, organisation):
        abort(404)
    return render_template(
        "organisations/view.html",
        organisation=organisation,
        members=listing.active_members(organisation),
        pending=listing.pending_memberships(organisation),
        is_staff=permissions.is_staff(current_user),
        may_edit=permissions.may_edit_organisation(current_user, organisation),
        may_approve=permissions.may_approve_membership(current_user, organisation),
    )


def _organisation_for(action, organisation_id: int):
    """The organisation, when the person may do the action to it; 404 otherwise."""
    organisation = listing.get_organisation(db.session, organisation_id)
    if not action(current_user, organisation):
        abort(404)
    return organisation


def _form(organisation=None) -> OrganisationForm:
    form = OrganisationForm()
    form.set_local_authorities(listing.current_local_authorities(db.session))
    if organisation is not None and request.method == "GET":
        form.fill_from(organisation)
    return form


@bp.route("/organisations/new", methods=["GET", "POST"])
@login_required
def new_organisation():
    form = _form()
    if form.validate_on_submit():
        try:
            organisation = registration.register_organisation(db.session, current_user,
                                                          form.details())
        except registration.OrganisationAlreadyRegistered as error:
            mark_refused()
            organisation = error.organisation
            token = joining.join_token(current_app.config["SECRET_KEY"], current_user.id,
                                       organisation.id)
            return render_template(
                "organisations/already_registered.html", organisation=organisation,
                field=error.field, join_url=url_for("organisations.ask_to_join",
                                                    organisation_id=organisation.id,
                                                    token=token))
        except Refusal as error:
            show_errors(form, error, "name")
        else:
            flash(f"{organisation.name} is registered. You can now apply for grants for it.",
                  "success")
            return redirect(url_for("organisations.view_organisation",
                                    organisation_id=organisation.id))
    return render_template("organisations/form.html", form=form, organisation=None)


@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
@login_required
def edit_organisation(organisation_id: int):
    organisation = _organisation_for(permissions.may_edit_organisation, organisation_id)
    form = _form(organisation)
    if form.validate_on_submit():
        try:
            registration.update_organisation(db.session, current_user, organisation, form.details())
        except registration.OrganisationAlreadyRegistered as error:
            mark_refused()
            matched = "at this postcode" if error.field == "name" else "with this number"
            form[error.field].errors.append(
                f"{error.organisation.name} is already registered {matched}")
        except Refusal as error:
            show_errors(form, error, "name")
        else:
            flash("The organisation's details are saved.", "success")
            return redirect(url_for("organisations.view_organisation",
                                    organisation_id=organisation.id))
    return render_template("organisations/form.html", form=form, organisation=organisation)


@bp.post("/organisations/<int:organisation_id>/join")
@login_required
def ask_to_join(organisation_id: int):
    joining.check_join_token(current_app.config["SECRET_KEY"], request.args.get("token"),
                             current_user.id, organisation_id)
    organisation = listing.get_organisation(db.session, organisation_id)
    joining.ask_to_join(db.session, current_user, organisation)
    flash(f"We have asked the members of {organisation.name} to approve your request. "
          "We will email you when they do.", "success")
    return redirect(url_for("organisations.dashboard"))


@bp.post("/organisations/<int:organisation_id>/requests/<int:membership_id>/<decision>")
@login_required
def decide_request(organisation_id: int, membership_id: int, decision: str):
    organisation = _organisation_for(permissions.may_approve_membership, organisation_id)
    membership = next((m for m in listing.pending_memberships(organisation)
                       if m.id == membership_id), None)
    if membership is None or decision not in {"approve", "reject"}:
        abort(404)
    name = membership.user.name
    joining.decide_membership(db.session, current_user, membership,
                               approve=decision == "approve")
    flash(f"{name} is now a member." if decision == "approve"
          else f"You rejected {name}'s request.", "success")
    return redirect(url_for("organisations.view_organisation", organisation_id=organisation_id))


# --- Staff: two records of one organisation -----------------------------------------------

@bp.get("/organisations/<int:organisation_id>/merge")
@staff_required
def choose_duplicate(organisation_id: int):
    """Find the other record of this organisation: every other, by name, or those whose
    name holds what staff search for."""
    organisation = listing.get_organisation(db.session, organisation_id)
    search = request.args.get("name", "").strip()
    page = listing.search_organisations(db.session, name=search,
                                        page=page_number(request.args.get("page")))
    return render_template("organisations/merge_choose.html", organisation=organisation,
                           search=search, page=page)


@bp.route("/organisations/<int:organisation_id>/merge/<int:duplicate_id>",
          methods=["GET", "POST"])
@staff_required
def merge_duplicate(organisation_id: int, duplicate_id: int):
    """Show what would move, and merge the duplicate into this record."""
    merge = merging.preview_merge(db.session, organisation_id, duplicate_id)
    form = MergeForm()
    answer = carry_out(
        form, lambda: merging.merge_organisations(db.session, current_user, organisation_id,
                                                  duplicate_id, reason=form.reason.data),
        field="reason", done=lambda done: (f"{done.duplicate.name}'s record is merged into "
                                           f"this one: {done.summary()} moved."),
        then=url_for("organisations.view_organisation", organisation_id=organisation_id))
    if answer is not None:
        return answer
    return render_template("organisations/merge_confirm.html", merge=merge, form=form)
