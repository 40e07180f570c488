"""Which reports a grant owes, and when.

A grant owes one end-of-grant report, due 3 months after the project ends, and always the last
report due; a round whose `monitoring` is TWICE_YEARLY also asks for a return for each of the
OPCC's half-years (April to September, October to March) from the one in which the grant was
accepted, until the end. When a grant's dates change, `reschedule` works the reports out
again: returns no longer owed are cancelled (kept, never deleted), new ones are added. The daily
run (`flask reminders send`) makes the reports of every accepted grant that has
none (`ensure_reports`); until it has, pages show the reports owed without saving them
(`owed_reports`), and a recipient who starts one makes them with that POST.

Changes to an award's reports lock the award's row first (`grants.core.locks.lock_row`), so
they never interleave with each other or with payments.
"""

import logging
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from grants.applications.models import ApplicationStatus
from grants.awards.models import Award, AwardStatus
from grants.awards.operations.terms import add_months, report_due_after, spending_period
from grants.core import clock
from grants.core.locks import lock_row
from grants.funds.models import MonitoringSchedule
from grants.monitoring.models import MonitoringReport, ReportKind, ReportStatus, Variation
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

# Awards that owe reports (and may be varied): accepted, paid in part or in full.
MONITORED_STATUSES = frozenset({AwardStatus.ACCEPTED, AwardStatus.PAID})
# Reports the recipient still owes, and may change.
OPEN_STATUSES = frozenset({ReportStatus.DUE, ReportStatus.MORE_INFORMATION_REQUESTED})
INTERIM_MONTHS = 6
# The OPCC's half-years start on 1 April and 1 October.
HALF_YEAR_STARTS = (4, 10)
# Reminders go this many days before the due date, and again this many days after it; the
# application shows "report due" from this many days before.
REMINDER_DAYS = 14
# A grant never owes more returns than this (20 years of them), whatever its dates say.
MAX_INTERIM_RETURNS = 40


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


def half_year_start(day: date) -> date:
    """The first day of the OPCC half-year holding the day: 1 April or 1 October."""
    if day.month >= HALF_YEAR_STARTS[1]:
        return date(day.year, HALF_YEAR_STARTS[1], 1)
    if day.month >= HALF_YEAR_STARTS[0]:
        return date(day.year, HALF_YEAR_STARTS[0], 1)
    return date(day.year - 1, HALF_YEAR_STARTS[1], 1)


def interim_periods(accepted_on: date, end_on: date) -> list[Period]:
    """The twice-yearly returns of a grant accepted on `accepted_on` whose project ends on
    `end_on`: one for each of the OPCC's half-years (April to September, October to March)
    from the one holding the acceptance, each due by the end of the month after it. Only
    half-years that end before the project does get a return; the end-of-grant report covers
    the last stretch."""
    first_month = half_year_start(accepted_on)
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
    """When the grant's spending period ends now (`terms.spending_period`): the latest
    variation's new end date, else the planned end, else 12 months after acceptance."""
    varied = varied_end_dates(session, [award.id]).get(award.id)
    # Given an acceptance date, the spending period always has an end.
    return spending_period(award, accepted_on=accepted_on(award), varied_end=varied).ends_on


def varied_end_dates(session: Session, award_ids: Collection[int]) -> dict[int, date]:
    """The end date the latest variation gave each award, for those a variation moved (one
    query for any number of awards)."""
    ends: dict[int, date] = {}
    if not award_ids:
        return ends
    for award_id, new_end_on in session.execute(
        select(Variation.award_id, Variation.new_end_on)
        .where(Variation.award_id.in_(award_ids), Variation.new_end_on.is_not(None))
        .order_by(Variation.award_id, Variation.agreed_at.desc(), Variation.id.desc())
    ):
        ends.setdefault(award_id, new_end_on)
    return ends


def end_of_grant_due_on(session: Session, award: Award) -> date:
    """When the end-of-grant report is due: the award's date (set on acceptance, moved by
    variations), else 3 months after the project ends."""
    if award.report_due_on is not None:
        return award.report_due_on
    return report_due_after(project_end_on(session, award))


def reports_of(session: Session, award: Award) -> list[MonitoringReport]:
    """The award's reports, soonest due first and the end-of-grant report last (a return
    cancelled when the grant was shortened may have been due after it)."""
    return list(session.scalars(
        select(MonitoringReport).where(MonitoringReport.award_id == award.id)
        .options(selectinload(MonitoringReport.documents))
        .order_by(MonitoringReport.kind == ReportKind.END_OF_GRANT, MonitoringReport.due_on,
                  MonitoringReport.id)
    ))


