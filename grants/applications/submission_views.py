"""Checking answers, sending, the confirmation, the read-only application, withdrawing,
starting an application on an organisation's behalf (assisted digital), and keeping a
session alive. Routes on the shared applications blueprint."""

from flask import abort, current_app, flash, g, redirect, render_template, url_for
from flask_login import current_user, login_required

from grants.applications import services, submission
from grants.applications.blueprint import bp
from grants.applications.models import Application, ApplicationStatus, DocumentKind
from grants.applications.sections import SECTIONS
from grants.applications.submission_forms import (
    StartOnBehalfForm,
    SubmitApplicationForm,
    WithdrawApplicationForm,
)
from grants.applications.views import section_url
from grants.auth import permissions
from grants.auth.decorators import staff_required
from grants.core import clock
from grants.core.errors import Refusal, ValidationFailed
from grants.extensions import db
from grants.organisations.services import get_organisation


@bp.app_template_global("may_withdraw_application")
def may_withdraw_application(application: Application) -> bool:
    """For lists of applications (the dashboard): may the person withdraw this one?"""
    return permissions.may_withdraw_application(current_user, application)


def _application(application_id: int) -> Application:
    """The application, when the person may see it; 404 when they may not."""
    application = services.get_application(db.session, application_id)
    if not permissions.may_view_application(current_user, application):
        abort(404)
    return application


def _change_urls(application: Application) -> dict[str, str | None]:
    return {section.key: section_url(application, section) for section in SECTIONS}


def _answers_context(application: Application) -> dict:
    """What the summary of answers reads, beyond the application itself."""
    return {
        "documents_by_kind": [
            (kind, [d for d in application.documents if d.kind is kind])
            for kind in DocumentKind
        ],
    }


# --- Check your answers and send ----------------------------------------------------------

@bp.get("/applications/<int:application_id>/check")
@login_required
def check_answers(application_id: int):
    application = _application(application_id)
    if application.status is not ApplicationStatus.DRAFT:
        return redirect(url_for("applications.view_application", application_id=application.id))
    if not permissions.may_edit_application(current_user, application):
        abort(403)
    if not services.all_sections_complete(application):
        flash("Complete every section before you check your answers and send the application.",
              "info")
        return redirect(url_for("applications.task_list", application_id=application.id))
    form = SubmitApplicationForm()
    form.version.data = str(application.version)
    return _render_check_answers(application, form)


def _render_check_answers(application: Application, form: SubmitApplicationForm, *,
                          error: str | None = None):
    now = clock.utcnow()
    award = submission.recent_ppaf_award(db.session, application.organisation, now)
    if error:
        form.form_errors.append(error)
    return render_template(
        "applications/check_answers.html", application=application, form=form,
        error=error,
        change_urls=_change_urls(application),
        cannot_submit=submission.why_not_submittable(current_user, application, now),
        fair_share_warning=submission.fair_share_warning(award) if award else None,
        assisted=submission.is_assisted(current_user, application),
        # Shown after a refused POST: after a timeout, come back to the GET page.
        timeout_return_path=url_for("applications.check_answers",
                                    application_id=application.id),
        **_answers_context(application),
    )


@bp.post("/applications/<int:application_id>/submit")
@login_required
def submit_application(application_id: int):
    application = _application(application_id)
    confirmation = url_for("applications.submitted", application_id=application.id)
    # A double click or a resent form: the application is already sent, so show it again.
    if application.reference is not None:
        return redirect(confirmation)
    if not permissions.may_edit_application(current_user, application):
        abort(403)
    form = SubmitApplicationForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        submission.submit_application(db.session, current_user, application,
                                      received_at=g.request_received_at,
                                      expected_version=form.expected_version())
    except submission.ApplicationChanged as changed:
        db.session.rollback()
        flash(changed.message, "info")
        return redirect(url_for("applications.check_answers", application_id=application.id))
    except Refusal as refusal:
        db.session.rollback()
        application = services.get_application(db.session, application_id)
        form.version.data = str(application.version)
        return _render_check_answers(application, form, error=refusal.message)
    return redirect(confirmation)


