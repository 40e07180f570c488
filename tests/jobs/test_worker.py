"""`flask worker`: what it schedules, that on PostgreSQL it works through the queue, and that
on SQLite it says plainly that it needs PostgreSQL."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select, text

from grants.extensions import db
from grants.jobs.cli import job_queue, libpq_address
from grants.records.models import OutboxMessage, OutboxStatus
from grants.records.operations.outbox import queue_email


def test_the_worker_knows_every_job_and_when_each_runs():
    queue = job_queue("postgresql+psycopg://grants:secret@db.internal:5432/grants")

    schedule = {task.name: periodic.cron
                for (task_name, _), periodic in queue.periodic_registry.periodic_tasks.items()
                for task in [queue.tasks[task_name]]}
    assert schedule == {"send_outbox": "* * * * *", "sync_reports": "15 * * * *",
                        "retention_report": "30 5 * * *", "send_reminders": "0 6 * * *",
                        "publish_last_month": "0 2 1,2 * *"}


def test_the_worker_reaches_the_services_database_by_psycopgs_own_address():
    assert libpq_address("postgresql+psycopg://grants:s%40cret@db.internal:5432/grants"
                         "?sslmode=require") == (
        "postgresql://grants:s%40cret@db.internal:5432/grants?sslmode=require")


def test_a_worker_draining_the_queue_follows_no_schedule():
    queue = job_queue("postgresql+psycopg://grants@db.internal/grants", scheduled=False)

    assert set(queue.tasks) >= {"send_outbox", "sync_reports", "retention_report",
                                "send_reminders"}
    assert queue.periodic_registry.periodic_tasks == {}


def test_on_sqlite_the_worker_says_it_needs_postgresql(app, runner):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("this is what SQLite (development) answers")

    result = runner.invoke(args=["worker"])

    assert result.exit_code == 1
    assert "The worker needs PostgreSQL" in result.output
    assert "`make run` sends each email as it is queued" in result.output


@pytest.mark.committing
def test_on_postgresql_the_worker_does_the_queued_jobs(app, runner, db_session):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the worker's queue is in PostgreSQL")
    for number in range(3):
        queue_email(db.session, to_address=f"person{number}@example.org", subject="Hello",
                    body_text="Confirm your email address")
    db.session.commit()
    queue = job_queue(app.config["SQLALCHEMY_DATABASE_URI"], scheduled=False)
    with queue.open():
        queue.tasks["send_outbox"].defer()

    # In a thread of its own: a browser test earlier in this test process leaves Playwright's
    # event loop running in the main thread, where the worker's asyncio.run() is refused.
    with ThreadPoolExecutor(max_workers=1) as thread:
        result = thread.submit(runner.invoke, args=["worker", "--until-idle"]).result()

    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert [m.status for m in db.session.scalars(select(OutboxMessage))] == (
        [OutboxStatus.SENT] * 3)
    # A job done is deleted, so the queue does not grow by one row a minute.
    assert db.session.scalar(text("SELECT count(*) FROM procrastinate_jobs")) == 0
