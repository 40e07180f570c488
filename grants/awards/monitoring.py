"""Monitoring a grant: the reports a recipient owes, sending them, staff accepting them or
asking for more, variations that move the end date, and repayments of unspent money.

A grant owes one end-of-grant report, due 3 months after the project ends; a round whose
`monitoring` is TWICE_YEARLY also asks for a return every 6 months from acceptance until the
end. The reports are made (`ensure_reports`) when the recipient first opens their monitoring
page, or by the daily `reminders send` command, whichever comes first.

Changes to an award's reports, variations and repayments lock the award's row first
(`offers.lock_award`), so they never interleave with each other or with payments.
"""

import logging
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta

from flask import current_app, render_template
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from grants.accounts.models import User
from grants.applications.models import ApplicationStatus
from grants.auth import permissions
from grants.awards.models import (
    Award,
    AwardSource,
    AwardStatus,
    MonitoringDocument,
    MonitoringProject,
    MonitoringReport,
    Payment,
    PaymentStatus,
    Repayment,
    ReportKind,
    ReportStatus,
    Variation,
)
from grants.awards.operations.finding import lock_award
from grants.awards.operations.terms import REPORT_MONTHS_AFTER_END, SPENDING_MONTHS, add_months
from grants.core import clock
from grants.core.errors import NotFound, Refusal, ValidationFailed
from grants.core.formatting import format_london_date, format_pounds
from grants.core.links import external_url
from grants.documents.operations.storage import (
    DocumentStorage,
    delete_unless_committed,
    delete_when_committed,
)
from grants.funds.models import MonitoringSchedule
from grants.plans.models import KeyAim, Plan, Priority
from grants.records.operations.audit import record_event
from grants.records.operations.outbox import queue_email

logger = logging.getLogger(__name__)

# Awards that owe reports (and may be varied): accepted, paid in part or in full.
MONITORED_STATUSES = frozenset({AwardStatus.ACCEPTED, AwardStatus.PAID})
# Reports the recipient still owes, and may change.
OPEN_STATUSES = frozenset({ReportStatus.DUE, ReportStatus.MORE_INFORMATION_REQUESTED})
INTERIM_MONTHS = 6
# Reminders go this many days before the due date, and again this many days after it; the
# application shows "report due" from this many days before.
REMINDER_DAYS = 14
DUE_SOON_DAYS = 30
# Each staff list shows at most this many reports (the oldest first).
LIST_LIMIT = 200
# A grant never owes more returns than this (20 years of them), whatever its dates say.
MAX_INTERIM_RETURNS = 40

DELIVERED_WORDS = 500
OUTCOMES_WORDS = 500
CASE_STUDY_WORDS = 500
MAX_BENEFICIARIES = 10_000_000
MAX_COMMENT = 2000
MAX_REASON = 2000
MAX_PURPOSE = 2000
MAX_REFERENCE = 100
MAX_DOCUMENTS = 10
MAX_PROJECTS = 20
MAX_PROJECT_NAME = 300
PROJECT_DESCRIPTION_WORDS = 250


class MonitoringRefused(Refusal):
    """The report, variation or repayment cannot be made now; the message says why."""


def count_words(text: str | None) -> int:
    """Words as the character count component counts them: runs of non-space characters."""
    return len(re.findall(r"\S+", text or ""))


# --- Labels -------------------------------------------------------------------------------

def award_label(award: Award) -> str:
    """The application's reference, or the award's title, for subjects and headings."""
    application = award.application
    if application is not None and application.reference:
        return application.reference
    return award.title or f"Award {award.id}"


def report_title(report: MonitoringReport) -> str:
    if report.kind is ReportKind.END_OF_GRANT:
        return "End-of-grant report"
    return f"Monitoring return: {report.period}" if report.period else "Monitoring return"


def report_name(report: MonitoringReport) -> str:
    """The report as a sentence names it: "end-of-grant report", "monitoring return for April
    to September 2026"."""
    if report.kind is ReportKind.END_OF_GRANT:
        return "end-of-grant report"
    return f"monitoring return for {report.period}" if report.period else "monitoring return"


# --- The schedule -------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    """The months one twice-yearly return covers, and when it is due."""

    starts_on: date
    ends_on: date
    due_on: date

    @property
    def label(self) -> str:
        """ "April to September 2026", or "October 2026 to March 2027" across a new year."""
        if self.starts_on.year == self.ends_on.year:
            return f"{self.starts_on:%B} to {self.ends_on:%B %Y}"
        return f"{self.starts_on:%B %Y} to {self.ends_on:%B %Y}"


