"""`flask outbox send`."""

import click
from flask import current_app
from flask.cli import AppGroup

from grants.extensions import db
from grants.records.operations.mail import transport_for
from grants.records.operations.outbox import claim_next_due, deliver

outbox_cli = AppGroup("outbox", help="The queue of emails to send.")


@outbox_cli.command("send")
@click.option("--limit", default=100, show_default=True, help="Most messages to try this run.")
def send_command(limit: int) -> None:
    """Send the emails that are due (by SMTP when SMTP_HOST is set, otherwise to the log)."""
    transport = transport_for(current_app.config)
    sent = failed = 0
    for _ in range(limit):
        message = claim_next_due(db.session)
        if message is None:
            break
        if deliver(db.session, message, transport):
            sent += 1
        else:
            failed += 1
        # Each email is its own unit of work: once sent, that fact is saved at once, so a
        # crash later in the run cannot make it go out twice.
        db.session.commit()
    click.echo(f"Sent {sent} email{'s' if sent != 1 else ''}; {failed} to retry or failed.")
