"""Staff pages for nominations: the nomination rounds, a round's nominations by county with
each county's figures, and one nomination with its three answers (approve, ask for changes,
decline)."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from grants.auth import permissions
from grants.auth.decorators import permission_required
from grants.core.errors import Refusal, ValidationFailed
from grants.core.money import format_pounds
from grants.core.refusals import refused, show_errors
from grants.extensions import db
from grants.nominations.forms import ApproveForm, ChangesForm, DeclineForm
from grants.nominations.models import NominationStatus
from grants.nominations.operations import deciding, finding, guard, listing
from grants.nominations.views.blueprint import bp

staff_required = permission_required(permissions.may_decide_nominations)


@bp.get("/staff/nominations")
@staff_required
def staff_rounds():
    return render_template("nominations/staff_rounds.html",
                           rows=listing.nomination_rounds(db.session))


@bp.get("/staff/rounds/<int:round_id>/nominations")
@staff_required
def round_nominations(round_id: int):
    return render_template("nominations/staff_round.html",
                           board=listing.round_nominations(db.session, round_id),
                           NominationStatus=NominationStatus)


def _staff_page(nomination_id: int, *, approve: ApproveForm | None = None,
                changes: ChangesForm | None = None, decline: DeclineForm | None = None):
    nomination = finding.get_nomination(db.session, nomination_id)
    decidable = nomination.status is NominationStatus.SUBMITTED
    declinable = nomination.status in permissions.CHANGEABLE_NOMINATION_STATUSES
    form = next((f for f in (approve, changes, decline) if f is not None and f.errors), None)
    return render_template(
        "nominations/staff_view.html", nomination=nomination, form=form,
        approve_form=approve or ApproveForm(formdata=None),
        changes_form=changes or ChangesForm(formdata=None),
        decline_form=decline or DeclineForm(formdata=None),
        decidable=decidable, declinable=declinable,
        position=guard.county_position(db.session, nomination.round_id,
                                          nomination.county_id, excluding=nomination.id))


@bp.get("/staff/nominations/<int:nomination_id>")
@staff_required
def staff_view(nomination_id: int):
    return _staff_page(nomination_id)


def _refused(error: Refusal, nomination_id: int):
    return refused(error, "nominations.staff_view", nomination_id=nomination_id)


@bp.post("/staff/nominations/<int:nomination_id>/approve")
@staff_required
def approve(nomination_id: int):
    form = ApproveForm()
    if form.validate_on_submit():
        try:
            award = deciding.approve_nomination(db.session, current_user, nomination_id,
                                                conditions=form.conditions.data or "")
        except ValidationFailed as failure:
            show_errors(form, failure, "conditions")
        except Refusal as error:
            return _refused(error, nomination_id)
        else:
            flash(f"Approved: {award.organisation.name} has been offered "
                  f"{format_pounds(award.amount_pence)} and the High Sheriff told.", "success")
            return redirect(url_for("nominations.staff_view", nomination_id=nomination_id))
    return _staff_page(nomination_id, approve=form)


@bp.post("/staff/nominations/<int:nomination_id>/changes")
@staff_required
def ask_for_changes(nomination_id: int):
    form = ChangesForm()
    if form.validate_on_submit():
        try:
            deciding.request_changes(db.session, current_user, nomination_id,
                                     form.comment.data or "")
        except ValidationFailed as failure:
            show_errors(form, failure, "comment")
        except Refusal as error:
            return _refused(error, nomination_id)
        else:
            flash("The High Sheriff has been asked to change the nomination.", "success")
            return redirect(url_for("nominations.staff_view", nomination_id=nomination_id))
    return _staff_page(nomination_id, changes=form)


@bp.post("/staff/nominations/<int:nomination_id>/decline")
@staff_required
def decline(nomination_id: int):
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            deciding.decline_nomination(db.session, current_user, nomination_id,
                                        form.reason.data or "")
        except ValidationFailed as failure:
            show_errors(form, failure, "reason")
        except Refusal as error:
            return _refused(error, nomination_id)
        else:
            flash("The nomination was declined and the High Sheriff told.", "success")
            return redirect(url_for("nominations.staff_view", nomination_id=nomination_id))
    return _staff_page(nomination_id, decline=form)
