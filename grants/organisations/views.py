"""Pages for an applicant's organisations and dashboard, asking to join one and inviting
people to one, and staff's list of organisations."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup, escape

from grants.applications.operations.loading import applicant_status
from grants.auth import permissions
from grants.auth.decorators import staff_required
from grants.ceremonies.operations.replying import invitations_of
from grants.core.errors import Refusal
from grants.core.limits import (
    invitation_limits,
    join_request_limits,
    organisation_registration_limits,
)
from grants.core.paging import page_number
from grants.core.refusals import carry_out, in_page_language, mark_refused, show_errors
from grants.extensions import db, login_manager
from grants.interest.operations.listing import interests_of_organisations
from grants.organisations.forms import (
    AcceptInvitationForm,
    InvitationForm,
    JoinForm,
    MergeForm,
    OrganisationForm,
)
from grants.organisations.operations import (
    invitations,
    joining,
    listing,
    merging,
    registration,
)
from grants.organisations.operations.joining import COMPANY

bp = Blueprint("organisations", __name__)


@bp.get("/dashboard")
@login_required
def dashboard():
    organisation_ids = permissions.active_organisation_ids(current_user)
    listed = listing.applications_of(db.session, organisation_ids)
    applications = listed.applications
    awards, grants = listing.told_awards(db.session, organisation_ids, applications)
    return render_template(
        "organisations/dashboard.html",
        organisations=listing.organisations_of(db.session, organisation_ids),
        applications=applications,
        withdrawable={application.id for application in applications
                      if permissions.may_withdraw_application(current_user, application)},
        applicant_status=applicant_status,
        ineligible_reasons=listed.ineligible_reasons,
        questions_waiting=listed.questions_waiting,
        awards=awards,
        grants=grants,
        ceremony_invitations=invitations_of(db.session, organisation_ids),
        interests=interests_of_organisations(db.session, organisation_ids),
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
        may_invite=permissions.may_invite_members(current_user, organisation),
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
    if request.method == "GET":
        if organisation is not None:
            form.fill_from(organisation)
        else:
            form.start_from(current_user)
    return form


@bp.route("/organisations/new", methods=["GET", "POST"])
@login_required
@organisation_registration_limits
def new_organisation():
    form = _form()
    if form.validate_on_submit():
        try:
            organisation = registration.register_organisation(db.session, current_user,
                                                          form.details())
        except registration.OrganisationAlreadyRegistered as error:
            mark_refused()
            return _already_registered(form, error)
        except Refusal as error:
            show_errors(form, error, "name")
        else:
            flash(Markup(_('%(organisation)s is registered. You can now <a '
                           'class="govuk-notification-banner__link" href="%(rounds_url)s">apply '
                           'to a round that is open</a>.', organisation=escape(organisation.name),
                           rounds_url=escape(url_for("rounds.list_rounds")))), "success")
            return redirect(url_for("organisations.view_organisation",
                                    organisation_id=organisation.id))
    return render_template("organisations/form.html", form=form, organisation=None)


def _already_registered(form: OrganisationForm,
                        error: registration.OrganisationAlreadyRegistered):
    """A number already registered is not named: the page offers to ask to join by it, as
    anyone may. The same name at the same postcode is the one the person typed."""
    if error.field == "name":
        return render_template("organisations/already_registered.html", field="name",
                               organisation=error.organisation)
    regulator = form.charity_regulator()
    kind, number = ((regulator.value if regulator else "", form.charity_number.data)
                    if error.field == "charity_number" else (COMPANY, form.company_number.data))
    return render_template("organisations/already_registered.html", field=error.field,
                           kind=kind, number=number)


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
            form[error.field].errors.append(in_page_language(error.message))
        except Refusal as error:
            show_errors(form, error, "name")
        else:
            flash(_("The organisation's details are saved."), "success")
            return redirect(url_for("organisations.view_organisation",
                                    organisation_id=organisation.id))
    return render_template("organisations/form.html", form=form, organisation=organisation)


# --- Joining: by the organisation's number, or by a member's invitation ---------------------

@bp.route("/organisations/join", methods=["GET", "POST"])
@login_required
@join_request_limits
def ask_to_join():
    """Ask to join the organisation registered with a number. The answer is the same whether
    or not one is: the same redirect to the same page, and the same email to the person."""
    form = JoinForm()
    user = current_user._get_current_object()
    answer = carry_out(
        form, lambda: joining.ask_to_join_by_number(db.session, user, form.kind.data,
                                                    form.number.data),
        field="number", done=None, then=url_for("organisations.join_requested"))
    return answer or render_template("organisations/join.html", form=form)


@bp.get("/organisations/join/requested")
@login_required
def join_requested():
    return render_template("organisations/join_requested.html")


@bp.route("/organisations/<int:organisation_id>/invite", methods=["GET", "POST"])
@login_required
@invitation_limits
def invite_member(organisation_id: int):
    organisation = _organisation_for(permissions.may_invite_members, organisation_id)
    form = InvitationForm()
    max_age_days = current_app.config["INVITATION_MAX_AGE_DAYS"]
    inviter = current_user._get_current_object()
    answer = carry_out(
        form, lambda: invitations.invite(db.session, organisation, inviter, form.email.data,
                                         max_age_days=max_age_days),
        field="email",
        done=lambda sent: _("We have sent an invitation to %(email)s. It works once, for "
                            "%(days)s days.", email=sent.email, days=max_age_days),
        then=url_for("organisations.view_organisation", organisation_id=organisation.id))
    return answer or render_template(
        "organisations/invite.html", organisation=organisation, form=form,
        invitations=invitations.open_invitations(db.session, organisation),
        max_age_days=max_age_days)


@bp.route("/organisations/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    """The emailed invitation: signed in with the invited address, a button joins. Nobody
    else is told which organisation it is for."""
    if not permissions.is_signed_in(current_user):
        if request.method == "POST":
            return login_manager.unauthorized()
        return render_template("organisations/invitation_sign_in.html",
                               sign_in_url=url_for("accounts.sign_in", next=request.path))
    user = current_user._get_current_object()
    invitation = invitations.invitation_for(db.session, token)
    form = AcceptInvitationForm()
    try:
        invitations.check_usable(invitation, user)
        if form.validate_on_submit():
            organisation = invitations.accept(db.session, user, token)
            flash(_("You are now a member of %(organisation)s.", organisation=organisation.name),
                  "success")
            return redirect(url_for("organisations.view_organisation",
                                    organisation_id=organisation.id))
    except invitations.InvitationRefused as refusal:
        mark_refused()
        return render_template("organisations/invitation_refused.html",
                               message=in_page_language(refusal.message)), refusal.status_code
    return render_template("organisations/invitation.html", form=form,
                           organisation=invitation.organisation,
                           invited_by=invitation.invited_by)


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
    flash(_("%(name)s is now a member.", name=name) if decision == "approve"
          else _("You rejected %(name)s's request.", name=name), "success")
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
    return answer or render_template("organisations/merge_confirm.html", merge=merge, form=form)
