"""`flask users ...`: managing user accounts from the command line."""

import logging
import sys

import click
from flask import current_app
from flask.cli import AppGroup

from grants.accounts.models import Role
from grants.accounts.operations import second_factor
from grants.accounts.operations.passwords import generate_password
from grants.accounts.operations.settings import AccountSettings
from grants.accounts.operations.users import create_user, find_user_by_email
from grants.core.errors import Refusal
from grants.extensions import db
from grants.offices.operations.reading import find_office_by_slug

logger = logging.getLogger(__name__)

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create")
@click.option("--email", required=True, help="Email address; the user signs in with it.")
@click.option("--name", required=True, help="The person's full name.")
@click.option(
    "--role", "roles", required=True, multiple=True,
    type=click.Choice([role.value for role in Role]),
    help="A role; repeat for more than one.",
)
@click.option("--county", help="A High Sheriff's county, e.g. Berkshire.")
@click.option("--term-year", type=int,
              help="The year a High Sheriff's term began (default: this year).")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from standard input instead of generating one.")
@click.option("--office", "office_slug",
              help="The slug of the office a staff-side role is held for (default: the first "
                   "office).")
def create_user_command(email, name, roles, county, term_year, password_stdin, office_slug):
    """Create a user whose email address counts as confirmed."""
    settings = AccountSettings.from_config(current_app.config)
    office_id = None
    if office_slug:
        office = find_office_by_slug(db.session, office_slug)
        if office is None:
            raise click.ClickException(f"There is no office with the slug {office_slug}")
        office_id = office.id
    if password_stdin:
        password = sys.stdin.read().rstrip("\r\n")
        generated = False
    else:
        password = generate_password(settings)
        generated = True
    try:
        user = create_user(
            db.session, settings, email=email, name=name, roles=roles, password=password,
            county_name=county, term_year=term_year, verified=True, office_id=office_id,
        )
        db.session.commit()
    except Refusal as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None

    role_list = ", ".join(sorted(role.value for role in user.roles))
    click.echo(f"Created user {user.id} ({user.email}) with roles: {role_list}")
    if user.county_id is not None:
        click.echo(f"High Sheriff of {user.county.name}, term year {user.term_year}")
    if generated:
        click.echo(f"Password: {password}")
        click.echo("Give the password to the person securely; they can change it after "
                   "signing in.")


@users_cli.command("reset-second-factor")
@click.option("--email", required=True, help="The email address the user signs in with.")
def reset_second_factor_command(email):
    """Forget a user's authenticator app (lost phone); they set up a new one at next sign-in."""
    user = find_user_by_email(db.session, email)
    if user is None:
        raise click.ClickException("There is no user with that email address")
    second_factor.reset_for_lost_device(db.session, user, actor_id=None)
    db.session.commit()
    click.echo(f"User {user.id} ({user.email}) now signs in without a code until they set up "
               "an authenticator app again.")