def interim_periods(accepted_on: date, end_on: date) -> list[Period]:
    """The twice-yearly returns of a grant accepted on `accepted_on` whose project ends on
    `end_on`: 6 whole months each, from the month of acceptance, each due by the end of the
    month after it. Only periods that end before the project does get a return; the
    end-of-grant report covers the last stretch."""
    first_month = accepted_on.replace(day=1)
    periods = []
    for index in range(MAX_INTERIM_RETURNS):
        starts_on = add_months(first_month, INTERIM_MONTHS * index)
        next_start = add_months(first_month, INTERIM_MONTHS * (index + 1))
        ends_on = next_start - timedelta(days=1)
        if ends_on >= end_on:
            break
        due_on = add_months(next_start, 1) - timedelta(days=1)
        periods.append(Period(starts_on=starts_on, ends_on=ends_on, due_on=due_on))
    return periods


def accepted_on(award: Award) -> date:
    """The day the offer was accepted (as the recipient dated it), in London."""
    if award.accepted_on is not None:
        return award.accepted_on
    if award.accepted_at is not None:
        return clock.to_london(award.accepted_at).date()
    return clock.today_in_london()


def project_end_on(session: Session, award: Award) -> date:
    """When the project ends now: the latest variation's new end date, else the application's
    planned end, else 12 months of spending after acceptance."""
    varied = session.scalars(
        select(Variation.new_end_on)
        .where(Variation.award_id == award.id, Variation.new_end_on.is_not(None))
        .order_by(Variation.agreed_at.desc(), Variation.id.desc()).limit(1)
    ).first()
    if varied is not None:
        return varied
    application = award.application
    if application is not None and application.planned_end is not None:
        return application.planned_end
    return add_months(accepted_on(award), SPENDING_MONTHS)


def end_of_grant_due_on(session: Session, award: Award) -> date:
    """When the end-of-grant report is due: the award's date (set on acceptance, moved by
    variations), else 3 months after the project ends."""
    if award.report_due_on is not None:
        return award.report_due_on
    return add_months(project_end_on(session, award), REPORT_MONTHS_AFTER_END)


def reports_of(session: Session, award: Award) -> list[MonitoringReport]:
    """The award's reports, soonest due first (the end-of-grant report last on a tie)."""
    return list(session.scalars(
        select(MonitoringReport).where(MonitoringReport.award_id == award.id)
        .options(selectinload(MonitoringReport.documents))
        .order_by(MonitoringReport.due_on, MonitoringReport.kind.desc(), MonitoringReport.id)
    ))


def ensure_reports(session: Session, award: Award,
                   today: date | None = None) -> list[MonitoringReport]:
    """Make the reports an accepted or paid award owes, when it has none yet; then show the
    application as "report due" once a paid award's end-of-grant report is near. Safe to call
    on every visit: the second call finds the reports and makes nothing."""
    today = today or clock.today_in_london()
    reports = reports_of(session, award)
    if not reports and award.status in MONITORED_STATUSES:
        award = lock_award(session, award.id)
        reports = reports_of(session, award)  # made by someone else while we waited?
        if not reports and award.status in MONITORED_STATUSES:
            reports = _create_reports(session, award)
    if award.status in MONITORED_STATUSES:
        sync_application_status(session, award, reports, today)
    return reports


def _create_reports(session: Session, award: Award) -> list[MonitoringReport]:
    due_on = end_of_grant_due_on(session, award)
    if award.report_due_on is None:
        award.report_due_on = due_on
    reports = [MonitoringReport(award_id=award.id, kind=ReportKind.END_OF_GRANT,
                                due_on=due_on, status=ReportStatus.DUE)]
    if award.round.monitoring is MonitoringSchedule.TWICE_YEARLY:
        reports += [
            MonitoringReport(award_id=award.id, kind=ReportKind.INTERIM, due_on=period.due_on,
                             period=period.label, status=ReportStatus.DUE)
            for period in interim_periods(accepted_on(award), project_end_on(session, award))]
    session.add_all(reports)
    session.flush()
    record_event(session, actor_id=None, action="award.reports_scheduled", entity_type="award",
                 entity_id=award.id, after={"reports": [_schedule_entry(r) for r in reports]})
    logger.info("award %s: %d monitoring reports scheduled", award.id, len(reports))
    return reports_of(session, award)


