"""Monitoring pages: the recipient's reports (list, fill in, send, documents) and staff's
overview, review (accept or ask for more), repayments and variations. The pages only read:
the reports a grant owes are made by the daily run, or by the POST that starts one."""

import logging

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from grants.auth import permissions
from grants.auth.decorators import permission_required
from grants.core import clock
from grants.core.downloads import private_attachment
from grants.core.errors import Refusal, ValidationFailed
from grants.core.formatting import format_london_date
from grants.core.money import format_pounds
from grants.core.refusals import carry_out, refused, show_errors
from grants.documents.operations.checks import ACCEPT, check_file
from grants.documents.operations.downloads import open_document, size_text
from grants.documents.operations.storage import storage_for
from grants.extensions import db
from grants.monitoring.forms import (
    MoreInformationForm,
    RepaymentForm,
    ReportForm,
    VariationForm,
    report_form_class,
)
from grants.monitoring.models import MonitoringReport, ReportKind, Variation
from grants.monitoring.operations import (
    answers,
    documents,
    listing,
    repayments,
    returns,
    review,
    schedule,
    variations,
)
from grants.monitoring.operations.wording import award_label, report_name, report_title

logger = logging.getLogger(__name__)

bp = Blueprint("monitoring", __name__)

reviewers_only = permission_required(permissions.may_review_reports)


# --- The recipient's pages ----------------------------------------------------------------

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
                           title_of=report_title, key_of=_report_key,
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
        flash(refusal, "info")
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
        flash(f"Document added: {uploaded.original_filename}. Your answers are saved too.",
              "success")
        return redirect(url_for("monitoring.edit_report", report_id=report_id))
    flash(f"Your {report_name(report)} is saved as a draft. Send it by "
          f"{format_london_date(report.due_on)}.", "success")
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
    flash(f"You sent your {report_name(report)}. We will tell you if we need anything more.",
          "success")
    return redirect(url_for("monitoring.award_reports", award_id=report.award_id))


def _render_report(report: MonitoringReport, form: ReportForm):
    award = report.award
    return render_template(
        "monitoring/report.html", report=report, award=award, form=form,
        priorities=(returns.project_priorities(db.session) if form.project_lines else []),
        label=award_label(award), title=report_title(report),
        refusal=returns.why_not_editable(report),
        is_end_of_grant=report.kind is ReportKind.END_OF_GRANT,
        documents=_document_rows(report), accept=ACCEPT,
        max_documents=documents.MAX_DOCUMENTS)


def _document_rows(report: MonitoringReport) -> list[dict]:
    return [{"document": document, "size": size_text(document.size_bytes)}
            for document in sorted(report.documents, key=lambda d: (d.uploaded_at, d.id))]


