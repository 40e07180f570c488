"""Staff reviewing a sent report: accepting it (the end-of-grant report closes the grant) or
sending it back for more information."""

import logging

from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.applications.models import ApplicationStatus
from grants.awards.models import Award, AwardStatus
from grants.core import clock
from grants.core.errors import required_text
from grants.monitoring import notifications
from grants.monitoring.models import MonitoringReport, ReportKind, ReportStatus
from grants.monitoring.operations.guard import MonitoringRefused, check_staff, locked_report
from grants.monitoring.operations.wording import award_label, report_name, report_title
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

MAX_COMMENT = 2000


def why_not_reviewable(report: MonitoringReport) -> str | None:
    """Why staff cannot accept the report or ask for more now, or None when they can."""
    if report.status is ReportStatus.ACCEPTED:
        return "This report has been accepted"
    if report.status is ReportStatus.CANCELLED:
        return "This return is no longer owed: the grant's dates changed"
    if report.status is not ReportStatus.SUBMITTED:
        return "The recipient has not sent this report yet"
    return None


def accept_report(session: Session, user: User, report: MonitoringReport) -> MonitoringReport:
    """Accept a sent report. Accepting the end-of-grant report closes the grant and its
    application. Accepting an accepted report again (a double click) changes nothing."""
    check_staff(user)
    report = locked_report(session, report)
    if report.status is ReportStatus.ACCEPTED:
        return report
    MonitoringRefused.raise_if(why_not_reviewable(report))
    report.status = ReportStatus.ACCEPTED
    report.reviewed_at = clock.utcnow()
    report.reviewed_by_id = user.id
    session.flush()
    record_event(session, actor_id=user.id, action="monitoring_report.accepted",
                 entity_type="monitoring_report", entity_id=report.id,
                 before={"status": ReportStatus.SUBMITTED.value},
                 after={"status": report.status.value, "award_id": report.award_id})
    if report.kind is ReportKind.END_OF_GRANT:
        _close_award(session, user, report.award, report)
    logger.info("monitoring report %s of award %s accepted by user %s", report.id,
                report.award_id, user.id)
    return report


def _close_award(session: Session, user: User, award: Award, report: MonitoringReport) -> None:
    before = award.status
    award.status = AwardStatus.CLOSED
    award.closed_at = clock.utcnow()
    application = award.application
    application_before = application.status if application is not None else None
    if application is not None:
        application.status = ApplicationStatus.CLOSED
    session.flush()
    record_event(session, actor_id=user.id, action="award.closed", entity_type="award",
                 entity_id=award.id, before={"status": before.value},
                 after={"status": award.status.value, "report_id": report.id,
                        "underspend_pence": report.underspend_pence})
    if application is not None:
        record_event(session, actor_id=user.id, action="application.status_changed",
                     entity_type="application", entity_id=application.id,
                     before={"status": application_before.value},
                     after={"status": application.status.value, "award_id": award.id})
    logger.info("award %s closed on its end-of-grant report %s", award.id, report.id)


def request_more_information(session: Session, user: User, report: MonitoringReport,
                             comment: str) -> MonitoringReport:
    """Send a report back to the recipient with what more is needed; they can change and send
    it again, and are told by email."""
    check_staff(user)
    comment = required_text(comment, "comment", "Enter what more you need from the recipient",
                            MAX_COMMENT, "What you need")
    report = locked_report(session, report)
    MonitoringRefused.raise_if(why_not_reviewable(report))
    report.status = ReportStatus.MORE_INFORMATION_REQUESTED
    report.staff_comment = comment
    report.reviewed_at = clock.utcnow()
    report.reviewed_by_id = user.id
    session.flush()
    record_event(session, actor_id=user.id,
                 action="monitoring_report.more_information_requested",
                 entity_type="monitoring_report", entity_id=report.id,
                 before={"status": ReportStatus.SUBMITTED.value},
                 after={"status": report.status.value, "award_id": report.award_id,
                        "comment": comment})
    notifications.more_information_requested(
        session, report, label=award_label(report.award), title=report_title(report),
        name=report_name(report))
    logger.info("monitoring report %s of award %s sent back by user %s", report.id,
                report.award_id, user.id)
    return report
