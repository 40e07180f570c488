"""Staff's monitoring pages: the overview of reports due, reviewing a report (accepting it
or asking for more), and an award's repayments and variations."""

import logging

from flask import abort, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from grants.auth import permissions
from grants.auth.decorators import permission_required
from grants.core import clock
from grants.core.formatting import format_london_date
from grants.core.money import format_pounds
from grants.core.refusals import carry_out, pressed
from grants.extensions import db
from grants.monitoring.forms import MoreInformationForm, RepaymentForm, VariationForm
from grants.monitoring.models import MonitoringReport, ReportKind, Variation
from grants.monitoring.operations import answers, listing, repayments, review, schedule, variations
from grants.monitoring.operations.wording import award_label, report_name, report_title
from grants.monitoring.views.blueprint import bp, document_rows

logger = logging.getLogger(__name__)

reviewers_only = permission_required(permissions.may_review_reports)


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
        documents=document_rows(report),
        names=listing.people_names(db.session, [report.submitted_by_id,
                                                report.reviewed_by_id]))


@bp.post("/staff/reports/<int:report_id>/accept")
@reviewers_only
def accept_report(report_id: int):
    report = listing.get_report(db.session, report_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    return pressed(
        lambda: review.accept_report(db.session, current_user, report),
        done=("You accepted the end-of-grant report. The grant is now closed."
              if report.kind is ReportKind.END_OF_GRANT
              else f"You accepted the {report_name(report)}."),
        endpoint="monitoring.review_report", report_id=report_id)


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
        back_to=review_url)
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


def _award_url(award_id: int) -> str:
    return url_for("monitoring.award_monitoring", award_id=award_id)


@bp.route("/staff/awards/<int:award_id>/repayments", methods=["GET", "POST"])
@reviewers_only
def record_repayment(award_id: int):
    award = listing.get_award(db.session, award_id)
    form = RepaymentForm()
    answer = carry_out(
        form, lambda: repayments.record_repayment(
            db.session, current_user, award, amount_pence=form.amount.pence,
            received_on=form.received_on.data, reference=form.reference.data),
        field="amount",
        done=lambda repayment: (f"You recorded a repayment of "
                                f"{format_pounds(repayment.amount_pence)}. It is back in the "
                                "fund."),
        back_to=_award_url(award_id))
    return answer or render_template("monitoring/repayment.html", award=award, form=form,
                                     label=award_label(award),
                                     money=repayments.money_back(db.session, award))


@bp.route("/staff/awards/<int:award_id>/variations", methods=["GET", "POST"])
@reviewers_only
def agree_variation(award_id: int):
    award = listing.get_award(db.session, award_id)
    form = VariationForm()
    answer = carry_out(
        form, lambda: variations.agree_variation(
            db.session, current_user, award, new_end_on=form.new_end(),
            changed_purpose=form.changed_purpose.data, reason=form.reason.data),
        field="reason", done=_variation_message,
        back_to=_award_url(award_id),
        ruled_out=variations.why_not_variable(award))
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
