"""Returns follow the grant: when a variation changes a twice-yearly grant's end, its returns
are worked out again. Returns no longer owed are cancelled (kept, audited, never reminded, and
shown as such); the end-of-grant report is always the last one due."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from grants.extensions import db
from grants.funds.models import MonitoringSchedule
from grants.monitoring.models import ReportKind, ReportStatus
from grants.monitoring.operations import guard, listing, returns, schedule, variations
from grants.monitoring.operations.answers import ReportAnswers
from grants.monitoring.operations.reminders import send_reminders
from grants.records.models import AuditEvent, OutboxMessage
from tests.awards.monitoring_fixtures import (  # noqa: F401  (fixtures)
    NOW,
    approver_fixture,
    at_noon,
    fixed_clock_fixture,
    make_award,
    member_fixture,
    move_clock,
    organisation_fixture,
    staff_fixture,
)
from tests.fixtures.auth import post_form

FIRST, SECOND, THIRD = ("October 2026 to March 2027", "April to September 2027",
                        "October 2027 to March 2028")


@pytest.fixture
def twice_yearly(award_factory, application_factory, round_factory, organisation, staff,
                 approver):
    """A paid CSF grant accepted on 5 March 2027 whose project ends on 30 June 2028: three
    returns and the end-of-grant report, due 30 September 2028."""
    csf = round_factory(code="CSF-2026-1", monitoring=MonitoringSchedule.TWICE_YEARLY)
    award = make_award(award_factory, application_factory, csf, organisation,
                       planned_end=date(2028, 6, 30), report_due_on=date(2028, 9, 30),
                       reference="CSF-2026-1-0001", paid_by=(staff, approver))
    schedule.ensure_reports(db.session, award)
    return award


def _by_period(award):
    return {r.period or "end of grant": r for r in schedule.reports_of(db.session, award)}


def _shorten(staff, award, new_end_on=date(2027, 8, 31)):
    return variations.agree_variation(db.session, staff, award, new_end_on=new_end_on,
                                      changed_purpose="", reason="Project finished early.")


def test_shortening_a_grant_cancels_the_returns_it_no_longer_owes(db_session, staff,
                                                                   twice_yearly):
    _shorten(staff, twice_yearly)

    reports = _by_period(twice_yearly)
    assert {period: r.status for period, r in reports.items()} == {
        FIRST: ReportStatus.DUE, SECOND: ReportStatus.CANCELLED, THIRD: ReportStatus.CANCELLED,
        "end of grant": ReportStatus.DUE}
    assert reports["end of grant"].due_on == date(2027, 11, 30)
    assert reports[SECOND].cancelled_at == NOW and reports[FIRST].cancelled_at is None


def test_each_cancelled_return_is_audited_with_who_and_why(db_session, staff, twice_yearly):
    _shorten(staff, twice_yearly)
    reports = _by_period(twice_yearly)

    events = db_session.scalars(select(AuditEvent).where(
        AuditEvent.action == "monitoring_report.cancelled").order_by(AuditEvent.entity_id)).all()
    assert [(e.entity_id, e.actor_id, e.before["status"], e.after["status"]) for e in events] == [
        (reports[SECOND].id, staff.id, "due", "cancelled"),
        (reports[THIRD].id, staff.id, "due", "cancelled")]
    varied = db_session.scalars(select(AuditEvent).where(
        AuditEvent.action == "award.variation_agreed")).one()
    assert [c["period"] for c in varied.after["returns_cancelled"]] == [SECOND, THIRD]


def test_a_cancelled_return_is_never_reminded_nor_listed_as_overdue(
        db_session, monkeypatch, staff, twice_yearly):
    _shorten(staff, twice_yearly)
    cancelled = [r.id for r in _by_period(twice_yearly).values()
                 if r.status is ReportStatus.CANCELLED]

    # Through both reminders of both cancelled returns (31 October 2027 and 30 April 2028).
    day = date(2027, 10, 1)
    while day <= date(2028, 5, 31):
        move_clock(monkeypatch, at_noon(day))
        send_reminders(db_session, day)
        overview = listing.monitoring_overview(db_session, day)
        assert not {r.id for r in overview.overdue + overview.due_soon} & set(cancelled)
        day += timedelta(days=7)

    keys = db_session.scalars(select(OutboxMessage.idempotency_key)).all()
    assert not [key for key in keys for report_id in cancelled
                if key and key.endswith(f":{report_id}")]
    assert [key for key in keys if key and key.startswith("report-reminder:")]


def test_the_recipient_and_staff_see_a_cancelled_return_as_no_longer_owed(
        db_session, sign_in_as, new_client, staff, member, twice_yearly):
    staff_client = sign_in_as(staff)
    response = post_form(staff_client, f"/staff/awards/{twice_yearly.id}/variations",
                         {"new_end_on": ["31", "8", "2027"],
                          "reason": "Project finished early."})
    assert response.status_code == 302
    staff_page = staff_client.get(f"/staff/awards/{twice_yearly.id}/monitoring").text
    assert staff_page.count("Cancelled: no longer owed") == 2

    member_page = sign_in_as(member, on=new_client()).get(f"/awards/{twice_yearly.id}/reports").text
    assert member_page.count("Cancelled: no longer owed") == 2
    # The end-of-grant report is the last row, after the returns cancelled.
    assert member_page.rindex("End-of-grant report") > member_page.rindex(THIRD)


def test_a_cancelled_return_cannot_be_filled_in_or_accepted(db_session, staff, member,
                                                            twice_yearly):
    _shorten(staff, twice_yearly)
    report = _by_period(twice_yearly)[SECOND]

    with pytest.raises(guard.MonitoringRefused, match="no longer owed"):
        returns.save_report(db_session, member, report, ReportAnswers(
            delivered="d", outcomes_achieved="o", beneficiaries_reached=1, spent_pence=1),
            send=True)
    assert report.status is ReportStatus.CANCELLED


def test_lengthening_the_grant_again_makes_a_cancelled_return_owed_again(
        db_session, staff, twice_yearly):
    _shorten(staff, twice_yearly)
    _shorten(staff, twice_yearly, new_end_on=date(2028, 1, 31))

    reports = _by_period(twice_yearly)
    assert {period: r.status for period, r in reports.items()} == {
        FIRST: ReportStatus.DUE, SECOND: ReportStatus.DUE, THIRD: ReportStatus.CANCELLED,
        "end of grant": ReportStatus.DUE}
    assert reports[SECOND].cancelled_at is None
    assert db_session.scalars(select(AuditEvent.entity_id).where(
        AuditEvent.action == "monitoring_report.reinstated")).all() == [reports[SECOND].id]


def test_a_return_already_sent_is_kept_as_sent(db_session, staff, member, twice_yearly):
    sent = _by_period(twice_yearly)[SECOND]
    returns.save_report(db_session, member, sent, ReportAnswers(
        delivered="d", outcomes_achieved="o", beneficiaries_reached=1, spent_pence=1),
        send=True)

    _shorten(staff, twice_yearly)

    assert sent.status is ReportStatus.SUBMITTED


def test_the_end_of_grant_report_stays_last_when_a_return_was_due_after_its_new_date(
        db_session, staff, twice_yearly):
    # Ending on 30 June 2027, the end-of-grant report is due 30 September 2027, before the
    # April to September return would have been.
    _shorten(staff, twice_yearly, new_end_on=date(2027, 6, 30))

    owed = [r for r in schedule.reports_of(db_session, twice_yearly)
            if r.status is not ReportStatus.CANCELLED]
    assert [(r.kind, r.period, r.due_on) for r in owed] == [
        (ReportKind.INTERIM, FIRST, date(2027, 4, 30)),
        (ReportKind.END_OF_GRANT, "", date(2027, 9, 30))]
    assert schedule.reports_of(db_session, twice_yearly)[-1].kind is ReportKind.END_OF_GRANT
