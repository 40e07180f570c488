"""`flask seed-reference`."""

import click
from flask import current_app
from flask.cli import with_appcontext

from grants.extensions import db
from grants.reference.operations.seed import OFFICE_SETTINGS, seed_reference


@click.command("seed-reference")
@with_appcontext
def seed_reference_command() -> None:
    """Load the first office, its Police and Crime Plan, its areas and its two funds."""
    settings = {name: current_app.config.get(name, "") for name in OFFICE_SETTINGS}
    report = seed_reference(db.session, settings)
    db.session.commit()
    click.echo(str(report))