def _schedule_entry(report: MonitoringReport) -> dict:
    return {"report_id": report.id, "kind": report.kind.value, "due_on": report.due_on.isoformat(),
            "period": report.period}


def end_of_grant_report(reports: Iterable[MonitoringReport]) -> MonitoringReport | None:
    return next((r for r in reports if r.kind is ReportKind.END_OF_GRANT), None)


def sync_application_status(session: Session, award: Award, reports: list[MonitoringReport],
                            today: date) -> None:
    """A paid award's application shows "report due" from 14 days before the end-of-grant
    report is due until the grant closes; a variation that moves the date away shows it paid
    again."""
    application = award.application
    report = end_of_grant_report(reports)
    if (application is None or report is None or award.status is not AwardStatus.PAID
            or application.status not in {ApplicationStatus.PAID,
                                          ApplicationStatus.MONITORING_DUE}):
        return
    due_soon = today >= report.due_on - timedelta(days=REMINDER_DAYS)
    wanted = ApplicationStatus.MONITORING_DUE if due_soon else ApplicationStatus.PAID
    if application.status is wanted:
        return
    before = application.status
    application.status = wanted
    session.flush()
    record_event(session, actor_id=None, action="application.status_changed",
                 entity_type="application", entity_id=application.id,
                 before={"status": before.value},
                 after={"status": wanted.value, "report_id": report.id,
                        "report_due_on": report.due_on.isoformat()})


# --- Finding ------------------------------------------------------------------------------

def get_award(session: Session, award_id: int) -> Award:
    """The award with what the monitoring pages read."""
    award = session.scalars(
        select(Award).where(Award.id == award_id)
        .options(joinedload(Award.round), joinedload(Award.organisation),
                 joinedload(Award.application))
    ).unique().one_or_none()
    if award is None:
        raise NotFound("There is no such award")
    return award


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
    if report is None:
        raise NotFound("There is no such report")
    return report


def _locked_report(session: Session, report: MonitoringReport) -> MonitoringReport:
    """The report read afresh after locking its award's row."""
    lock_award(session, report.award_id)
    session.refresh(report)
    session.refresh(report, ["documents", "projects"])
    return report


# --- The recipient's report ---------------------------------------------------------------

@dataclass(frozen=True)
class ProjectAnswer:
    """A project funded, as the recipient typed it (a line left blank is not a project)."""

    name: str = ""
    description: str = ""
    spent_pence: int | None = None
    priority_ids: tuple[int, ...] = ()
    key_aim_ids: tuple[int, ...] = ()

    @property
    def is_blank(self) -> bool:
        return not (self.name.strip() or self.description.strip() or self.priority_ids
                    or self.key_aim_ids or self.spent_pence is not None)


@dataclass(frozen=True)
class ReportAnswers:
    """What the recipient typed, already turned into numbers where they are numbers."""

    delivered: str = ""
    outcomes_achieved: str = ""
    beneficiaries_reached: int | None = None
    spent_pence: int | None = None
    underspend_pence: int | None = None
    case_study: str = ""
    # The projects funded, for returns that list them (None: leave the report's as they are).
    projects: tuple[ProjectAnswer, ...] | None = None


def reports_projects(award: Award) -> bool:
    """Formula allocations to councils and partnerships are spent on projects of their
    choosing, so their returns list each project and the priorities it supports."""
    return award.source is AwardSource.ALLOCATION


def project_priorities(session: Session) -> list[Priority]:
    """The priorities (with their key aims) a project can say it supports: the current
    plan's, still in use."""
    return list(session.scalars(
        select(Priority).join(Plan).where(Plan.is_current, Priority.retired_at.is_(None))
        .options(selectinload(Priority.key_aims)).order_by(Priority.number)))


def why_not_editable(report: MonitoringReport) -> str | None:
    """Why the recipient cannot change the report now, or None when they can."""
    if report.award.status is AwardStatus.CLOSED:
        return "This grant is closed, so its reports cannot change"
    if report.award.status not in MONITORED_STATUSES:
        return "This grant has no reports to send"
    if report.status is ReportStatus.SUBMITTED:
        when = format_london_date(report.submitted_at) if report.submitted_at else ""
        return (f"You sent this report{' on ' + when if when else ''}. We will tell you if we "
                "need anything more")
    if report.status is ReportStatus.ACCEPTED:
        return "We have accepted this report"
    return None


def expected_underspend(report: MonitoringReport, spent_pence: int) -> int:
    """What an end-of-grant report must return: the award less what was spent, or nothing."""
    return max(report.award.amount_pence - spent_pence, 0)


