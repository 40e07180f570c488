"""`flask seed-reference`."""

import click
from flask.cli import with_appcontext

from grants.extensions import db
from grants.reference.operations.seed import seed_reference


@click.command("seed-reference")
@with_appcontext
def seed_reference_command() -> None:
    """Load the Police and Crime Plan, Thames Valley's areas and the two funds."""
    report = seed_reference(db.session)
    db.session.commit()
    click.echo(str(report))