def end_of_grant_report(reports: Iterable[MonitoringReport]) -> MonitoringReport | None:
    return next((r for r in reports if r.kind is ReportKind.END_OF_GRANT), None)


# --- Reading: what is owed, without saving anything ----------------------------------------

def _new_reports(session: Session, award: Award) -> list[MonitoringReport]:
    """The reports an award owes, unsaved: the end-of-grant report, then any returns, each due
    before the end-of-grant report (which is always the last)."""
    final_due_on = end_of_grant_due_on(session, award)
    reports = [MonitoringReport(award_id=award.id, kind=ReportKind.END_OF_GRANT,
                                due_on=final_due_on, period="", status=ReportStatus.DUE)]
    if award.round.monitoring is MonitoringSchedule.TWICE_YEARLY:
        reports += [
            MonitoringReport(award_id=award.id, kind=ReportKind.INTERIM, due_on=period.due_on,
                             period=period.label, status=ReportStatus.DUE)
            for period in interim_periods(accepted_on(award), project_end_on(session, award))
            if period.due_on < final_due_on]
    return reports


def planned_reports(session: Session, award: Award) -> list[MonitoringReport]:
    """The reports an award owes, as they would be made, soonest due first; none is added to
    the session (they have no id)."""
    reports = _new_reports(session, award)
    for report in reports:
        # Read by the pages; the award has no collection of reports, so this adds nothing.
        report.award = award
    return sorted(reports, key=lambda r: (r.due_on, r.kind is ReportKind.END_OF_GRANT))


def owed_reports(session: Session, award: Award) -> list[MonitoringReport]:
    """The award's reports for a page to show: those made, or, when the daily run has not made
    them yet, those it will make (unsaved). Writes nothing."""
    reports = reports_of(session, award)
    if reports or award.status not in MONITORED_STATUSES:
        return reports
    return planned_reports(session, award)


def report_due_on(session: Session, award: Award) -> date | None:
    """The end-of-grant report's due date as the pages show it: the award's, or the date the
    daily run will give an accepted award that has none yet."""
    if award.report_due_on is None and award.status in MONITORED_STATUSES:
        return end_of_grant_due_on(session, award)
    return award.report_due_on


# --- Writing: the daily run, and the POSTs that need the reports ----------------------------

def ensure_reports(session: Session, award: Award,
                   today: date | None = None) -> list[MonitoringReport]:
    """Make the reports an accepted or paid award owes, when it has none yet; then show the
    application as "report due" once a paid award's end-of-grant report is near. Safe to call
    again: the second call finds the reports and makes nothing. Only the daily run and POSTs
    call this: pages read `owed_reports`."""
    today = today or clock.today_in_london()
    reports = reports_of(session, award)
    if not reports and award.status in MONITORED_STATUSES:
        award = lock_row(session, Award, award.id, missing="There is no such award")
        reports = reports_of(session, award)  # made by someone else while we waited?
        if not reports and award.status in MONITORED_STATUSES:
            reports = _create_reports(session, award)
    if award.status in MONITORED_STATUSES:
        sync_application_status(session, award, reports, today)
    return reports


def _create_reports(session: Session, award: Award) -> list[MonitoringReport]:
    reports = _new_reports(session, award)
    if award.report_due_on is None:
        award.report_due_on = reports[0].due_on
    session.add_all(reports)
    session.flush()
    record_event(session, actor_id=None, action="award.reports_scheduled", entity_type="award",
                 entity_id=award.id, after={"reports": [schedule_entry(r) for r in reports]})
    logger.info("award %s: %d monitoring reports scheduled", award.id, len(reports))
    return reports_of(session, award)


def schedule_entry(report: MonitoringReport) -> dict:
    """What the record keeps of a report made or moved."""
    return {"report_id": report.id, "kind": report.kind.value, "due_on": report.due_on.isoformat(),
            "period": report.period}


@dataclass(frozen=True)
class Rescheduled:
    """What `reschedule` changed, as the audit record keeps it."""

    moved: list[dict]
    added: list[dict]
    cancelled: list[dict]
    reinstated: list[dict]

    def as_record(self) -> dict:
        return {"reports_moved": self.moved, "returns_added": self.added,
                "returns_cancelled": self.cancelled, "returns_reinstated": self.reinstated}