def save_report(session: Session, user: User, report: MonitoringReport,
                answers: ReportAnswers, *, send: bool) -> MonitoringReport:
    """Save the recipient's answers; with `send`, check they are complete and send the report
    to the grants team. A draft keeps whatever passes the field checks, complete or not."""
    _check_member(user, report)
    report = _locked_report(session, report)
    refusal = why_not_editable(report)
    if refusal:
        raise MonitoringRefused(refusal)
    is_end_of_grant = report.kind is ReportKind.END_OF_GRANT
    answers = ReportAnswers(
        delivered=(answers.delivered or "").strip(),
        outcomes_achieved=(answers.outcomes_achieved or "").strip(),
        beneficiaries_reached=answers.beneficiaries_reached,
        spent_pence=answers.spent_pence,
        # Only the end-of-grant report returns money.
        underspend_pence=answers.underspend_pence if is_end_of_grant else None,
        case_study=(answers.case_study or "").strip(),
        projects=_kept_projects(report, answers.projects))
    errors = _answer_errors(answers)
    if send and not errors:
        errors = _completeness_errors(report, answers)
    if errors:
        raise ValidationFailed(errors)
    if send and is_end_of_grant and answers.underspend_pence is None:
        # Spent all of it (or more): nothing to return.
        answers = replace(answers, underspend_pence=0)

    before = _report_snapshot(report)
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
                 after=_report_snapshot(report))
    if send:
        _email_grants_team(session, report)
        logger.info("monitoring report %s of award %s sent by user %s", report.id,
                    report.award_id, user.id)
    return report


def _kept_projects(report: MonitoringReport, projects: tuple[ProjectAnswer, ...] | None
                   ) -> tuple[ProjectAnswer, ...] | None:
    """The projects typed, without blank lines and trimmed; None for returns without them."""
    if projects is None or not reports_projects(report.award):
        return None
    return tuple(ProjectAnswer(name=" ".join(p.name.split()), description=p.description.strip(),
                               spent_pence=p.spent_pence, priority_ids=tuple(p.priority_ids),
                               key_aim_ids=tuple(p.key_aim_ids))
                 for p in projects if not p.is_blank)


def _project_errors(projects: tuple[ProjectAnswer, ...]) -> dict[str, str]:
    """What is wrong with each project typed, keyed by its line's fields (project_0_name)."""
    errors = {}
    if len(projects) > MAX_PROJECTS:
        errors["project_0_name"] = f"List {MAX_PROJECTS} projects or fewer"
    for index, project in enumerate(projects):
        prefix, number = f"project_{index}_", index + 1
        if not project.name:
            errors[prefix + "name"] = f"Enter the name of project {number}"
        elif len(project.name) > MAX_PROJECT_NAME:
            errors[prefix + "name"] = (f"The name of project {number} must be "
                                       f"{MAX_PROJECT_NAME} characters or fewer")
        if count_words(project.description) > PROJECT_DESCRIPTION_WORDS:
            errors[prefix + "description"] = (f"The description of project {number} must be "
                                              f"{PROJECT_DESCRIPTION_WORDS} words or fewer")
        if project.spent_pence is None:
            errors[prefix + "spent"] = f"Enter how much was spent on project {number}"
        elif project.spent_pence < 0:
            errors[prefix + "spent"] = "Enter an amount of £0 or more"
    return errors


def _project_completeness_errors(answers: ReportAnswers) -> dict[str, str]:
    projects = answers.projects or ()
    if not projects:
        return {"project_0_name": "List at least one project the grant funded"}
    errors = {}
    for index, project in enumerate(projects):
        prefix, number = f"project_{index}_", index + 1
        if not project.priority_ids and not project.key_aim_ids:
            errors[prefix + "priorities"] = (f"Choose the priorities project {number} "
                                             "supports")
    total = sum(p.spent_pence or 0 for p in projects)
    if not errors and answers.spent_pence is not None and total > answers.spent_pence:
        errors["spent"] = (f"The projects' spending adds up to {format_pounds(total)}, more "
                           f"than the {format_pounds(answers.spent_pence)} you say you spent")
    return errors


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


