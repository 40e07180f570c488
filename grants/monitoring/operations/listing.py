"""What the monitoring pages read: an award or report with what its page shows, staff's
overview of reports owed and sent, and the names of the people on them."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from grants.accounts.models import User
from grants.auth import permissions
from grants.awards.models import Award
from grants.core.errors import only_if_visible, or_not_found
from grants.monitoring.models import MonitoringProject, MonitoringReport, ReportStatus
from grants.monitoring.operations.schedule import MONITORED_STATUSES, OPEN_STATUSES

# Each staff list shows at most this many reports (the oldest first).
LIST_LIMIT = 200
DUE_SOON_DAYS = 30


def get_award(session: Session, award_id: int) -> Award:
    """The award with what the monitoring pages read."""
    award = session.scalars(
        select(Award).where(Award.id == award_id)
        .options(joinedload(Award.round), joinedload(Award.organisation),
                 joinedload(Award.application))
    ).unique().one_or_none()
    return or_not_found(award, "There is no such award")


def get_report(session: Session, report_id: int) -> MonitoringReport:
    """The report with its award, organisation, application, round and documents."""
    report = session.scalars(
        select(MonitoringReport).where(MonitoringReport.id == report_id)
        .options(joinedload(MonitoringReport.award).options(
            joinedload(Award.round), joinedload(Award.organisation),
            joinedload(Award.application)),
            selectinload(MonitoringReport.documents),
            selectinload(MonitoringReport.projects).options(
                selectinload(MonitoringProject.priorities),
                selectinload(MonitoringProject.key_aims)))
    ).unique().one_or_none()
    return or_not_found(report, "There is no such report")


def members_award(session: Session, user: User, award_id: int) -> Award:
    """The award, for a member of the organisation it was made to (no one else knows it)."""
    award = get_award(session, award_id)
    return only_if_visible(award, permissions.may_report_on(user, award), "There is no such award")


def members_report(session: Session, user: User, report_id: int) -> MonitoringReport:
    """The report, for a member of the organisation that owes it (no one else knows it)."""
    report = get_report(session, report_id)
    return only_if_visible(report, permissions.may_report_on(user, report.award),
                           "There is no such report")


def readable_report(session: Session, user: User, report_id: int) -> MonitoringReport:
    """The report, for its organisation's members and for staff."""
    report = get_report(session, report_id)
    return only_if_visible(report, permissions.may_report_on(user, report.award)
                           or permissions.may_review_reports(user), "There is no such report")


@dataclass(frozen=True)
class Overview:
    overdue: list[MonitoringReport]
    due_soon: list[MonitoringReport]
    awaiting_review: list[MonitoringReport]
    limit: int = LIST_LIMIT


def report_list_query():
    """Reports with the award, organisation, application and round their rows show."""
    return select(MonitoringReport).options(
        joinedload(MonitoringReport.award).options(
            joinedload(Award.organisation), joinedload(Award.application),
            joinedload(Award.round)))


def monitoring_overview(session: Session, today: date) -> Overview:
    """Reports still owed after their due date, owed in the next 30 days, and sent and waiting
    for review, oldest first: one query each, whatever the number of reports."""
    owed = report_list_query().join(Award, Award.id == MonitoringReport.award_id).where(
        MonitoringReport.status.in_(OPEN_STATUSES), Award.status.in_(MONITORED_STATUSES))
    order = (MonitoringReport.due_on, MonitoringReport.id)
    overdue = session.scalars(owed.where(MonitoringReport.due_on < today)
                              .order_by(*order).limit(LIST_LIMIT)).unique().all()
    due_soon = session.scalars(
        owed.where(MonitoringReport.due_on >= today,
                   MonitoringReport.due_on <= today + timedelta(days=DUE_SOON_DAYS))
        .order_by(*order).limit(LIST_LIMIT)).unique().all()
    awaiting = session.scalars(
        report_list_query().where(MonitoringReport.status == ReportStatus.SUBMITTED)
        .order_by(MonitoringReport.submitted_at, MonitoringReport.id).limit(LIST_LIMIT)
    ).unique().all()
    return Overview(overdue=list(overdue), due_soon=list(due_soon),
                    awaiting_review=list(awaiting))


def people_names(session: Session, user_ids: Iterable[int | None]) -> dict[int, str]:
    """The names of the people named on reports, variations and repayments (one query)."""
    ids = {user_id for user_id in user_ids if user_id is not None}
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())
