"""The reports a grant owes: one end-of-grant report, or twice-yearly returns as well, made
once, and the application showing "report due" as the end-of-grant report nears."""

from datetime import date, timedelta

from sqlalchemy import func, select

from grants.applications.models import ApplicationStatus
from grants.awards.models import AwardStatus
from grants.awards.operations.terms import REPORT_MONTHS_AFTER_END, add_months
from grants.extensions import db
from grants.funds.models import MonitoringSchedule
from grants.monitoring.models import MonitoringReport, ReportKind, ReportStatus
from grants.monitoring.operations import schedule
from grants.records.models import AuditEvent
from tests.awards.monitoring_fixtures import (  # noqa: F401  (fixtures)
    PLANNED_END,
    REPORT_DUE,
    approver_fixture,
    at_noon,
    fixed_clock_fixture,
    make_award,
    member_fixture,
    move_clock,
    organisation_fixture,
    paid_award_fixture,
    published_round_fixture,
    staff_fixture,
)


def _kinds_and_dates(reports):
    return [(r.kind, r.due_on, r.period) for r in reports]


def test_an_end_of_grant_round_owes_one_report_due_when_the_award_says(db_session, paid_award):
    reports = schedule.ensure_reports(db_session, paid_award)

    assert _kinds_and_dates(reports) == [(ReportKind.END_OF_GRANT, REPORT_DUE, "")]
    assert reports[0].status is ReportStatus.DUE
    assert db_session.scalar(select(AuditEvent.action).where(
        AuditEvent.entity_type == "award", AuditEvent.entity_id == paid_award.id)) \
        == "award.reports_scheduled"


def test_without_a_due_date_the_report_is_due_3_months_after_the_planned_end(
        db_session, award_factory, application_factory, published_round, organisation):
    award = make_award(award_factory, application_factory, published_round, organisation,
                       status=AwardStatus.ACCEPTED, report_due_on=None,
                       planned_end=date(2027, 11, 30))

    reports = schedule.ensure_reports(db_session, award)

    assert [r.due_on for r in reports] == [date(2028, 2, 29)]
    assert award.report_due_on == date(2028, 2, 29)


def test_a_twice_yearly_round_also_owes_a_return_for_each_half_year_before_the_end(
        db_session, award_factory, application_factory, round_factory, organisation):
    csf = round_factory(code="CSF-2026-1", monitoring=MonitoringSchedule.TWICE_YEARLY)
    # Accepted 5 March 2027; the project ends 30 June 2028.
    award = make_award(award_factory, application_factory, csf, organisation,
                       planned_end=date(2028, 6, 30), report_due_on=date(2028, 9, 30),
                       reference="CSF-2026-1-0001")

    reports = schedule.ensure_reports(db_session, award)

    # The OPCC's half-years: the one holding the acceptance, and each after it that ends
    # before the project does; each due by the end of the month after it.
    assert _kinds_and_dates(reports) == [
        (ReportKind.INTERIM, date(2027, 4, 30), "October 2026 to March 2027"),
        (ReportKind.INTERIM, date(2027, 10, 31), "April to September 2027"),
        (ReportKind.INTERIM, date(2028, 4, 30), "October 2027 to March 2028"),
        (ReportKind.END_OF_GRANT, date(2028, 9, 30), ""),
    ]


def test_returns_follow_the_opccs_half_years_whatever_the_month_of_acceptance():
    periods = schedule.interim_periods(date(2026, 6, 15), date(2027, 9, 30))

    assert [(p.starts_on, p.ends_on, p.label, p.due_on) for p in periods] == [
        (date(2026, 4, 1), date(2026, 9, 30), "April to September 2026", date(2026, 10, 31)),
        (date(2026, 10, 1), date(2027, 3, 31), "October 2026 to March 2027",
         date(2027, 4, 30)),
    ]


def test_every_return_is_due_before_the_end_of_grant_report():
    for accepted in (date(2026, month, day) for month in range(1, 13) for day in (1, 15, 28)):
        for months in range(1, 40):
            end = add_months(accepted, months)
            final_due = add_months(end, REPORT_MONTHS_AFTER_END)
            assert all(p.due_on < final_due and p.ends_on < end
                       for p in schedule.interim_periods(accepted, end)), (accepted, end)


def test_half_years_that_run_past_the_end_are_left_to_the_end_of_grant_report():
    periods = schedule.interim_periods(date(2026, 4, 20), date(2027, 3, 31))

    assert [(p.label, p.due_on) for p in periods] == [("April to September 2026",
                                                       date(2026, 10, 31))]


