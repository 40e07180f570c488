"""Who may act on a grant's reports, the refusal monitoring raises, and reading a report
afresh under its award's lock."""

from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.auth import permissions
from grants.awards.models import Award
from grants.core.errors import Forbidden, NotFound, Refusal
from grants.core.locks import lock_row
from grants.monitoring.models import MonitoringReport


class MonitoringRefused(Refusal):
    """The report, variation or repayment cannot be made now; the message says why."""


def check_member(user: User, report: MonitoringReport) -> None:
    """Only the recipient organisation's members know of its reports."""
    if not permissions.may_report_on(user, report.award):
        raise NotFound("There is no such report")


def check_staff(user: User) -> None:
    """Only staff review reports and record variations and repayments."""
    if not permissions.may_review_reports(user):
        raise Forbidden("Only staff can review reports")


def locked_report(session: Session, report: MonitoringReport) -> MonitoringReport:
    """The report read afresh after locking its award's row."""
    lock_row(session, Award, report.award_id, missing="There is no such award")
    session.refresh(report)
    session.refresh(report, ["documents", "projects"])
    return report