def _answer_errors(answers: ReportAnswers) -> dict[str, str]:
    """What is wrong with the answers as typed, whether sending or saving a draft."""
    errors = _project_errors(answers.projects or ())
    for field, words, name in [("delivered", DELIVERED_WORDS, "What you delivered"),
                               ("outcomes_achieved", OUTCOMES_WORDS, "Outcomes achieved"),
                               ("case_study", CASE_STUDY_WORDS, "Case study")]:
        if count_words(getattr(answers, field)) > words:
            errors[field] = f"{name} must be {words} words or fewer"
    reached = answers.beneficiaries_reached
    if reached is not None and reached < 0:
        errors["beneficiaries_reached"] = "Enter a number of people of 0 or more"
    elif reached is not None and reached > MAX_BENEFICIARIES:
        errors["beneficiaries_reached"] = (f"Enter a number of people of {MAX_BENEFICIARIES:,} "
                                           "or fewer")
    if answers.spent_pence is not None and answers.spent_pence < 0:
        errors["spent"] = "Enter an amount of £0 or more"
    if answers.underspend_pence is not None and answers.underspend_pence < 0:
        errors["underspend"] = "Enter an amount of £0 or more"
    return errors


def _completeness_errors(report: MonitoringReport, answers: ReportAnswers) -> dict[str, str]:
    errors = {}
    if not answers.delivered:
        errors["delivered"] = "Describe what the project delivered"
    if not answers.outcomes_achieved:
        errors["outcomes_achieved"] = "Describe the outcomes achieved"
    if answers.beneficiaries_reached is None:
        errors["beneficiaries_reached"] = "Enter how many people the project reached"
    if answers.spent_pence is None:
        errors["spent"] = "Enter how much of the grant was spent"
    elif report.kind is ReportKind.END_OF_GRANT:
        message = _underspend_error(report, answers.spent_pence, answers.underspend_pence)
        if message:
            errors["underspend"] = message
    if answers.projects is not None:
        errors = {**_project_completeness_errors(answers), **errors}
    return errors


def _underspend_error(report: MonitoringReport, spent_pence: int,
                      underspend_pence: int | None) -> str | None:
    """The underspend must be the grant less what was spent (nothing when all was spent)."""
    amount = report.award.amount_pence
    expected = expected_underspend(report, spent_pence)
    if expected == 0:
        if underspend_pence:
            return (f"You spent {format_pounds(spent_pence)} of the grant of "
                    f"{format_pounds(amount)}, so there is no underspend to return. Enter 0")
        return None
    why = (f"the grant of {format_pounds(amount)} less the {format_pounds(spent_pence)} "
           "spent")
    if underspend_pence is None:
        return f"Enter the underspend to return: {format_pounds(expected)} ({why})"
    if underspend_pence != expected:
        return f"The underspend to return must be {format_pounds(expected)}: {why}"
    return None


def _report_snapshot(report: MonitoringReport) -> dict:
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


def _check_member(user: User, report: MonitoringReport) -> None:
    """Only the recipient organisation's members know of its reports."""
    if not permissions.may_report_on(user, report.award):
        raise NotFound("There is no such report")


# --- Documents ----------------------------------------------------------------------------

def upload_report_document(session: Session, storage: DocumentStorage, user: User,
                           report: MonitoringReport, checked) -> MonitoringDocument:
    """Store a checked file (`grants.applications.documents.check_file`) with the report. The
    file is deleted again if the transaction does not commit."""
    _check_member(user, report)
    report = _locked_report(session, report)
    refusal = why_not_editable(report)
    if refusal:
        raise MonitoringRefused(refusal)
    if len(report.documents) >= MAX_DOCUMENTS:
        raise ValidationFailed({"document_file": f"You can send up to {MAX_DOCUMENTS} "
                                                 "documents. Remove one to add another"})
    key = storage.save(checked.data)
    delete_unless_committed(session, storage, key)
    document = MonitoringDocument(
        report_id=report.id, original_filename=checked.original_filename, storage_key=key,
        content_type=checked.content_type, size_bytes=checked.size_bytes,
        sha256=checked.sha256, uploaded_at=clock.utcnow(), uploaded_by_id=user.id)
    session.add(document)
    session.flush()
    session.expire(report, ["documents"])
    record_event(session, actor_id=user.id, action="monitoring_report.document_uploaded",
                 entity_type="monitoring_report", entity_id=report.id,
                 after=_describe(document))
    logger.info("document %s uploaded to monitoring report %s", document.id, report.id)
    return document