@bp.post("/reports/<int:report_id>/documents/<int:document_id>/remove")
@login_required
def remove_document(report_id: int, document_id: int):
    report = listing.members_report(db.session, current_user, report_id)
    documents.find_document(report, document_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        document = documents.remove_report_document(
            db.session, storage_for(current_app.config), current_user, report, document_id)
    except Refusal as error:
        return refused(error, "monitoring.edit_report", report_id=report_id)
    flash(f"Document removed: {document.original_filename}", "success")
    return redirect(url_for("monitoring.edit_report", report_id=report_id))


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


# --- Staff --------------------------------------------------------------------------------

@bp.get("/staff/monitoring")
@reviewers_only
def overview():
    """Reports overdue, due in the next 30 days, and sent and waiting for review."""
    today = clock.today_in_london()
    lists = listing.monitoring_overview(db.session, today)
    return render_template("monitoring/overview.html", lists=lists, today=today,
                           label_of=award_label, title_of=report_title,
                           due_soon_days=listing.DUE_SOON_DAYS)


@bp.get("/staff/reports/<int:report_id>")
@reviewers_only
def review_report(report_id: int):
    return _render_review(listing.get_report(db.session, report_id), MoreInformationForm())


def _render_review(report: MonitoringReport, form: MoreInformationForm):
    award = report.award
    return render_template(
        "monitoring/review.html", report=report, award=award, form=form,
        lists_projects=answers.reports_projects(award) or bool(report.projects),
        label=award_label(award), title=report_title(report),
        refusal=review.why_not_reviewable(report),
        is_end_of_grant=report.kind is ReportKind.END_OF_GRANT,
        documents=_document_rows(report),
        names=listing.people_names(db.session, [report.submitted_by_id,
                                                report.reviewed_by_id]))


@bp.post("/staff/reports/<int:report_id>/accept")
@reviewers_only
def accept_report(report_id: int):
    report = listing.get_report(db.session, report_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        review.accept_report(db.session, current_user, report)
    except Refusal as error:
        return refused(error, "monitoring.review_report", report_id=report_id)
    if report.kind is ReportKind.END_OF_GRANT:
        flash("You accepted the end-of-grant report. The grant is now closed.", "success")
    else:
        flash(f"You accepted the {report_name(report)}.", "success")
    return redirect(url_for("monitoring.review_report", report_id=report_id))


@bp.post("/staff/reports/<int:report_id>/more-information")
@reviewers_only
def ask_for_more(report_id: int):
    report = listing.get_report(db.session, report_id)
    form = MoreInformationForm()
    review_url = url_for("monitoring.review_report", report_id=report_id)
    answer = carry_out(
        form, lambda: review.request_more_information(db.session, current_user, report,
                                                      form.comment.data),
        field="comment",
        done=("You asked the recipient for more information. They have been sent your "
              "message by email."),
        then=review_url, refusals_to=review_url)
    return answer or _render_review(report, form)


@bp.get("/staff/awards/<int:award_id>/monitoring")
@reviewers_only
def award_monitoring(award_id: int):
    """One award's reports, variations and repayments."""
    award = listing.get_award(db.session, award_id)
    reports = schedule.owed_reports(db.session, award)
    agreed = variations.variations_of(db.session, award)
    repaid = repayments.repayments_of(db.session, award)
    names = listing.people_names(
        db.session, [v.agreed_by_id for v in agreed] + [r.recorded_by_id for r in repaid])
    return render_template(
        "monitoring/award.html", award=award, reports=reports, variations=agreed,
        repayments=repaid, names=names, money=repayments.money_back(db.session, award),
        label=award_label(award), title_of=report_title,
        report_due_on=schedule.report_due_on(db.session, award),
        end_on=schedule.project_end_on(db.session, award),
        variation_refusal=variations.why_not_variable(award))


@bp.route("/staff/awards/<int:award_id>/repayments", methods=["GET", "POST"])
@reviewers_only
def record_repayment(award_id: int):
    award = listing.get_award(db.session, award_id)
    form = RepaymentForm()
    award_url = url_for("monitoring.award_monitoring", award_id=award_id)
    answer = carry_out(
        form, lambda: repayments.record_repayment(
            db.session, current_user, award, amount_pence=form.amount.pence,
            received_on=form.received_on.data, reference=form.reference.data),
        field="amount",
        done=lambda repayment: (f"You recorded a repayment of "
                                f"{format_pounds(repayment.amount_pence)}. It is back in the "
                                "fund."),
        then=award_url, refusals_to=award_url)
    return answer or render_template("monitoring/repayment.html", award=award, form=form,
                                     label=award_label(award),
                                     money=repayments.money_back(db.session, award))


@bp.route("/staff/awards/<int:award_id>/variations", methods=["GET", "POST"])
@reviewers_only
def agree_variation(award_id: int):
    award = listing.get_award(db.session, award_id)
    award_url = url_for("monitoring.award_monitoring", award_id=award_id)
    refusal = variations.why_not_variable(award)
    if refusal:
        flash(refusal, "info")
        return redirect(award_url)
    form = VariationForm()
    answer = carry_out(
        form, lambda: variations.agree_variation(
            db.session, current_user, award, new_end_on=form.new_end(),
            changed_purpose=form.changed_purpose.data, reason=form.reason.data),
        field="reason", done=_variation_message, then=award_url, refusals_to=award_url)
    return answer or render_template("monitoring/variation.html", award=award, form=form,
                                     label=award_label(award),
                                     end_on=schedule.project_end_on(db.session, award),
                                     due_on=schedule.end_of_grant_due_on(db.session, award))


def _variation_message(variation: Variation) -> str:
    message = "You recorded the variation."
    if variation.new_report_due_on != variation.previous_report_due_on:
        message += (" The end-of-grant report is now due on "
                    f"{format_london_date(variation.new_report_due_on)}.")
    return message
