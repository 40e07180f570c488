"""Starting an application: for one of your organisations, or by staff on an organisation's
behalf (assisted digital)."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from grants.applications.forms.start import StartApplicationForm, StartOnBehalfForm
from grants.applications.operations import starting
from grants.applications.operations.assisted_digital import open_rounds_for
from grants.applications.operations.loading import launched_round
from grants.applications.views.blueprint import bp
from grants.auth import permissions
from grants.auth.decorators import staff_required
from grants.core import clock
from grants.core.errors import Refusal
from grants.core.refusals import show_errors
from grants.extensions import db
from grants.organisations.operations.listing import get_organisation, organisations_of


@bp.route("/rounds/<round_code>/apply", methods=["GET", "POST"])
@login_required
def start_application(round_code: str):
    """Choose which organisation to apply for; organisations the round does not accept are
    shown with the reason, before anyone types anything."""
    round_ = launched_round(db.session, round_code)
    organisations = organisations_of(db.session,
                                     permissions.active_organisation_ids(current_user))
    reasons = {o.id: starting.why_organisation_cannot_apply(round_, o) for o in organisations}
    eligible = [o for o in organisations if reasons[o.id] is None]
    form = StartApplicationForm()
    form.organisation_id.choices = [(str(o.id), o.name) for o in eligible]
    if len(eligible) == 1 and not form.is_submitted():
        form.organisation_id.data = str(eligible[0].id)  # the only choice, chosen already
    closed_reason = None
    try:
        starting.ensure_round_open(round_)
    except Refusal as error:
        closed_reason = error.message
    if form.validate_on_submit() and closed_reason is None:
        chosen = next((o for o in eligible if str(o.id) == form.organisation_id.data), None)
        if chosen is None:
            form.organisation_id.errors.append("Select the organisation you are applying for")
        else:
            try:
                application, created = starting.start_application(
                    db.session, current_user, round_, chosen)
            except Refusal as error:
                show_errors(form, error, "organisation_id")
            else:
                if not created:
                    flash(f"{chosen.name} has already started an application to this round. "
                          "Here it is.", "info")
                return redirect(url_for("applications.task_list",
                                        application_id=application.id))
    return render_template("applications/start.html", round=round_, form=form,
                           organisations=organisations, reasons=reasons, eligible=eligible,
                           closed_reason=closed_reason,
                           back_url=url_for("rounds.view_round", code=round_.code))


@bp.route("/organisations/<int:organisation_id>/apply-on-behalf", methods=["GET", "POST"])
@staff_required
def start_on_behalf(organisation_id: int):
    """Staff start an application for an organisation whose people cannot use the service."""
    organisation = get_organisation(db.session, organisation_id)
    rounds = open_rounds_for(db.session, organisation, clock.utcnow())
    form = StartOnBehalfForm()
    form.round_id.choices = [(str(r.id), r.title) for r in rounds]
    if form.validate_on_submit():
        chosen = next((r for r in rounds if str(r.id) == form.round_id.data), None)
        if chosen is None:
            form.round_id.errors.append("Select the round the application is for")
        else:
            try:
                application, created = starting.start_application(
                    db.session, current_user, chosen, organisation, assisted=True)
            except Refusal as error:
                show_errors(form, error, "round_id")
            else:
                flash(f"You started an application for {organisation.name}." if created else
                      f"{organisation.name} has already started an application to "
                      f"{chosen.title}. Here it is.", "success" if created else "info")
                return redirect(url_for("applications.task_list",
                                        application_id=application.id))
    return render_template("applications/start_on_behalf.html", organisation=organisation,
                           rounds=rounds, form=form)