def remove_report_document(session: Session, storage: DocumentStorage, user: User,
                           report: MonitoringReport, document_id: int) -> MonitoringDocument:
    """Remove one of the report's documents; its file goes once the removal commits."""
    _check_member(user, report)
    report = _locked_report(session, report)
    document = find_document(report, document_id)
    refusal = why_not_editable(report)
    if refusal:
        raise MonitoringRefused(refusal)
    before = _describe(document)
    report.documents.remove(document)
    session.delete(document)
    session.flush()
    delete_when_committed(session, storage, document.storage_key)
    record_event(session, actor_id=user.id, action="monitoring_report.document_removed",
                 entity_type="monitoring_report", entity_id=report.id, before=before)
    logger.info("document %s removed from monitoring report %s", document_id, report.id)
    return document


def find_document(report: MonitoringReport, document_id: int) -> MonitoringDocument:
    document = next((doc for doc in report.documents if doc.id == document_id), None)
    if document is None:
        raise NotFound("There is no such document")
    return document


def _describe(document: MonitoringDocument) -> dict:
    """What the record keeps of a document: never its content."""
    return {"document_id": document.id, "filename": document.original_filename,
            "size_bytes": document.size_bytes, "sha256": document.sha256}


# --- Staff: reviewing ---------------------------------------------------------------------

def _check_staff(user: User) -> None:
    if not permissions.may_review_reports(user):
        raise MonitoringRefused("Only staff can review reports")


def why_not_reviewable(report: MonitoringReport) -> str | None:
    """Why staff cannot accept the report or ask for more now, or None when they can."""
    if report.status is ReportStatus.ACCEPTED:
        return "This report has been accepted"
    if report.status is not ReportStatus.SUBMITTED:
        return "The recipient has not sent this report yet"
    return None


def accept_report(session: Session, user: User, report: MonitoringReport) -> MonitoringReport:
    """Accept a sent report. Accepting the end-of-grant report closes the grant and its
    application. Accepting an accepted report again (a double click) changes nothing."""
    _check_staff(user)
    report = _locked_report(session, report)
    if report.status is ReportStatus.ACCEPTED:
        return report
    refusal = why_not_reviewable(report)
    if refusal:
        raise MonitoringRefused(refusal)
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
    _check_staff(user)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationFailed({"comment": "Enter what more you need from the recipient"})
    if len(comment) > MAX_COMMENT:
        raise ValidationFailed({"comment": f"What you need must be {MAX_COMMENT} characters "
                                           "or fewer"})
    report = _locked_report(session, report)
    refusal = why_not_reviewable(report)
    if refusal:
        raise MonitoringRefused(refusal)
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
    email_organisation(session, report.award, "more_information",
                        subject=f"We need more information: {report_title(report)}, "
                                f"{award_label(report.award)}",
                        key=f"report-more-information:{report.id}:"
                            f"{report.reviewed_at.isoformat()}",
                        report=report)
    logger.info("monitoring report %s of award %s sent back by user %s", report.id,
                report.award_id, user.id)
    return report


# --- Staff: repayments --------------------------------------------------------------------

@dataclass(frozen=True)
class MoneyBack:
    paid_pence: int  # approved payments
    repaid_pence: int

    @property
    def repayable_pence(self) -> int:
        """The most a further repayment can be: what was paid less what came back already."""
        return max(self.paid_pence - self.repaid_pence, 0)


def money_back(session: Session, award: Award) -> MoneyBack:
    """The award's approved payments and repayments, added up in the database (two queries)."""
    paid = session.scalar(
        select(func.coalesce(func.sum(Payment.amount_pence), 0))
        .where(Payment.award_id == award.id, Payment.status == PaymentStatus.APPROVED))
    repaid = session.scalar(
        select(func.coalesce(func.sum(Repayment.amount_pence), 0))
        .where(Repayment.award_id == award.id))
    return MoneyBack(paid_pence=int(paid), repaid_pence=int(repaid))


