"""`flask worker`: the jobs that time starts, run on a schedule by procrastinate.

Each job is the same code as its cron command (`outbox send`, `reminders send`,
`retention run --dry-run`), which stay for running by hand or from cron. Procrastinate keeps
its queue in the service's PostgreSQL (the tables a migration makes), and defers each
scheduled job once however many workers run; the outbox claims each email under a row lock
(FOR UPDATE SKIP LOCKED), so two workers never send the same one.

Every job runs in an application context of its own, in the worker's thread for it.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from grants.core import clock
from grants.core.errors import Refusal
from grants.documents.operations.storage import storage_for
from grants.extensions import db
from grants.monitoring.operations import reminders
from grants.offices.operations.speaking import office_of_request
from grants.opendata.operations import monthly
from grants.opendata.operations.threesixty import Publisher
from grants.records.operations.mail import transport_for
from grants.records.operations.sending import send_due
from grants.security.operations.retention import run_retention

if TYPE_CHECKING:
    import procrastinate

logger = logging.getLogger(__name__)

# Most emails one run of the outbox job tries; the next run, a minute later, takes the rest.
OUTBOX_BATCH = 500


@contextlib.contextmanager
def _app_context(context: Any) -> Iterator[Flask]:
    """The Flask app the worker was started with, in a context of this job's own (so its own
    database session, removed at the end)."""
    flask_app: Flask = context.additional_context["flask_app"]
    with flask_app.app_context():
        yield flask_app


def send_outbox(context: Any, timestamp: int | None = None) -> None:
    """`flask outbox send`: send the emails that are due."""
    with _app_context(context) as flask_app:
        sent, failed = send_due(db.session, transport_for(flask_app.config), limit=OUTBOX_BATCH)
    if sent or failed:
        logger.info("outbox: %d emails sent, %d to retry or failed", sent, failed)


def sync_reports(context: Any, timestamp: int | None = None) -> None:
    """Make the reports accepted grants owe and show "report due" where it is near."""
    with _app_context(context):
        created = reminders.sync_reports(db.session, clock.today_in_london())
        db.session.commit()
    logger.info("report sync: %d newly owed reports made", created)


def send_reminders(context: Any, timestamp: int | None = None) -> None:
    """`flask reminders send`: the daily run of monitoring (it syncs the reports first)."""
    with _app_context(context):
        run = reminders.send_reminders(db.session, clock.today_in_london())
        db.session.commit()
    logger.info("reminders: %d queued, %d reports made, %d without a contact address",
                run.queued, run.reports_created, run.without_address)


def retention_report(context: Any, timestamp: int | None = None) -> None:
    """`flask retention run --dry-run`: say what is due for anonymising, change nothing."""
    with _app_context(context) as flask_app:
        report = run_retention(db.session, storage_for(flask_app.config),
                               years=flask_app.config["RETENTION_YEARS"], dry_run=True)
        db.session.rollback()
    due = (len(report.application_ids) + len(report.user_ids)
           + len(report.ceremony_reply_ids) + len(report.interest_ids))
    logger.log(logging.WARNING if due else logging.INFO,
               "retention dry run (cut-off %s UTC): %d applications (%d documents), %d "
               "expressions of interest, %d accounts and %d ceremony replies are due for "
               "anonymising; `flask retention run` anonymises them",
               f"{report.cutoff:%Y-%m-%d %H:%M}", len(report.application_ids),
               report.documents_removed, len(report.interest_ids), len(report.user_ids),
               len(report.ceremony_reply_ids))


def publish_last_month(context: Any, timestamp: int | None = None) -> None:
    """`flask export-360giving --month` for the month just ended: its first file, once. A
    month already published is left to staff, whose button publishes a correction."""
    with _app_context(context):
        month = monthly.last_month(clock.today_in_london())
        if monthly.published_versions(db.session, month):
            return
        try:
            published = monthly.publish_month(db.session, month,
                                              Publisher.of_office(office_of_request(db.session)),
                                              actor_id=None)
        except Refusal as refusal:
            db.session.rollback()
            logger.info("monthly file %s not published: %s", month, refusal.message)
            return
        grants = published.file.grant_count
        db.session.commit()
    logger.info("monthly file %s published: %d grants", month, grants)


@dataclass(frozen=True)
class Job:
    function: Callable[..., None]
    cron: str  # minute hour day month weekday, in UTC

    @property
    def name(self) -> str:
        return self.function.__name__


# The schedule (UTC): the outbox every minute, the reports' status every hour, the retention
# report and the reminders before the working day, last month's file on the first.
JOBS = (
    Job(send_outbox, "* * * * *"),
    Job(sync_reports, "15 * * * *"),
    Job(retention_report, "30 5 * * *"),
    Job(send_reminders, "0 6 * * *"),
    # Early on the first two days of a month (a worker down on the first catches up on the
    # second), after midnight in London whether or not the clocks have gone forward.
    Job(publish_last_month, "0 2 1,2 * *"),
)


def libpq_address(database_uri: str) -> str:
    """SQLAlchemy's address of the database (postgresql+psycopg://…) as psycopg's own."""
    return make_url(database_uri).set(drivername="postgresql").render_as_string(
        hide_password=False)


def job_queue(database_uri: str, *, scheduled: bool = True) -> procrastinate.App:
    """Procrastinate on the service's PostgreSQL, knowing every job (and, when `scheduled`,
    when each runs). The queue itself is made by the migrations."""
    import procrastinate  # loaded by the worker, not by every web server

    queue = procrastinate.App(connector=procrastinate.PsycopgConnector(
        conninfo=libpq_address(database_uri), min_size=1, max_size=4))
    for job in JOBS:
        task = queue.task(name=job.name, pass_context=True)(job.function)
        if scheduled:
            queue.periodic(cron=job.cron)(task)
    return queue


@click.command("worker")
@click.option("--until-idle", is_flag=True,
              help="Do the jobs already queued, then stop (without following the schedule).")
@with_appcontext
def worker_command(until_idle: bool) -> None:
    """Run the background worker: it sends queued emails every minute and runs the daily jobs
    (reminders, report status, the retention report). Needs PostgreSQL; run one or more."""
    database_uri = current_app.config["SQLALCHEMY_DATABASE_URI"]
    if make_url(database_uri).get_backend_name() != "postgresql":
        raise click.ClickException(
            "The worker needs PostgreSQL (DATABASE_URL=postgresql+psycopg://…), where it keeps "
            "its jobs. On SQLite, in development, `make run` sends each email as it is "
            "queued; run `flask reminders send` for the daily job.")
    # Procrastinate says when the worker starts and stops and each job's outcome.
    logging.getLogger("procrastinate").setLevel(logging.INFO)
    queue = job_queue(database_uri, scheduled=not until_idle)
    queue.run_worker(wait=not until_idle, delete_jobs="successful",
                     additional_context={"flask_app": current_app._get_current_object()})