@bp.get("/applications/<int:application_id>/submitted")
@login_required
def submitted(application_id: int):
    application = _application(application_id)
    if application.reference is None:
        return redirect(url_for("applications.task_list", application_id=application.id))
    if application.status is ApplicationStatus.WITHDRAWN:
        return redirect(url_for("applications.view_application", application_id=application.id))
    return render_template("applications/submitted.html", application=application,
                           email=current_user.email,
                           organisation_email=application.organisation.contact_email)


# --- The application as sent --------------------------------------------------------------

@bp.get("/applications/<int:application_id>/view")
@login_required
def view_application(application_id: int):
    application = _application(application_id)
    if (application.status is ApplicationStatus.DRAFT
            and permissions.may_edit_application(current_user, application)):
        return redirect(url_for("applications.task_list", application_id=application.id))
    return render_template(
        "applications/view.html", application=application,
        status=services.applicant_status(application),
        may_withdraw=permissions.may_withdraw_application(current_user, application),
        **_answers_context(application),
    )


@bp.route("/applications/<int:application_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw_application(application_id: int):
    application = _application(application_id)
    view_url = url_for("applications.view_application", application_id=application.id)
    if application.status is ApplicationStatus.WITHDRAWN:
        return redirect(view_url)
    if not permissions.may_withdraw_application(current_user, application):
        abort(403)
    form = WithdrawApplicationForm()
    if form.validate_on_submit():
        try:
            submission.withdraw_application(db.session, current_user, application,
                                            form.reason.data)
        except ValidationFailed as failure:
            db.session.rollback()
            for name, message in failure.errors.items():
                getattr(form, name).errors.append(message)
        except Refusal as refusal:
            db.session.rollback()
            flash(refusal.message, "info")
            return redirect(view_url)
        else:
            flash(f"You withdrew application {application.reference}.", "success")
            return redirect(view_url)
    return render_template("applications/withdraw.html", application=application, form=form,
                           max_length=submission.MAX_WITHDRAWAL_REASON)


# --- Assisted digital ---------------------------------------------------------------------

@bp.route("/organisations/<int:organisation_id>/apply-on-behalf", methods=["GET", "POST"])
@staff_required
def start_on_behalf(organisation_id: int):
    """Staff start an application for an organisation whose people cannot use the service."""
    organisation = get_organisation(db.session, organisation_id)
    rounds = submission.open_rounds_for(db.session, organisation, clock.utcnow())
    form = StartOnBehalfForm()
    form.round_id.choices = [(str(r.id), r.title) for r in rounds]
    if form.validate_on_submit():
        chosen = next((r for r in rounds if str(r.id) == form.round_id.data), None)
        if chosen is None:
            form.round_id.errors.append("Select the round the application is for")
        else:
            try:
                application, created = services.start_application(
                    db.session, current_user, chosen, organisation, assisted=True)
            except Refusal as error:
                db.session.rollback()
                form.round_id.errors.append(error.message)
            else:
                flash(f"You started an application for {organisation.name}." if created else
                      f"{organisation.name} has already started an application to "
                      f"{chosen.title}. Here it is.", "success" if created else "info")
                return redirect(url_for("applications.task_list",
                                        application_id=application.id))
    return render_template("applications/start_on_behalf.html", organisation=organisation,
                           rounds=rounds, form=form)


# --- Sessions -----------------------------------------------------------------------------

@bp.get("/session/keep-alive")
def keep_alive():
    """Called by the timeout warning's "Stay signed in": any signed-in request restarts the
    idle clock, so there is nothing more to do."""
    if not permissions.is_signed_in(current_user):
        abort(401)
    response = current_app.response_class(status=204)
    response.headers["Cache-Control"] = "no-store"
    return response
