"""`flask seed-demo`."""

import click
from flask import current_app
from flask.cli import with_appcontext

from grants.accounts.operations.settings import AccountSettings
from grants.core.errors import Refusal
from grants.demo.operations.seed import seed_demo
from grants.extensions import db


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Create demo people, organisations and an open round (development only)."""
    try:
        people = seed_demo(db.session, AccountSettings.from_config(current_app.config),
                           allowed=current_app.config["DEMO_DATA_ALLOWED"])
    except Refusal as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo("Demo sign-ins (development only):")
    email_width = max((len(person.email) for person in people), default=0)
    password_width = max((len(person.password) for person in people), default=0)
    for person in people:
        roles = ", ".join(role.value for role in person.roles)
        click.echo(f"  {person.email:<{email_width}}  {person.password:<{password_width}}  "
                   f"{roles}")
