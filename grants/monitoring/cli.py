"""`flask reminders send`: monitoring's daily run (safe to run from cron). It writes what time
changes, which the pages never write: the reports newly owed, applications showing "report
due", and the reminders."""

import click
from flask.cli import AppGroup

from grants.core import clock
from grants.extensions import db
from grants.monitoring.operations.reminders import send_reminders

reminders_cli = AppGroup("reminders", help="Reminders of the monitoring reports grants owe.")


@reminders_cli.command("send")
def send_command() -> None:
    """Make the reports newly owed, show "report due" where the end-of-grant report is near,
    and queue today's reminders: from 14 days before a report is due, and from 14 days after.
    Each reminder is queued once, however often this runs; `outbox send` sends them."""
    run = send_reminders(db.session, clock.today_in_london())
    db.session.commit()
    click.echo(
        f"Queued {run.queued} reminder{'s' if run.queued != 1 else ''}: "
        f"{run.reminders_before} before the due date, {run.reminders_after} overdue. "
        f"Made {run.reports_created} newly owed report{'s' if run.reports_created != 1 else ''}.")
    if run.without_address:
        click.echo(f"{run.without_address} could not be sent: the organisation has no contact "
                   "email address.")
