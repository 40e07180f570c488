"""The emails monitoring sends: reminders of reports owed, a report sent back for more
information, a variation agreed (to the recipient organisation) and a report arrived (to the
grants team)."""

import logging
from datetime import date

from sqlalchemy.orm import Session

from grants.awards.models import Award
from grants.core.emails import email, rendered
from grants.core.formatting import format_london_date
from grants.core.links import external_url
from grants.monitoring.models import MonitoringReport, Variation
from grants.offices.operations.speaking import office_of_round
from grants.records.operations.outbox import queue_email

logger = logging.getLogger(__name__)

BEFORE, AFTER = "before", "after"

REMINDER_BEFORE = email("monitoring.reminder_before", "{title} due on {due_on_text}: {label}")
REMINDER_AFTER = email("monitoring.reminder_after", "{title} overdue: {label}")
MORE_INFORMATION = email("monitoring.more_information",
                         "We need more information: {title}, {label}")
VARIATION_AGREED = email("monitoring.variation", "Change to your grant agreed: {label}")
REPORT_SENT = email("monitoring.submitted", "{title} sent: {label}")


def reminder_key(report: MonitoringReport, when: str) -> str:
    """Each reminder's own key: queued once per report, however often the daily run runs."""
    return f"report-reminder:{when}:{report.id}"


def _to_organisation(session: Session, award: Award, declared, *, key: str, label: str,
                     **values) -> bool:
    """Tell the organisation's contact; False when it has no address to tell."""
    address = (award.organisation.contact_email or "").strip()
    if not address:
        logger.warning("award %s: no contact address for the %s email", award.id,
                       declared.kind)
        return False
    queue_email(session, to_address=address, idempotency_key=key, **rendered(
        declared, office=office_of_round(session, award.round), award=award, label=label,
        reports_url=external_url("monitoring.award_reports", award_id=award.id), **values))
    return True


def reminder(session: Session, report: MonitoringReport, when: str, *, label: str,
             title: str, name: str, today: date) -> bool:
    """Remind the organisation of a report due soon (BEFORE) or overdue (AFTER)."""
    return _to_organisation(
        session, report.award, REMINDER_AFTER if when == AFTER else REMINDER_BEFORE,
        key=reminder_key(report, when), label=label, report=report, title=title, name=name,
        due_on_text=format_london_date(report.due_on), today=today)


def more_information_requested(session: Session, report: MonitoringReport, *, label: str,
                               title: str, name: str) -> bool:
    return _to_organisation(
        session, report.award, MORE_INFORMATION,
        key=f"report-more-information:{report.id}:{report.reviewed_at.isoformat()}",
        label=label, report=report, title=title, name=name)


def variation_agreed(session: Session, award: Award, variation: Variation, *,
                     label: str) -> bool:
    return _to_organisation(session, award, VARIATION_AGREED,
                            key=f"award-variation:{variation.id}", label=label,
                            variation=variation)


def report_sent(session: Session, report: MonitoringReport, address: str | None, *,
                label: str, title: str, name: str) -> None:
    """Tell the grants team a report arrived, when the service has their address."""
    address = (address or "").strip()
    if not address:
        return
    queue_email(
        session, to_address=address,
        idempotency_key=f"report-submitted:{report.id}:{report.submitted_at.isoformat()}",
        **rendered(REPORT_SENT, office=office_of_round(session, report.award.round),
                   award=report.award, report=report, label=label, title=title,
                   name=name,
                   review_url=external_url("monitoring.review_report", report_id=report.id)))
