"""The monitoring pages only read: opening them makes no reports, locks no award, moves no
application's status and records nothing. What time changes is written by the daily run
(`flask reminders send`), or by the POST with which a recipient starts a report."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from grants.applications.models import ApplicationStatus
from grants.awards.models import AwardStatus
from grants.extensions import db
from grants.funds.models import MonitoringSchedule
from grants.monitoring.models import MonitoringReport, ReportKind
from grants.monitoring.operations import schedule
from grants.records.models import AuditEvent
from tests.awards.monitoring_fixtures import (  # noqa: F401  (fixtures)
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
from tests.fixtures.auth import post_form

# Ten days before the end-of-grant report is due: opening a page here used to make the
# reports and show "report due" on the application.
DUE_SOON = REPORT_DUE - timedelta(days=10)


def _everything() -> dict:
    """Every row of every table, and on SQLite the rows any statement touched, even one that
    changed nothing (such as the no-op UPDATE that locks an award there)."""
    rows = {table.name: sorted(map(repr, db.session.execute(select(table)).all()))
            for table in db.metadata.sorted_tables}
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        rows["changes"] = connection.exec_driver_sql("SELECT total_changes()").scalar()
    return rows


def _member_pages(award_id: int, report_ids: list[int]) -> list[str]:
    return [f"/awards/{award_id}/reports", *(f"/reports/{i}" for i in report_ids)]


def _staff_pages(award_id: int, report_ids: list[int]) -> list[str]:
    return ["/staff/monitoring", f"/staff/awards/{award_id}/monitoring",
            f"/staff/awards/{award_id}/repayments", f"/staff/awards/{award_id}/variations",
            *(f"/staff/reports/{i}" for i in report_ids)]


@pytest.fixture(name="sign_in_both")
def sign_in_both_fixture(sign_in_as, new_client, member, staff):
    """Sign in a member and a member of staff, each on a client of their own (once the clock
    is where the test wants it: a session a year old has ended)."""
    return lambda: (sign_in_as(member, on=new_client()), sign_in_as(staff, on=new_client()))


def _open_all(signed_in, award_id: int, report_ids: list[int]) -> None:
    member_client, staff_client = signed_in
    for path in _member_pages(award_id, report_ids):
        assert member_client.get(path).status_code == 200, path
    for path in _staff_pages(award_id, report_ids):
        assert staff_client.get(path).status_code == 200, path


def test_opening_the_pages_of_a_grant_whose_reports_are_not_made_yet_writes_nothing(
        monkeypatch, sign_in_both, paid_award):
    move_clock(monkeypatch, at_noon(DUE_SOON))
    signed_in = sign_in_both()
    before = _everything()

    _open_all(signed_in, paid_award.id, [])

    assert _everything() == before
    assert db.session.scalar(select(func.count(MonitoringReport.id))) == 0
    assert paid_award.application.status is ApplicationStatus.PAID


def test_the_pages_show_the_reports_owed_before_the_daily_run_has_made_them(
        monkeypatch, sign_in_both, paid_award):
    move_clock(monkeypatch, at_noon(DUE_SOON))
    signed_in = sign_in_both()
    member_client, staff_client = signed_in

    mine = member_client.get(f"/awards/{paid_award.id}/reports").get_data(as_text=True)
    staffs = staff_client.get(f"/staff/awards/{paid_award.id}/monitoring").get_data(as_text=True)

    for html in (mine, staffs):
        assert "End-of-grant report" in html
        assert "30 April 2028" in html
    assert 'name="report" value="end_of_grant:"' in mine


def test_opening_the_pages_of_a_grant_with_reports_writes_nothing(
        monkeypatch, db_session, sign_in_both, paid_award):
    reports = schedule.ensure_reports(db_session, paid_award)
    db_session.commit()
    move_clock(monkeypatch, at_noon(DUE_SOON))
    signed_in = sign_in_both()
    before = _everything()

    _open_all(signed_in, paid_award.id, [r.id for r in reports])

    assert _everything() == before
    assert paid_award.application.status is ApplicationStatus.PAID


def test_the_reports_owed_are_the_reports_the_daily_run_makes(
        db_session, award_factory, application_factory, round_factory, organisation):
    csf = round_factory(code="CSF-2026-1", monitoring=MonitoringSchedule.TWICE_YEARLY)
    award = make_award(award_factory, application_factory, csf, organisation,
                       status=AwardStatus.ACCEPTED, report_due_on=None)

    owed = schedule.owed_reports(db_session, award)
    assert db_session.scalar(select(func.count(MonitoringReport.id))) == 0
    made = schedule.ensure_reports(db_session, award)

    assert len(owed) > 1
    assert [(r.kind, r.due_on, r.period, r.status) for r in owed] \
        == [(r.kind, r.due_on, r.period, r.status) for r in made]
    assert all(r.id is None for r in owed)


def test_a_recipient_who_starts_a_report_before_the_daily_run_makes_the_reports(
        monkeypatch, sign_in_both, paid_award):
    move_clock(monkeypatch, at_noon(DUE_SOON))
    signed_in = sign_in_both()
    member_client, _ = signed_in

    response = post_form(member_client, f"/awards/{paid_award.id}/reports",
                         {"report": "end_of_grant:"})

    report = db.session.scalars(select(MonitoringReport)).one()
    assert report.kind is ReportKind.END_OF_GRANT
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/reports/{report.id}")
    assert db.session.scalar(select(AuditEvent.id).where(
        AuditEvent.action == "award.reports_scheduled")) is not None
    db.session.refresh(paid_award.application)
    assert paid_award.application.status is ApplicationStatus.MONITORING_DUE


def test_the_daily_run_makes_the_reports_and_shows_report_due_that_the_pages_do_not(
        monkeypatch, runner, sign_in_both, paid_award):
    move_clock(monkeypatch, at_noon(DUE_SOON))
    signed_in = sign_in_both()
    _open_all(signed_in, paid_award.id, [])

    result = runner.invoke(args=["reminders", "send"])

    assert result.exit_code == 0, result.output
    assert "Made 1 newly owed report." in result.output
    db.session.refresh(paid_award)
    db.session.refresh(paid_award.application)
    assert paid_award.report_due_on == REPORT_DUE
    assert paid_award.application.status is ApplicationStatus.MONITORING_DUE
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions.count("award.reports_scheduled") == 1
    assert actions.count("application.status_changed") == 1


def test_the_daily_run_shows_report_due_on_a_grant_whose_reports_were_made_earlier(
        monkeypatch, db_session, runner, paid_award):
    schedule.ensure_reports(db_session, paid_award)
    db_session.commit()
    assert paid_award.application.status is ApplicationStatus.PAID
    move_clock(monkeypatch, at_noon(REPORT_DUE - timedelta(days=14)))

    result = runner.invoke(args=["reminders", "send"])

    assert result.exit_code == 0, result.output
    assert "Made 0 newly owed reports." in result.output
    db.session.refresh(paid_award.application)
    assert paid_award.application.status is ApplicationStatus.MONITORING_DUE
