"""Each job of the background worker does what its cron command does, in an application
context of its own, and commits (or, for the retention report, changes nothing)."""

import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from grants.applications.models import Application, ApplicationStatus
from grants.jobs.cli import retention_report, send_outbox, send_reminders, sync_reports
from grants.monitoring.models import MonitoringReport
from grants.records.models import OutboxMessage, OutboxStatus
from grants.records.operations.outbox import queue_email
from tests.awards.monitoring_fixtures import (  # noqa: F401  (fixtures)
    REPORT_DUE,
    approver_fixture,
    at_noon,
    fixed_clock_fixture,
    member_fixture,
    move_clock,
    organisation_fixture,
    paid_award_fixture,
    published_round_fixture,
    staff_fixture,
)


def job_context(app):
    """What procrastinate hands a job: the worker's Flask app in its additional context."""
    return SimpleNamespace(additional_context={"flask_app": app})


def test_the_outbox_job_sends_the_emails_that_are_due(app, db_session, caplog):
    for number in range(3):
        queue_email(db_session, to_address=f"person{number}@example.org", subject="Hello",
                    body_text="Confirm your email address")
    db_session.commit()
    caplog.set_level(logging.INFO, logger="grants")

    send_outbox(job_context(app), timestamp=1_800_000_000)

    db_session.expire_all()
    assert [message.status for message in db_session.scalars(select(OutboxMessage))] == (
        [OutboxStatus.SENT] * 3)
    assert "outbox: 3 emails sent, 0 to retry or failed" in caplog.text


def test_the_reminders_job_queues_the_reminders_due_today(app, db_session, monkeypatch,
                                                          paid_award):
    move_clock(monkeypatch, at_noon(REPORT_DUE - timedelta(days=14)))

    send_reminders(job_context(app))

    db_session.expire_all()
    keys = db_session.scalars(select(OutboxMessage.idempotency_key).where(
        OutboxMessage.idempotency_key.like("report-reminder:%"))).all()
    report = db_session.scalars(select(MonitoringReport).where(
        MonitoringReport.award_id == paid_award.id)).one()
    assert keys == [f"report-reminder:before:{report.id}"]


def test_the_report_sync_job_makes_the_reports_a_paid_grant_owes(app, db_session, paid_award,
                                                                   caplog):
    caplog.set_level(logging.INFO, logger="grants")

    sync_reports(job_context(app))

    db_session.expire_all()
    assert db_session.scalar(select(func.count(MonitoringReport.id)).where(
        MonitoringReport.award_id == paid_award.id)) == 1
    assert "report sync: 1 newly owed reports made" in caplog.text


@pytest.mark.parametrize("years_ago,says", [(7, "1 applications (0 documents)"),
                                            (1, "0 applications (0 documents)")])
def test_the_retention_job_reports_what_is_due_and_changes_nothing(
        app, db_session, fixed_clock, round_factory, application_factory, caplog,
        years_ago, says):
    closed = fixed_clock - timedelta(days=365 * years_ago)
    application = application_factory(
        round=round_factory(opens_at=closed - timedelta(days=30), closes_at=closed),
        status=ApplicationStatus.DECLINED, title="Help for Jo Bloggs")
    db_session.commit()
    caplog.set_level(logging.INFO, logger="grants")

    retention_report(job_context(app))

    db_session.expire_all()
    assert db_session.get(Application, application.id).anonymised_at is None
    [record] = [r for r in caplog.records if r.getMessage().startswith("retention dry run")]
    assert says in record.getMessage()
    assert record.levelno == (logging.WARNING if years_ago == 7 else logging.INFO)
