"""The grant holder writing a report and sending it to the grants team."""

import logging
from dataclasses import asdict, replace

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from grants.accounts.models import User
from grants.auth import permissions
from grants.awards.models import Award, AwardStatus
from grants.core import clock
from grants.core.errors import NotFound, ValidationFailed
from grants.core.formatting import format_london_date
from grants.core.translatable import N_, Moment, Words
from grants.monitoring import notifications
from grants.monitoring.models import MonitoringProject, MonitoringReport, ReportKind, ReportStatus
from grants.monitoring.operations.answers import (
    ProjectAnswer,
    ReportAnswers,
    answer_errors,
    completeness_errors,
    kept_projects,
)
from grants.monitoring.operations.guard import MonitoringRefused, check_member, locked_report
from grants.monitoring.operations.schedule import MONITORED_STATUSES, ensure_reports
from grants.monitoring.operations.wording import award_label, count_words, report_name, report_title
from grants.plans.models import KeyAim, Plan, Priority
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)


def project_priorities(session: Session) -> list[Priority]:
    """The priorities (with their key aims) a project can say it supports: the current
    plan's, still in use."""
    return list(session.scalars(
        select(Priority).join(Plan).where(Plan.is_current, Priority.retired_at.is_(None))
        .options(selectinload(Priority.key_aims)).order_by(Priority.number)))


NO_LONGER_OWED = N_("This return is no longer owed: the grant's dates changed, so this period "
                    "is outside it")


def why_not_editable(report: MonitoringReport) -> str | None:
    """Why the recipient cannot change the report now, or None when they can (marked words,
    said in the page's language where shown)."""
    if report.award.status is AwardStatus.CLOSED:
        return N_("This grant is closed, so its reports cannot change")
    if report.award.status not in MONITORED_STATUSES:
        return N_("This grant has no reports to send")
    if report.status is ReportStatus.CANCELLED:
        return NO_LONGER_OWED
    if report.status is ReportStatus.SUBMITTED:
        if report.submitted_at:
            return Words(N_("You sent this report on %(day)s. We will tell you if we need "
                            "anything more"),
                         day=Moment(report.submitted_at, show=format_london_date))
        return N_("You sent this report. We will tell you if we need anything more")
    if report.status is ReportStatus.ACCEPTED:
        return N_("We have accepted this report")
    return None


def save_report(session: Session, user: User, report: MonitoringReport,
                answers: ReportAnswers, *, send: bool,
                team_address: str | None = None) -> MonitoringReport:
    """Save the recipient's answers; with `send`, check they are complete and send the report
    to the grants team (emailed at `team_address`, when the service has one). A draft keeps
    whatever passes the field checks, complete or not."""
    check_member(user, report)
    report = locked_report(session, report)
    MonitoringRefused.raise_if(why_not_editable(report))
    is_end_of_grant = report.kind is ReportKind.END_OF_GRANT
    answers = ReportAnswers(
        delivered=(answers.delivered or "").strip(),
        outcomes_achieved=(answers.outcomes_achieved or "").strip(),
        beneficiaries_reached=answers.beneficiaries_reached,
        spent_pence=answers.spent_pence,
        # Only the end-of-grant report returns money.
        underspend_pence=answers.underspend_pence if is_end_of_grant else None,
        case_study=(answers.case_study or "").strip(),
        projects=kept_projects(report, answers.projects))
    errors = answer_errors(answers)
    if send and not errors:
        errors = completeness_errors(report, answers)
    if errors:
        raise ValidationFailed(errors)
    if send and is_end_of_grant and answers.underspend_pence is None:
        # Spent all of it (or more): nothing to return.
        answers = replace(answers, underspend_pence=0)

    before = report_snapshot(report)
    for name, value in asdict(answers).items():
        if name != "projects":
            setattr(report, name, value)
    if answers.projects is not None:
        _store_projects(session, report, answers.projects)
    previous_status = report.status
    if send:
        report.status = ReportStatus.SUBMITTED
        report.submitted_at = clock.utcnow()
        report.submitted_by_id = user.id
    session.flush()
    record_event(session, actor_id=user.id,
                 action="monitoring_report.submitted" if send else "monitoring_report.saved",
                 entity_type="monitoring_report", entity_id=report.id,
                 before={**before, "status": previous_status.value},
                 after=report_snapshot(report))
    if send:
        notifications.report_sent(session, report, team_address,
                                  label=award_label(report.award), title=report_title(report),
                                  name=report_name(report))
        logger.info("monitoring report %s of award %s sent by user %s", report.id,
                    report.award_id, user.id)
    return report


def _store_projects(session: Session, report: MonitoringReport,
                    projects: tuple[ProjectAnswer, ...]) -> None:
    """Replace the report's projects with those typed; a key aim brings its priority."""
    aim_ids = {aim_id for p in projects for aim_id in p.key_aim_ids}
    aims = {a.id: a for a in session.scalars(select(KeyAim).where(KeyAim.id.in_(aim_ids)))}
    priority_ids = {pid for p in projects for pid in p.priority_ids} | {
        a.priority_id for a in aims.values()}
    priorities = {p.id: p for p in session.scalars(
        select(Priority).where(Priority.id.in_(priority_ids)))}
    if set(aims) != aim_ids or not {pid for p in projects for pid in p.priority_ids} <= set(
            priorities):
        raise ValidationFailed({"project_0_priorities": "Choose priorities and key aims from "
                                                        "the list"})
    for project in list(report.projects):
        report.projects.remove(project)
        session.delete(project)
    session.flush()
    for position, project in enumerate(projects):
        chosen_aims = [aims[aim_id] for aim_id in project.key_aim_ids]
        wanted = set(project.priority_ids) | {aim.priority_id for aim in chosen_aims}
        report.projects.append(MonitoringProject(
            position=position, name=project.name, description=project.description,
            spent_pence=project.spent_pence or 0,
            priorities=[priorities[pid] for pid in sorted(wanted)], key_aims=chosen_aims))
    session.flush()


def report_snapshot(report: MonitoringReport) -> dict:
    """What the record keeps of a report's answers: the figures, and how long each text is."""
    return {"award_id": report.award_id, "kind": report.kind.value,
            "status": report.status.value,
            "beneficiaries_reached": report.beneficiaries_reached,
            "spent_pence": report.spent_pence, "underspend_pence": report.underspend_pence,
            "delivered_words": count_words(report.delivered),
            "outcomes_achieved_words": count_words(report.outcomes_achieved),
            "case_study_words": count_words(report.case_study),
            "projects": [{"name": p.name, "spent_pence": p.spent_pence,
                          "priority_ids": sorted(x.id for x in p.priorities),
                          "key_aim_ids": sorted(x.id for x in p.key_aims)}
                         for p in report.projects]}


def start_reports(session: Session, user: User, award: Award) -> list[MonitoringReport]:
    """Make the award's reports now, for a recipient who starts one before the daily run has
    made them (a POST: pages only read)."""
    if not permissions.may_report_on(user, award):
        raise NotFound("There is no such award")
    return ensure_reports(session, award)
