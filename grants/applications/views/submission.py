"""Checking answers and sending, the confirmation, the application as sent (a page, or a PDF
document), and withdrawing it."""

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from grants.applications.forms.submission import SubmitApplicationForm, WithdrawApplicationForm
from grants.applications.models import Application, ApplicationStatus, DocumentKind
from grants.applications.operations import (
    fair_share,
    loading,
    questions,
    submission,
    withdrawal,
)
from grants.applications.operations.assisted_digital import is_assisted
from grants.applications.operations.sections import sections_for
from grants.applications.views.blueprint import bp
from grants.applications.views.common import section_url, viewable_application
from grants.auth import permissions
from grants.core import clock
from grants.core.downloads import attachment
from grants.core.errors import Refusal
from grants.core.pdf import html_to_pdf
from grants.core.refusals import carry_out, in_page_language, mark_refused, refused
from grants.extensions import db
from grants.offices.operations.speaking import office_facts


def _change_urls(application: Application) -> dict[str, str]:
    return {section.key: section_url(application, section)
            for section in sections_for(application.round)}


def _answers_context(application: Application) -> dict:
    """What the summary of answers reads, beyond the application itself."""
    return {
        "documents_by_kind": [
            (kind, [d for d in application.documents if d.kind is kind])
            for kind in DocumentKind
        ],
        "answered_sections": questions.answered_sections(application),
    }


# --- Check your answers and send ----------------------------------------------------------

@bp.get("/applications/<int:application_id>/check")
@login_required
def check_answers(application_id: int):
    application = viewable_application(application_id)
    if application.status is not ApplicationStatus.DRAFT:
        return redirect(url_for("applications.view_application", application_id=application.id))
    if not permissions.may_edit_application(current_user, application):
        abort(403)
    if not loading.all_sections_complete(application):
        flash(_("Complete every section before you check your answers and send the "
                "application."), "info")
        return redirect(url_for("applications.task_list", application_id=application.id))
    form = SubmitApplicationForm()
    form.version.data = str(application.version)
    return _render_check_answers(application, form)


def _render_check_answers(application: Application, form: SubmitApplicationForm, *,
                          error: str | None = None):
    now = clock.utcnow()
    award = fair_share.recent_ppaf_award(db.session, application.organisation, now)
    if error:
        error = in_page_language(error)
        form.form_errors.append(error)
    return render_template(
        "applications/check_answers.html", application=application, form=form,
        error=error,
        change_urls=_change_urls(application),
        cannot_submit=in_page_language(
            submission.why_not_submittable(current_user, application, now)),
        fair_share_warning=in_page_language(fair_share.fair_share_warning(award))
        if award else None,
        assisted=is_assisted(current_user, application),
        # Shown after a refused POST: after a timeout, come back to the GET page.
        timeout_return_path=url_for("applications.check_answers",
                                    application_id=application.id),
        **_answers_context(application),
    )


@bp.post("/applications/<int:application_id>/submit")
@login_required
def submit_application(application_id: int):
    application = viewable_application(application_id)
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
        return refused(changed, "applications.check_answers", application_id=application.id)
    except Refusal as refusal:
        mark_refused()
        form.version.data = str(application.version)
        return _render_check_answers(application, form, error=refusal.message)
    return redirect(confirmation)


@bp.get("/applications/<int:application_id>/submitted")
@login_required
def submitted(application_id: int):
    application = viewable_application(application_id)
    if application.reference is None:
        return redirect(url_for("applications.task_list", application_id=application.id))
    if application.status is ApplicationStatus.WITHDRAWN:
        return redirect(url_for("applications.view_application", application_id=application.id))
    return render_template("applications/submitted.html", application=application,
                           email=current_user.email,
                           organisation_email=application.organisation.contact_email)


# --- The application as sent --------------------------------------------------------------

def _render_as_sent(application: Application, **extra) -> str:
    """The application as sent: the page to read or print, and the PDF's content."""
    return render_template(
        "applications/view.html", application=application,
        status=loading.applicant_status(application),
        may_withdraw=permissions.may_withdraw_application(current_user, application),
        for_staff=permissions.is_staff(current_user),
        **_answers_context(application), **extra,
    )


@bp.get("/applications/<int:application_id>/view")
@login_required
def view_application(application_id: int):
    application = viewable_application(application_id)
    if (application.status is ApplicationStatus.DRAFT
            and permissions.may_edit_application(current_user, application)):
        return redirect(url_for("applications.task_list", application_id=application.id))
    return _render_as_sent(application)


@bp.get("/applications/<int:application_id>/pdf")
@login_required
def download_pdf(application_id: int):
    """The application as sent, as a PDF document, to the people who may see it; a draft has
    none."""
    application = viewable_application(application_id)
    if application.status is ApplicationStatus.DRAFT or application.reference is None:
        abort(404)
    name = pdf_name(application)
    document = html_to_pdf(
        _render_as_sent(application, hide_navigation=True), base_url=request.host_url,
        static_url_path=current_app.static_url_path, static_folder=current_app.static_folder,
        footer=name.removesuffix(".pdf"))
    return attachment(document, filename=name, mimetype="application/pdf")


def pdf_name(application: Application) -> str:
    """The PDF's file name: the office's letters, then the application's reference."""
    office = office_facts(db.session, application.round.fund.office_id)
    return f"{office.file_prefix}-{application.reference}.pdf"


@bp.route("/applications/<int:application_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw_application(application_id: int):
    application = viewable_application(application_id)
    view_url = url_for("applications.view_application", application_id=application.id)
    if application.status is ApplicationStatus.WITHDRAWN:
        return redirect(view_url)
    if not permissions.may_withdraw_application(current_user, application):
        abort(403)
    form = WithdrawApplicationForm()
    answer = carry_out(
        form, lambda: withdrawal.withdraw_application(db.session, current_user, application,
                                                      form.reason.data),
        field="reason",
        done=lambda _withdrawn: _("You withdrew application %(reference)s.",
                                  reference=application.reference),
        back_to=view_url)
    return answer or render_template("applications/withdraw.html", application=application,
                                     form=form, max_length=withdrawal.MAX_WITHDRAWAL_REASON)