def record_repayment(session: Session, user: User, award: Award, *, amount_pence: int | None,
                     received_on: date | None, reference: str) -> Repayment:
    """Record money the recipient paid back; it returns to the fund. Never more than was
    paid, less what was repaid before."""
    _check_staff(user)
    award = lock_award(session, award.id)
    totals = money_back(session, award)
    reference = (reference or "").strip()
    errors = {}
    if amount_pence is None:
        errors["amount"] = "Enter the amount repaid"
    elif amount_pence <= 0:
        errors["amount"] = "Enter an amount of more than £0"
    elif totals.repayable_pence <= 0:
        errors["amount"] = ("Nothing can be repaid: " + (
            "none of this grant has been paid" if totals.paid_pence == 0 else
            f"the {format_pounds(totals.paid_pence)} paid has all been repaid"))
    elif amount_pence > totals.repayable_pence:
        errors["amount"] = (
            f"The repayment must be {format_pounds(totals.repayable_pence)} or less: the "
            f"{format_pounds(totals.paid_pence)} paid less "
            f"{format_pounds(totals.repaid_pence)} repaid before")
    if received_on is None:
        errors["received_on"] = "Enter the date the repayment was received"
    elif received_on > clock.today_in_london():
        errors["received_on"] = "The date received must be today or in the past"
    if not reference:
        errors["reference"] = "Enter the repayment reference"
    elif len(reference) > MAX_REFERENCE:
        errors["reference"] = f"The reference must be {MAX_REFERENCE} characters or fewer"
    if errors:
        raise ValidationFailed(errors)

    repayment = Repayment(award_id=award.id, amount_pence=amount_pence,
                          received_on=received_on, reference=reference,
                          recorded_by_id=user.id, recorded_at=clock.utcnow())
    session.add(repayment)
    session.flush()
    record_event(session, actor_id=user.id, action="award.repayment_recorded",
                 entity_type="award", entity_id=award.id,
                 before={"repaid_pence": totals.repaid_pence},
                 after={"repayment_id": repayment.id, "amount_pence": amount_pence,
                        "received_on": received_on.isoformat(), "reference": reference,
                        "repaid_pence": totals.repaid_pence + amount_pence})
    logger.info("repayment %s of %d pence recorded against award %s (round %s) by user %s",
                repayment.id, amount_pence, award.id, award.round_id, user.id)
    return repayment


def repayments_of(session: Session, award: Award) -> list[Repayment]:
    return list(session.scalars(
        select(Repayment).where(Repayment.award_id == award.id)
        .order_by(Repayment.received_on, Repayment.id)))


def repaid_pence_by_round(session: Session, round_ids: Iterable[int]) -> dict[int, int]:
    """Money repaid to each round's fund (every round asked for, 0 when none): one query."""
    ids = list(set(round_ids))
    totals = dict.fromkeys(ids, 0)
    if not ids:
        return totals
    for round_id, total in session.execute(
        select(Award.round_id, func.sum(Repayment.amount_pence))
        .join(Award, Award.id == Repayment.award_id)
        .where(Award.round_id.in_(ids)).group_by(Award.round_id)
    ):
        totals[round_id] = int(total)
    return totals


# --- Staff: variations --------------------------------------------------------------------

def why_not_variable(award: Award) -> str | None:
    if award.status not in MONITORED_STATUSES:
        if award.status is AwardStatus.CLOSED:
            return "This grant is closed, so it cannot be varied"
        return "Only an accepted grant can be varied"
    return None


def agree_variation(session: Session, user: User, award: Award, *, new_end_on: date | None,
                    changed_purpose: str, reason: str) -> Variation:
    """Record a change staff agreed to the grant: a new end date, a changed purpose, or both,
    with why. A new end date moves the end-of-grant report to 3 months after it."""
    _check_staff(user)
    award = lock_award(session, award.id)
    refusal = why_not_variable(award)
    if refusal:
        raise MonitoringRefused(refusal)
    changed_purpose = (changed_purpose or "").strip()
    reason = (reason or "").strip()
    current_end = project_end_on(session, award)
    errors = _variation_errors(award, current_end, new_end_on, changed_purpose, reason)
    if errors:
        raise ValidationFailed(errors)

    reports = ensure_reports(session, award)
    previous_due = end_of_grant_due_on(session, award)
    new_due = (add_months(new_end_on, REPORT_MONTHS_AFTER_END) if new_end_on is not None
               else previous_due)
    variation = Variation(award_id=award.id, new_end_on=new_end_on,
                          changed_purpose=changed_purpose, reason=reason,
                          previous_report_due_on=previous_due, new_report_due_on=new_due,
                          agreed_by_id=user.id, agreed_at=clock.utcnow())
    session.add(variation)
    award.report_due_on = new_due
    moved = []
    report = end_of_grant_report(reports)
    if report is not None and report.status is ReportStatus.DUE and report.due_on != new_due:
        moved.append({"report_id": report.id, "from": report.due_on.isoformat(),
                      "to": new_due.isoformat()})
        report.due_on = new_due
    session.flush()
    added = _add_missing_returns(session, award, reports)
    record_event(session, actor_id=user.id, action="award.variation_agreed",
                 entity_type="award", entity_id=award.id,
                 before={"end_on": current_end.isoformat(),
                         "report_due_on": previous_due.isoformat()},
                 after={"variation_id": variation.id,
                        "new_end_on": new_end_on.isoformat() if new_end_on else None,
                        "changed_purpose": changed_purpose, "reason": reason,
                        "report_due_on": new_due.isoformat(), "reports_moved": moved,
                        "returns_added": [_schedule_entry(r) for r in added]})
    sync_application_status(session, award, reports_of(session, award),
                            clock.today_in_london())
    email_organisation(session, award, "variation",
                        subject=f"Change to your grant agreed: {award_label(award)}",
                        key=f"award-variation:{variation.id}", variation=variation)
    logger.info("variation %s agreed for award %s by user %s; report due %s (was %s)",
                variation.id, award.id, user.id, new_due, previous_due)
    return variation