def reschedule(session: Session, award: Award, reports: list[MonitoringReport], *,
               actor_id: int | None) -> Rescheduled:
    """Work the award's reports out again after its dates changed (the caller holds the
    award's row lock and has set `award.report_due_on`): the end-of-grant report, if not yet
    sent, moves to its new date; returns for half-years now outside the grant, or due after
    its end-of-grant report, are cancelled unless already sent (kept, marked, audited, and no
    longer reminded); a cancelled return owed again is owed again; returns for half-years now
    inside it are added."""
    wanted = {report.period: report for report in _new_reports(session, award)
              if report.kind is ReportKind.INTERIM}
    moved, cancelled, reinstated = [], [], []
    now = clock.utcnow()
    final = end_of_grant_report(reports)
    if (final is not None and final.status is ReportStatus.DUE
            and final.due_on != award.report_due_on):
        moved.append({"report_id": final.id, "from": final.due_on.isoformat(),
                      "to": award.report_due_on.isoformat()})
        final.due_on = award.report_due_on
    have = set()
    for report in reports:
        if report.kind is not ReportKind.INTERIM:
            continue
        have.add(report.period)
        if report.period not in wanted and report.status in OPEN_STATUSES:
            before = report.status
            report.status, report.cancelled_at = ReportStatus.CANCELLED, now
            cancelled.append(_status_change(report, before))
        elif report.period in wanted and report.status is ReportStatus.CANCELLED:
            report.status, report.cancelled_at = ReportStatus.DUE, None
            report.due_on = wanted[report.period].due_on
            reinstated.append(_status_change(report, ReportStatus.CANCELLED))
    added = [report for period, report in wanted.items() if period not in have]
    session.add_all(added)
    session.flush()
    for change, action in [*((c, "cancelled") for c in cancelled),
                           *((r, "reinstated") for r in reinstated)]:
        record_event(session, actor_id=actor_id, action=f"monitoring_report.{action}",
                     entity_type="monitoring_report", entity_id=change["report_id"],
                     before={"status": change["from"]},
                     after={"status": change["to"], "award_id": award.id,
                            "period": change["period"],
                            "why": "the grant's dates changed"})
    if cancelled or added or reinstated:
        logger.info("award %s rescheduled: %d returns added, %d cancelled, %d reinstated",
                    award.id, len(added), len(cancelled), len(reinstated))
    return Rescheduled(moved=moved, added=[schedule_entry(r) for r in added],
                       cancelled=cancelled, reinstated=reinstated)


# A return's period is one of the OPCC's half-years when `Period.label` wrote it from one: the
# rule in Python and in SQL, side by side.
HALF_YEAR_LABEL = re.compile(r"April to September \d{4}|October \d{4} to March \d{4}")


def is_half_year(period: str) -> bool:
    return HALF_YEAR_LABEL.fullmatch(period) is not None


def _is_half_year(column):
    return or_(column.like("April to September %"), column.like("October % to March %"))


def move_to_half_years(session: Session, today: date) -> int:
    """Grants whose returns were scheduled by the months from acceptance (before returns
    followed the OPCC's half-years) move to the half-years: what was due before today stays
    owed as it was; returns not yet due that cover other months are cancelled (kept, marked,
    audited); the half-year returns due from today on are added. Safe to run again: a moved
    grant has no such return left. Returns how many grants moved."""
    award_ids = session.scalars(
        select(MonitoringReport.award_id).distinct()
        .where(MonitoringReport.kind == ReportKind.INTERIM,
               MonitoringReport.status.in_(OPEN_STATUSES),
               MonitoringReport.due_on >= today,
               ~_is_half_year(MonitoringReport.period))
        .order_by(MonitoringReport.award_id)).all()
    for award_id in award_ids:
        award = lock_row(session, Award, award_id, missing="There is no such award")
        reports = reports_of(session, award)
        have = {report.period for report in reports if report.kind is ReportKind.INTERIM}
        now = clock.utcnow()
        cancelled = []
        for report in reports:
            if (report.kind is ReportKind.INTERIM and report.status in OPEN_STATUSES
                    and report.due_on >= today and not is_half_year(report.period)):
                before = report.status
                report.status, report.cancelled_at = ReportStatus.CANCELLED, now
                cancelled.append(_status_change(report, before))
        added = [report for report in _new_reports(session, award)
                 if report.kind is ReportKind.INTERIM and report.due_on >= today
                 and report.period not in have]
        session.add_all(added)
        session.flush()
        record_event(session, actor_id=None, action="award.returns_moved_to_half_years",
                     entity_type="award", entity_id=award.id,
                     after={"returns_cancelled": cancelled,
                            "returns_added": [schedule_entry(report) for report in added]})
        logger.info("award %s: returns moved to the OPCC's half-years (%d cancelled, %d added)",
                    award.id, len(cancelled), len(added))
    return len(award_ids)


def _status_change(report: MonitoringReport, before: ReportStatus) -> dict:
    return {"report_id": report.id, "period": report.period, "due_on": report.due_on.isoformat(),
            "from": before.value, "to": report.status.value}


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
