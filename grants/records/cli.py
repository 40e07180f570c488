"""`flask outbox send`."""

import click
from flask import current_app
from flask.cli import AppGroup

from grants.extensions import db
from grants.records.operations.mail import transport_for
from grants.records.operations.sending import send_due

outbox_cli = AppGroup("outbox", help="The queue of emails to send.")


@outbox_cli.command("send")
@click.option("--limit", default=100, show_default=True, help="Most messages to try this run.")
def send_command(limit: int) -> None:
    """Send the emails that are due (by SMTP when SMTP_HOST is set, otherwise to the log)."""
    sent, failed = send_due(db.session, transport_for(current_app.config), limit=limit)
    click.echo(f"Sent {sent} email{'s' if sent != 1 else ''}; {failed} to retry or failed.")
