"""Staff pages for an allocation round: the allocation (money, recipients, inputs, shares and
top-slice awards), the top-slice, the recipients, the factors, the inputs (typed or uploaded),
proposing, overriding and confirming shares, and recording an award from the top-slice."""

import logging

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from grants.allocations import forms
from grants.allocations.operations import inputs_csv, listing, top_slice_awards
from grants.allocations.operations.confirmation import confirm_allocation
from grants.allocations.operations.decision_date import set_decision_date
from grants.allocations.operations.factors import set_factors
from grants.allocations.operations.formula import percent
from grants.allocations.operations.inputs import format_input, save_inputs
from grants.allocations.operations.proposal import override_share, propose_shares
from grants.allocations.operations.recipients import set_recipients
from grants.allocations.operations.top_slice import set_top_slice
from grants.auth import permissions
from grants.auth.decorators import every_page_requires
from grants.core.errors import NotFound, Refusal, ValidationFailed
from grants.core.money import format_pounds, pounds_text
from grants.core.refusals import carry_out, refused, show_errors, was_refused
from grants.core.uploads import chosen_file
from grants.decisions.operations import publishing
from grants.extensions import db

logger = logging.getLogger(__name__)

bp = Blueprint("allocations", __name__, url_prefix="/staff/rounds/<int:round_id>/allocation")

# Every page here is for the staff who manage allocations.
every_page_requires(bp, permissions.may_manage_allocations)


def _overview_url(round_id: int) -> str:
    return url_for("allocations.overview", round_id=round_id)


def _back(round_id: int):
    return redirect(_overview_url(round_id))


def _refused(error: Refusal, round_id: int):
    return refused(error, "allocations.overview", round_id=round_id)


def _edit_page(round_id: int, form, action, *, field: str, done, template: str, **context):
    """What an edit page of the allocation does: save and go back to the allocation, or show
    the page again with what is wrong."""
    answer = carry_out(form, action, field=field, then=_overview_url(round_id), done=done)
    return answer or render_template(template, form=form, **context)


# --- The allocation -----------------------------------------------------------------------

@bp.get("")
def overview(round_id: int, confirm_form: forms.ConfirmSharesForm | None = None):
    view = listing.allocation(db.session, round_id)
    return render_template("allocations/allocation.html", view=view, round=view.round,
                           confirm_form=confirm_form or forms.ConfirmSharesForm(formdata=None),
                           awards=listing.top_slice_awards(db.session, round_id),
                           publication=publishing.publication(db.session, current_user,
                                                              view.round),
                           percent=percent,
                           format_input=format_input)


@bp.route("/top-slice", methods=["GET", "POST"])
def top_slice(round_id: int):
    round_ = listing.get_round(db.session, round_id)
    form = forms.TopSliceForm()
    if request.method == "GET":
        if round_.top_slice_basis_points is not None:
            form.how.data = "percentage"
            form.percentage.data = percent(
                round_.top_slice_basis_points).removesuffix(" %")
        elif round_.top_slice_pence is not None:
            form.how.data = "amount"
            form.amount.data = pounds_text(round_.top_slice_pence)
    return _edit_page(
        round_id, form, lambda: set_top_slice(db.session, current_user, round_id,
                                              **form.choice()),
        field="how",
        done=lambda saved: (f"Top-slice set to {format_pounds(saved.top_slice_pence)}. "
                            f"{format_pounds(listing.allocated_pence(saved))} is shared by "
                            "formula."),
        template="allocations/top_slice.html", round=round_)


@bp.route("/decision-date", methods=["GET", "POST"])
def decision_date(round_id: int):
    round_ = listing.get_round(db.session, round_id)
    form = forms.DecisionDateForm()
    if request.method == "GET":
        form.decided_on.data = round_.allocation_decided_on
    return _edit_page(
        round_id, form, lambda: set_decision_date(db.session, current_user, round_id,
                                                  form.decided_on.data),
        field="decided_on", done="Date the allocation was decided saved.",
        template="allocations/decision_date.html", round=round_)


@bp.route("/recipients", methods=["GET", "POST"])
def recipients(round_id: int):
    round_ = listing.get_round(db.session, round_id)
    choices = listing.recipient_choices(db.session, round_)
    form = forms.RecipientsForm()
    form.organisations.choices = [(o.id, o.name) for o in choices]
    if request.method == "GET":
        form.organisations.data = [r.organisation_id for r in
                                   listing.recipients_of(db.session, round_id)]
    return _edit_page(
        round_id, form, lambda: set_recipients(db.session, current_user, round_id,
                                               form.organisations.data),
        field="organisations", done=lambda chosen: f"{len(chosen)} recipients chosen.",
        template="allocations/recipients.html", round=round_, has_choices=bool(choices))


@bp.route("/factors", methods=["GET", "POST"])
def factors(round_id: int):
    round_ = listing.get_round(db.session, round_id)
    form = forms.factors_form_class()()
    if request.method == "GET":
        form.fill_from(listing.factors_of(db.session, round_id))
    return _edit_page(
        round_id, form, lambda: set_factors(db.session, current_user, round_id, form.rows()),
        field="weight_0", done=lambda chosen: f"{len(chosen)} factors saved.",
        template="allocations/factors.html", round=round_, lines=range(forms.FACTOR_LINES))


