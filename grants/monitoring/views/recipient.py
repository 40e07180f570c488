"""The recipient's monitoring pages: the reports a grant owes, filling one in and sending
it, and its documents. The reports are made by the daily run, or by the POST that starts
one; the pages only read."""

import logging

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from grants.core import clock
from grants.core.downloads import private_attachment
from grants.core.errors import Refusal, ValidationFailed
from grants.core.formatting import format_london_date
from grants.core.refusals import as_said, in_page_language, pressed, refused, show_errors
from grants.core.translatable import Moment
from grants.documents.operations.checks import ACCEPT, check_file
from grants.documents.operations.downloads import open_document
from grants.documents.operations.storage import storage_for
from grants.extensions import db
from grants.monitoring.forms import ReportForm, report_form_class
from grants.monitoring.models import MonitoringReport, ReportKind
from grants.monitoring.operations import documents, listing, returns, schedule
from grants.monitoring.operations.wording import award_label, report_name, report_title
from grants.monitoring.views.blueprint import bp, document_rows

logger = logging.getLogger(__name__)


def _report_key(report: MonitoringReport) -> str:
    """Names a report owed before it is made: its kind and period."""
    return f"{report.kind.value}:{report.period}"


@bp.get("/awards/<int:award_id>/reports")
@login_required
def award_reports(award_id: int):
    """The reports the grant owes, when each is due and where it has got to."""
    award = listing.members_award(db.session, current_user, award_id)
    reports = schedule.owed_reports(db.session, award)
    return render_template("monitoring/award_reports.html", award=award, reports=reports,
                           label=award_label(award), today=clock.today_in_london(),
                           title_of=lambda report: in_page_language(report_title(report)),
                           key_of=_report_key,
                           editable={r.id: returns.why_not_editable(r) is None
                                     for r in reports})


@bp.post("/awards/<int:award_id>/reports")
@login_required
def start_report(award_id: int):
    """Make the grant's reports (when the daily run has not yet) and open the one chosen."""
    award = listing.members_award(db.session, current_user, award_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    reports = returns.start_reports(db.session, current_user, award)
    chosen = next((r for r in reports if _report_key(r) == request.form.get("report")), None)
    if chosen is None:
        return redirect(url_for("monitoring.award_reports", award_id=award_id))
    return redirect(url_for("monitoring.edit_report", report_id=chosen.id))


@bp.route("/reports/<int:report_id>", methods=["GET", "POST"])
@login_required
def edit_report(report_id: int):
    """The report: its answers and documents, saved as a draft or sent."""
    report = listing.members_report(db.session, current_user, report_id)
    form = report_form_class(report)()
    priorities = returns.project_priorities(db.session) if form.project_lines else []
    form.set_project_choices(priorities)
    if request.method == "GET":
        form.fill_from(report)
        form.fill_projects_from(report)
        return _render_report(report, form)
    refusal = returns.why_not_editable(report)
    if refusal:
        flash(in_page_language(refusal), "info")
        return redirect(url_for("monitoring.edit_report", report_id=report_id))
    if not form.validate_on_submit():
        return _render_report(report, form)

    sending = request.form.get("action") == "send"
    chosen = form.document_file.data
    uploaded = None
    try:
        # The answers are saved first, so nothing typed is lost if the report is not ready
        # to send.
        returns.save_report(db.session, current_user, report, form.answers(), send=False)
        if chosen and chosen.filename:
            checked = check_file(chosen.filename, chosen.stream)
            uploaded = documents.upload_report_document(
                db.session, storage_for(current_app.config), current_user, report, checked)
    except ValidationFailed as failure:
        show_errors(form, failure, "delivered")
        return _render_report(report, form)
    except Refusal as error:
        return refused(error, "monitoring.edit_report", report_id=report_id)

    if sending:
        return _send(report, form)
    if uploaded is not None:
        flash(_("Document added: %(file)s. Your answers are saved too.",
                file=uploaded.original_filename), "success")
        return redirect(url_for("monitoring.edit_report", report_id=report_id))
    flash(_("Your %(report)s is saved as a draft. Send it by %(day)s.",
            report=in_page_language(report_name(report)),
            day=as_said(Moment(report.due_on, show=format_london_date))), "success")
    return redirect(url_for("monitoring.award_reports", award_id=report.award_id))


def _send(report: MonitoringReport, form: ReportForm):
    """Send the saved report; when it is not ready, say why and keep the draft."""
    try:
        with db.session.begin_nested():
            returns.save_report(db.session, current_user, report, form.answers(), send=True,
                                team_address=current_app.config.get("CONTACT_EMAIL"))
    except ValidationFailed as failure:
        # Only the sending was refused, and its savepoint is undone already: the draft saved
        # before it (and any document) is kept, so this request still commits.
        show_errors(form, failure, "delivered", roll_back=False)
        return _render_report(report, form)
    except Refusal as error:
        return refused(error, "monitoring.edit_report", report_id=report.id)
    flash(_("You sent your %(report)s. We will tell you if we need anything more.",
            report=in_page_language(report_name(report))), "success")
    return redirect(url_for("monitoring.award_reports", award_id=report.award_id))


def _render_report(report: MonitoringReport, form: ReportForm):
    award = report.award
    return render_template(
        "monitoring/report.html", report=report, award=award, form=form,
        priorities=(returns.project_priorities(db.session) if form.project_lines else []),
        label=award_label(award), title=in_page_language(report_title(report)),
        refusal=in_page_language(returns.why_not_editable(report)),
        is_end_of_grant=report.kind is ReportKind.END_OF_GRANT,
        documents=document_rows(report), accept=ACCEPT,
        max_documents=documents.MAX_DOCUMENTS)


@bp.post("/reports/<int:report_id>/documents/<int:document_id>/remove")
@login_required
def remove_document(report_id: int, document_id: int):
    report = listing.members_report(db.session, current_user, report_id)
    documents.find_document(report, document_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    return pressed(
        lambda: documents.remove_report_document(
            db.session, storage_for(current_app.config), current_user, report, document_id),
        done=lambda document: _("Document removed: %(file)s",
                                file=document.original_filename),
        endpoint="monitoring.edit_report", report_id=report_id)


@bp.get("/reports/<int:report_id>/documents/<int:document_id>")
@login_required
def download_document(report_id: int, document_id: int):
    """The file, as an attachment, to the recipient's members and to staff."""
    report = listing.readable_report(db.session, current_user, report_id)
    document = documents.find_document(report, document_id)
    file = open_document(storage_for(current_app.config), document,
                         f"monitoring report {report.id}")
    return private_attachment(file, download_name=document.original_filename,
                              mimetype=document.content_type)
