"""The daily run: bring every grant's reports up to date, then remind recipients of the
reports they owe, once from 14 days before a report is due and once more from 14 days after,
however often it runs.

The pages only read; what time changes is written here: the reports of accepted grants that
have none are made, and applications whose end-of-grant report is near show "report due".
Each reminder is queued in the outbox under a key of its own (`report-reminder:before:<id>`,
`report-reminder:after:<id>`), so a second run the same day, or the next, queues nothing new.
"""

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from grants.applications.models import Application, ApplicationStatus
from grants.awards.models import Award, AwardStatus
from grants.monitoring import notifications
from grants.monitoring.models import MonitoringReport, ReportKind
from grants.monitoring.notifications import AFTER, BEFORE, reminder_key
from grants.monitoring.operations.listing import report_list_query
from grants.monitoring.operations.schedule import (
    MONITORED_STATUSES,
    OPEN_STATUSES,
    REMINDER_DAYS,
    ensure_reports,
    move_to_half_years,
    sync_application_status,
)
from grants.monitoring.operations.wording import award_label, report_name, report_title
from grants.records.models import OutboxMessage
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReminderRun:
    """What one run did."""

    reports_created: int
    reminders_before: int
    reminders_after: int
    # Reminders that could not be queued: the organisation has no contact address.
    without_address: int

    @property
    def queued(self) -> int:
        return self.reminders_before + self.reminders_after


def reminder_due(report: MonitoringReport, today: date) -> str | None:
    """Which reminder the report is due today, if any: BEFORE from 14 days before its due
    date, AFTER from 14 days after it (when the first would only confuse), or None."""
    if today >= report.due_on + timedelta(days=REMINDER_DAYS):
        return AFTER
    if today >= report.due_on - timedelta(days=REMINDER_DAYS):
        return BEFORE
    return None


def send_reminders(session: Session, today: date) -> ReminderRun:
    """The daily run: first bring the reports up to date (`sync_reports`), then queue the
    reminders due today for every report still owed (not sent or accepted) by an accepted or
    paid grant; each reminder once per report."""
    created = sync_reports(session, today)

    reports = session.scalars(
        report_list_query().join(Award, Award.id == MonitoringReport.award_id)
        .where(MonitoringReport.status.in_(OPEN_STATUSES),
               Award.status.in_(MONITORED_STATUSES),
               MonitoringReport.due_on <= today + timedelta(days=REMINDER_DAYS))
        .order_by(MonitoringReport.due_on, MonitoringReport.id)
    ).unique().all()
    wanted = [(report, reminder_due(report, today)) for report in reports]
    keys = [reminder_key(report, when) for report, when in wanted]
    already = set(session.scalars(
        select(OutboxMessage.idempotency_key).where(OutboxMessage.idempotency_key.in_(keys))
    )) if keys else set()

    counts = {BEFORE: 0, AFTER: 0}
    without_address = 0
    for report, when in wanted:
        if reminder_key(report, when) in already:
            continue
        if not notifications.reminder(session, report, when, label=award_label(report.award),
                                      title=report_title(report), name=report_name(report),
                                      today=today):
            without_address += 1
            continue
        counts[when] += 1
        record_event(session, actor_id=None, action=f"monitoring_report.reminder_{when}",
                     entity_type="monitoring_report", entity_id=report.id,
                     after={"award_id": report.award_id, "due_on": report.due_on.isoformat(),
                            "today": today.isoformat()})
    logger.info("reminders for %s: %d reports made, %d reminders and %d overdue reminders "
                "queued, %d without an address", today, created, counts[BEFORE],
                counts[AFTER], without_address)
    return ReminderRun(reports_created=created, reminders_before=counts[BEFORE],
                       reminders_after=counts[AFTER], without_address=without_address)


def sync_reports(session: Session, today: date) -> int:
    """What the pages never write: make the reports of accepted and paid grants that have
    none, and show "report due" on the applications of paid grants whose end-of-grant report
    is near. Returns how many reports were made."""
    created = _make_missing_reports(session, today)
    move_to_half_years(session, today)
    _mark_reports_due(session, today)
    return created


def _make_missing_reports(session: Session, today: date) -> int:
    """Make the reports of accepted and paid grants that have none (one query to find them)."""
    created = 0
    awards = session.scalars(
        select(Award).where(
            Award.status.in_(MONITORED_STATUSES),
            ~select(MonitoringReport.id).where(MonitoringReport.award_id == Award.id).exists())
        .options(joinedload(Award.round), joinedload(Award.organisation),
                 joinedload(Award.application))
        .order_by(Award.id)
    ).unique().all()
    for award in awards:
        created += len(ensure_reports(session, award, today))
    return created


def _mark_reports_due(session: Session, today: date) -> None:
    """Paid grants whose end-of-grant report is near show "report due" on their application
    (one query to find them)."""
    for report in session.scalars(
        report_list_query().join(Award, Award.id == MonitoringReport.award_id)
        .join(Application, Application.id == Award.application_id)
        .where(MonitoringReport.kind == ReportKind.END_OF_GRANT,
               MonitoringReport.status.in_(OPEN_STATUSES),
               Award.status == AwardStatus.PAID,
               Application.status == ApplicationStatus.PAID,
               MonitoringReport.due_on <= today + timedelta(days=REMINDER_DAYS))
    ).unique().all():
        sync_application_status(session, report.award, [report], today)