@bp.route("/inputs", methods=["GET", "POST"])
def inputs(round_id: int):
    view = listing.allocation(db.session, round_id)
    form = forms.inputs_form_class(view.rows, view.factors)()
    if request.method == "GET":
        form.fill_from()
    answer = carry_out(
        form, lambda: save_inputs(db.session, current_user, round_id, form.values()),
        field="csrf_token", then=_overview_url(round_id),
        done=lambda changed: f"Inputs saved ({changed} changed).")
    if answer is not None:
        return answer
    if was_refused():
        view = listing.allocation(db.session, round_id)
    return _inputs_page(view, form, forms.InputsFileForm(formdata=None))


def _inputs_page(view, form, file_form):
    return render_template("allocations/inputs.html", view=view, round=view.round, form=form,
                           file_form=file_form, field_name=forms.input_field_name)


@bp.post("/inputs/upload")
def upload_inputs(round_id: int):
    file_form = forms.InputsFileForm()
    chosen = chosen_file(file_form, "inputs_file", "Choose a CSV file to upload")
    if chosen is not None:
        try:
            changed = inputs_csv.import_inputs_csv(
                db.session, current_user, round_id, chosen.read(inputs_csv.MAX_CSV_BYTES + 1))
        except inputs_csv.InputsFileRejected as error:
            show_errors(file_form, error, "inputs_file")
            file_form.inputs_file.errors = list(error.problems)  # every problem, not one
        except Refusal as error:
            return _refused(error, round_id)
        else:
            flash(f"Inputs read from {chosen.filename} ({changed} changed).", "success")
            return _back(round_id)
    view = listing.allocation(db.session, round_id)
    form = forms.inputs_form_class(view.rows, view.factors)(formdata=None)
    form.fill_from()
    return _inputs_page(view, form, file_form)


@bp.post("/propose")
def propose(round_id: int):
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        propose_shares(db.session, current_user, round_id)
    except Refusal as error:
        return _refused(error, round_id)
    flash("Shares proposed by formula. Check them, change any with a reason, then confirm "
          "them.", "success")
    return _back(round_id)


@bp.route("/recipients/<int:recipient_id>/share", methods=["GET", "POST"])
def override(round_id: int, recipient_id: int):
    view = listing.allocation(db.session, round_id)
    row = next((r for r in view.rows if r.recipient.id == recipient_id), None)
    if row is None:
        raise NotFound("There is no such recipient in this round")
    if row.recipient.proposed_pence is None or view.confirmed:
        flash("Propose the shares by formula before changing one." if not view.confirmed else
              "The shares are confirmed as awards, so they cannot change.", "info")
        return _back(round_id)
    form = forms.OverrideForm()
    if request.method == "GET":
        form.amount.data = pounds_text(row.recipient.share_pence)
        form.reason.data = row.recipient.override_reason
    answer = carry_out(
        form, lambda: override_share(db.session, current_user, round_id, recipient_id,
                                     amount_pence=form.amount.pence, reason=form.reason.data),
        field="amount", then=_overview_url(round_id),
        done=f"Share of {row.recipient.organisation.name} changed.")
    if answer is not None:
        return answer
    if was_refused():
        view = listing.allocation(db.session, round_id)
        row = next(r for r in view.rows if r.recipient.id == recipient_id)
    return render_template("allocations/override.html", view=view, round=view.round,
                           row=row, form=form)


@bp.post("/confirm")
def confirm(round_id: int):
    form = forms.ConfirmSharesForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return overview(round_id, form)
    try:
        result = confirm_allocation(db.session, current_user, round_id,
                                    public_reason=form.public_reason.data or "")
    except ValidationFailed as error:
        show_errors(form, error, "public_reason")
        return overview(round_id, form)
    except Refusal as error:
        return _refused(error, round_id)
    if result.already:
        flash("These shares were already confirmed.", "info")
    else:
        total = sum(a.amount_pence for a in result.awards)
        flash(f"{len(result.awards)} awards of {format_pounds(total)} in all confirmed. A second "
              "member of staff signs them off, then they are published and the recipients "
              "told.", "success")
    return _back(round_id)


# --- Awards from the top-slice ------------------------------------------------------------

@bp.route("/top-slice-awards/new", methods=["GET", "POST"])
def new_top_slice_award(round_id: int):
    view = listing.allocation(db.session, round_id)
    priorities = top_slice_awards.priority_choices(db.session)
    form = forms.TopSliceAwardForm()
    form.organisation.choices = [(0, "Choose an organisation")] + [
        (o.id, o.name) for o in top_slice_awards.organisation_choices(db.session)]
    form.priority.choices = [(p.id, f"{p.code} {p.title}") for p in priorities]
    form.key_aims.choices = [(a.id, a.code) for p in priorities for a in p.key_aims]
    answer = carry_out(
        form, lambda: top_slice_awards.record_top_slice_award(db.session, current_user,
                                                              round_id, form.entry()),
        field="amount", then=_overview_url(round_id),
        done=lambda award: (f"Award of {format_pounds(award.amount_pence)} for {award.title} "
                            f"recorded for {award.organisation.name}. It is offered when the "
                            "round's decisions are published."))
    if answer is not None:
        return answer
    if was_refused():
        view = listing.allocation(db.session, round_id)
    return render_template("allocations/top_slice_award.html", view=view, round=view.round,
                           form=form, priorities=priorities)
