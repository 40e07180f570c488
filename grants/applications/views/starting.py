"""Starting an application: for one of your organisations, or by staff on an organisation's
behalf (assisted digital)."""

from collections.abc import Callable, Sequence
from typing import Any

from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from grants.applications.forms.start import StartApplicationForm, StartOnBehalfForm
from grants.applications.models import Application
from grants.applications.operations import starting
from grants.applications.operations.assisted_digital import open_rounds_for
from grants.applications.operations.loading import launched_round
from grants.applications.views.blueprint import bp
from grants.auth import permissions
from grants.auth.decorators import staff_required
from grants.core import carried, clock
from grants.core.errors import Refusal
from grants.core.refusals import in_page_language, show_errors
from grants.extensions import db
from grants.organisations.operations.listing import get_organisation
from grants.rounds.operations.checking import CheckAnswers


def _start(form: FlaskForm, field: str, options: Sequence, missing: str,
           start: Callable[[Any], tuple[Application, bool]]):
    """Start an application for the option chosen in `field` (or find the one started
    already): (option, application, created); or None, with why on the field."""
    chosen = next((option for option in options if str(option.id) == form[field].data), None)
    if chosen is None:
        form[field].errors.append(missing)
        return None
    try:
        application, created = start(chosen)
    except Refusal as error:
        show_errors(form, error, field)
        return None
    return chosen, application, created


def _to_task_list(application: Application):
    return redirect(url_for("applications.task_list", application_id=application.id))


@bp.route("/rounds/<round_code>/apply", methods=["GET", "POST"])
@login_required
def start_application(round_code: str):
    """Choose which organisation to apply for; organisations the round does not accept are
    shown with the reason, before anyone types anything."""
    round_ = launched_round(db.session, round_code)
    choices = starting.organisation_choices(db.session, round_,
                                            permissions.active_organisation_ids(current_user))
    form = StartApplicationForm()
    form.offer(choices)
    closed_reason = None
    try:
        starting.ensure_round_open(round_)
    except Refusal as error:
        closed_reason = in_page_language(error.message)
    if form.validate_on_submit() and closed_reason is None:
        checked = carried.check_answers(session, round_.code)
        started = _start(form, "organisation_id", choices.eligible,
                         _("Select the organisation you are applying for"),
                         lambda chosen: starting.start_application(
                             db.session, current_user, round_, chosen,
                             checked=(CheckAnswers.load(checked).application_start()
                                      if checked else None)))
        if started is not None:
            chosen, application, created = started
            carried.forget_check_answers(session, round_.code)
            if not created:
                flash(_("%(name)s has already started an application to this round. "
                        "Here it is.", name=chosen.name), "info")
            return _to_task_list(application)
    return render_template("applications/start.html", round=round_, form=form, choices=choices,
                           closed_reason=closed_reason)


@bp.route("/organisations/<int:organisation_id>/apply-on-behalf", methods=["GET", "POST"])
@staff_required
def start_on_behalf(organisation_id: int):
    """Staff start an application for an organisation whose people cannot use the service."""
    organisation = get_organisation(db.session, organisation_id)
    rounds = open_rounds_for(db.session, organisation, clock.utcnow())
    form = StartOnBehalfForm()
    form.round_id.choices = [(str(r.id), r.title) for r in rounds]
    if form.validate_on_submit():
        started = _start(form, "round_id", rounds, "Select the round the application is for",
                         lambda chosen: starting.start_application(
                             db.session, current_user, chosen, organisation, assisted=True))
        if started is not None:
            chosen, application, created = started
            flash(f"You started an application for {organisation.name}." if created else
                  f"{organisation.name} has already started an application to "
                  f"{chosen.title}. Here it is.", "success" if created else "info")
            return _to_task_list(application)
    return render_template("applications/start_on_behalf.html", organisation=organisation,
                           rounds=rounds, form=form)