def test_reports_are_made_once_however_often_the_page_is_opened(db_session, paid_award):
    schedule.ensure_reports(db_session, paid_award)
    schedule.ensure_reports(db_session, paid_award)

    assert db_session.scalar(select(func.count(MonitoringReport.id)).where(
        MonitoringReport.award_id == paid_award.id)) == 1


def test_an_offer_not_yet_accepted_owes_no_reports(
        db_session, award_factory, application_factory, published_round, organisation):
    award = make_award(award_factory, application_factory, published_round, organisation,
                       status=AwardStatus.OFFERED)

    assert schedule.ensure_reports(db_session, award) == []


def test_a_paid_application_shows_report_due_from_14_days_before_the_due_date(
        db_session, monkeypatch, paid_award):
    application = paid_award.application
    schedule.ensure_reports(db_session, paid_award)
    assert application.status is ApplicationStatus.PAID

    move_clock(monkeypatch, at_noon(REPORT_DUE - timedelta(days=15)))
    schedule.ensure_reports(db_session, paid_award)
    assert application.status is ApplicationStatus.PAID

    move_clock(monkeypatch, at_noon(REPORT_DUE - timedelta(days=14)))
    schedule.ensure_reports(db_session, paid_award)
    assert application.status is ApplicationStatus.MONITORING_DUE


def test_an_accepted_but_unpaid_award_leaves_the_application_as_it_is(
        db_session, monkeypatch, award_factory, application_factory, published_round,
        organisation):
    award = make_award(award_factory, application_factory, published_round, organisation,
                       status=AwardStatus.ACCEPTED)
    move_clock(monkeypatch, at_noon(REPORT_DUE))

    schedule.ensure_reports(db_session, award)

    assert award.application.status is ApplicationStatus.OFFER_ACCEPTED


def test_the_project_end_is_the_planned_end_until_a_variation_moves_it(db_session, paid_award):
    assert schedule.project_end_on(db.session, paid_award) == PLANNED_END


def test_returns_scheduled_by_the_month_of_acceptance_move_to_the_half_years(
        db_session, award_factory, application_factory, round_factory, organisation):
    from grants.monitoring.operations.reminders import sync_reports

    csf = round_factory(code="CSF-2026-1", monitoring=MonitoringSchedule.TWICE_YEARLY)
    # Accepted 5 March 2027, project ends 30 June 2028; its returns were scheduled by the rule
    # before the half-years: six months at a time from the month of acceptance.
    award = make_award(award_factory, application_factory, csf, organisation,
                       planned_end=date(2028, 6, 30), report_due_on=date(2028, 9, 30),
                       reference="CSF-2026-1-0001")
    old = [MonitoringReport(award_id=award.id, kind=kind, due_on=due_on, period=period,
                            status=ReportStatus.DUE)
           for kind, due_on, period in (
               (ReportKind.INTERIM, date(2027, 9, 30), "March to August 2027"),
               (ReportKind.INTERIM, date(2028, 3, 31), "September 2027 to February 2028"),
               (ReportKind.END_OF_GRANT, date(2028, 9, 30), ""))]
    db_session.add_all(old)
    db_session.flush()

    sync_reports(db_session, date(2027, 10, 15))

    reports = schedule.reports_of(db_session, award)
    assert [(r.period, r.due_on, r.status) for r in reports] == [
        # Due before the day of the move: still owed as it was.
        ("March to August 2027", date(2027, 9, 30), ReportStatus.DUE),
        ("April to September 2027", date(2027, 10, 31), ReportStatus.DUE),
        ("September 2027 to February 2028", date(2028, 3, 31), ReportStatus.CANCELLED),
        ("October 2027 to March 2028", date(2028, 4, 30), ReportStatus.DUE),
        ("", date(2028, 9, 30), ReportStatus.DUE),
    ]
    assert db_session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "award.returns_moved_to_half_years")) == 1

    # A second run finds nothing left to move.
    assert schedule.move_to_half_years(db_session, date(2027, 10, 16)) == 0
    assert len(schedule.reports_of(db_session, award)) == 5


def test_a_half_year_label_is_recognised_in_python_as_in_sql(db_session, paid_award):
    labels = ["April to September 2026", "October 2026 to March 2027", "March to August 2027",
              "September 2027 to February 2028", "October to March 2027", ""]
    for label in labels:
        db_session.add(MonitoringReport(award_id=paid_award.id, kind=ReportKind.INTERIM,
                                        due_on=date(2030, 1, 1), period=label,
                                        status=ReportStatus.DUE))
    db_session.flush()
    in_sql = set(db_session.scalars(select(MonitoringReport.period).where(
        MonitoringReport.award_id == paid_award.id,
        schedule._is_half_year(MonitoringReport.period))))
    assert in_sql == {label for label in labels if schedule.is_half_year(label)} == {
        "April to September 2026", "October 2026 to March 2027"}
