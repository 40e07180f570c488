"""Reminders of reports owed, with the clock moved: one from 14 days before the due date,
one overdue reminder from 14 days after, each once however often the command runs, and none
for reports sent or accepted."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from grants.applications.models import ApplicationStatus
from grants.awards.models import AwardStatus
from grants.core import clock
from grants.extensions import db
from grants.monitoring.models import MonitoringReport
from grants.monitoring.operations import returns, review, schedule
from grants.monitoring.operations.answers import ReportAnswers
from grants.monitoring.operations.reminders import send_reminders
from grants.records.models import AuditEvent, OutboxMessage
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

COMPLETE = ReportAnswers(delivered="d", outcomes_achieved="o",
                                    beneficiaries_reached=1, spent_pence=250_000)


@pytest.fixture(name="report")
def report_fixture(db_session, paid_award):
    return schedule.ensure_reports(db_session, paid_award)[0]


def _on(monkeypatch, day):
    """Move the clock to midday in London on the day; the run uses the London date."""
    move_clock(monkeypatch, at_noon(day))
    return clock.today_in_london()


def _messages():
    """The reminders queued (other emails, such as the grants team's copy of a report, are
    not reminders)."""
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.idempotency_key.like("report-reminder:%"))
        .order_by(OutboxMessage.id)).all()


def test_nothing_is_sent_before_the_reminder_window(db_session, monkeypatch, report):
    run = send_reminders(db_session, _on(monkeypatch, REPORT_DUE - timedelta(days=15)))

    assert run.queued == 0
    assert _messages() == []


def test_one_reminder_goes_14_days_before_the_due_date_and_not_again(
        db_session, monkeypatch, report):
    first = send_reminders(db_session, _on(monkeypatch, REPORT_DUE - timedelta(days=14)))
    same_day = send_reminders(db_session, _on(monkeypatch, REPORT_DUE - timedelta(days=14)))
    next_day = send_reminders(db_session, _on(monkeypatch, REPORT_DUE - timedelta(days=13)))

    assert (first.reminders_before, same_day.queued, next_day.queued) == (1, 0, 0)
    [message] = _messages()
    assert message.to_address == "contact@example.org"
    assert message.idempotency_key == f"report-reminder:before:{report.id}"
    assert message.subject == "End-of-grant report due on 30 April 2028: PPAF-2026-1-0001"
    assert f"/awards/{report.award_id}/reports" in message.body_text


def test_one_overdue_reminder_goes_14_days_after_the_due_date_and_not_again(
        db_session, monkeypatch, report):
    send_reminders(db_session, _on(monkeypatch, REPORT_DUE - timedelta(days=14)))
    before_window = send_reminders(db_session, _on(monkeypatch, REPORT_DUE + timedelta(days=13)))
    overdue = send_reminders(db_session, _on(monkeypatch, REPORT_DUE + timedelta(days=14)))
    again = send_reminders(db_session, _on(monkeypatch, REPORT_DUE + timedelta(days=30)))

    assert before_window.queued == 0
    assert (overdue.reminders_before, overdue.reminders_after) == (0, 1)
    assert again.queued == 0
    assert [m.idempotency_key for m in _messages()] == [
        f"report-reminder:before:{report.id}", f"report-reminder:after:{report.id}"]
    assert _messages()[1].subject == "End-of-grant report overdue: PPAF-2026-1-0001"
    assert db_session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action.like("monitoring_report.reminder_%"))) == 2


def test_a_sent_report_gets_no_reminders(db_session, monkeypatch, member, report):
    returns.save_report(db_session, member, report, COMPLETE, send=True)

    assert send_reminders(db_session, _on(monkeypatch, REPORT_DUE - timedelta(days=14))).queued \
        == 0
    assert send_reminders(db_session, _on(monkeypatch, REPORT_DUE + timedelta(days=14))).queued \
        == 0


def test_an_accepted_report_gets_no_reminders(db_session, monkeypatch, member, staff, report):
    returns.save_report(db_session, member, report, COMPLETE, send=True)
    review.accept_report(db_session, staff, report)

    assert send_reminders(db_session, _on(monkeypatch, REPORT_DUE + timedelta(days=14))).queued \
        == 0
    assert _messages() == []


def test_a_report_sent_back_for_more_information_is_reminded_again(
        db_session, monkeypatch, member, staff, report):
    returns.save_report(db_session, member, report, COMPLETE, send=True)
    review.request_more_information(db_session, staff, report, "Add the invoices.")

    run = send_reminders(db_session, _on(monkeypatch, REPORT_DUE + timedelta(days=14)))

    assert run.reminders_after == 1


def test_the_run_makes_the_reports_of_accepted_grants_that_have_none(
        db_session, monkeypatch, paid_award):
    run = send_reminders(db_session, _on(monkeypatch, REPORT_DUE - timedelta(days=14)))

    assert run.reports_created == 1
    assert run.reminders_before == 1
    assert paid_award.application.status is ApplicationStatus.MONITORING_DUE


def test_grants_not_yet_accepted_or_closed_get_nothing(
        db_session, monkeypatch, award_factory, application_factory, published_round,
        organisation_factory, paid_award):
    make_award(award_factory, application_factory, published_round, organisation_factory(),
               status=AwardStatus.OFFERED, reference="PPAF-2026-1-0002", sequence=2)
    schedule.ensure_reports(db_session, paid_award)
    paid_award.status = AwardStatus.CLOSED

    run = send_reminders(db_session, _on(monkeypatch, REPORT_DUE + timedelta(days=14)))

    assert (run.reports_created, run.queued) == (0, 0)
    assert db_session.scalar(select(func.count(MonitoringReport.id))) == 1


def test_an_organisation_without_a_contact_address_is_counted_not_emailed(
        db_session, monkeypatch, organisation, report):
    organisation.contact_email = ""

    run = send_reminders(db_session, _on(monkeypatch, REPORT_DUE - timedelta(days=14)))

    assert (run.queued, run.without_address) == (0, 1)
    assert _messages() == []


def test_the_command_queues_each_reminder_once_however_often_it_runs(
        runner, monkeypatch, paid_award):
    _on(monkeypatch, REPORT_DUE - timedelta(days=14))

    first = runner.invoke(args=["reminders", "send"])
    second = runner.invoke(args=["reminders", "send"])

    assert first.exit_code == 0, first.output
    assert "Queued 1 reminder: 1 before the due date, 0 overdue." in first.output
    assert "Made 1 newly owed report." in first.output
    assert second.exit_code == 0, second.output
    assert "Queued 0 reminders: 0 before the due date, 0 overdue." in second.output
    assert len(_messages()) == 1