def _variation_errors(award: Award, current_end: date, new_end_on: date | None,
                      changed_purpose: str, reason: str) -> dict[str, str]:
    errors = {}
    if new_end_on is None and not changed_purpose:
        errors["new_end_on"] = "Enter the new end date, the changed purpose, or both"
    elif new_end_on is not None:
        application = award.application
        starts_on = application.planned_start if application is not None else None
        if new_end_on == current_end:
            errors["new_end_on"] = (f"The project already ends on "
                                    f"{format_london_date(current_end)}. Enter a different date")
        elif starts_on is not None and new_end_on < starts_on:
            errors["new_end_on"] = ("The new end date must be on or after the project's start, "
                                    f"{format_london_date(starts_on)}")
    if len(changed_purpose) > MAX_PURPOSE:
        errors["changed_purpose"] = (f"The changed purpose must be {MAX_PURPOSE} characters or "
                                     "fewer")
    if not reason:
        errors["reason"] = "Enter why the change was agreed"
    elif len(reason) > MAX_REASON:
        errors["reason"] = f"The reason must be {MAX_REASON} characters or fewer"
    return errors


def _add_missing_returns(session: Session, award: Award,
                         reports: list[MonitoringReport]) -> list[MonitoringReport]:
    """When a later end date brings more twice-yearly periods inside the project, add their
    returns (returns already made are kept as they are)."""
    if award.round.monitoring is not MonitoringSchedule.TWICE_YEARLY:
        return []
    have = {r.period for r in reports if r.kind is ReportKind.INTERIM}
    added = [
        MonitoringReport(award_id=award.id, kind=ReportKind.INTERIM, due_on=period.due_on,
                         period=period.label, status=ReportStatus.DUE)
        for period in interim_periods(accepted_on(award), project_end_on(session, award))
        if period.label not in have]
    session.add_all(added)
    session.flush()
    return added


def variations_of(session: Session, award: Award) -> list[Variation]:
    return list(session.scalars(
        select(Variation).where(Variation.award_id == award.id)
        .order_by(Variation.agreed_at, Variation.id)))


# --- Staff: the overview ------------------------------------------------------------------

@dataclass(frozen=True)
class Overview:
    overdue: list[MonitoringReport]
    due_soon: list[MonitoringReport]
    awaiting_review: list[MonitoringReport]
    limit: int = LIST_LIMIT


def report_list_query():
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


# --- Emails -------------------------------------------------------------------------------

def email_organisation(session: Session, award: Award, kind: str, *, subject: str, key: str,
                        **context) -> bool:
    """Tell the organisation's contact; False when it has no address to tell."""
    address = (award.organisation.contact_email or "").strip()
    if not address:
        logger.warning("award %s: no contact address for the %s email", award.id, kind)
        return False
    body = render_template(
        f"monitoring/emails/{kind}.txt", award=award, label=award_label(award),
        reports_url=external_url("monitoring.award_reports", award_id=award.id),
        report_name=report_name, **context)
    queue_email(session, to_address=address, subject=subject, body_text=body,
                idempotency_key=key)
    return True


def _email_grants_team(session: Session, report: MonitoringReport) -> None:
    """Tell the grants team a report arrived, when the service has their address."""
    address = (current_app.config.get("CONTACT_EMAIL") or "").strip()
    if not address:
        return
    award = report.award
    body = render_template(
        "monitoring/emails/submitted.txt", award=award, report=report,
        label=award_label(award), title=report_title(report), name=report_name(report),
        review_url=external_url("monitoring.review_report", report_id=report.id))
    queue_email(session, to_address=address,
                subject=f"{report_title(report)} sent: {award_label(award)}",
                body_text=body,
                idempotency_key=f"report-submitted:{report.id}:"
                                f"{report.submitted_at.isoformat()}")

