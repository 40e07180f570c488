"""`flask offices ...`: setting up an office from the command line."""

from pathlib import Path

import click
from flask.cli import AppGroup

from grants.core.errors import Refusal
from grants.extensions import db
from grants.offices.operations.areas_file import AreasFileRejected, load_areas
from grants.offices.operations.creating import OfficeDetails, create_office
from grants.offices.operations.reading import find_office_by_slug

offices_cli = AppGroup("offices", help="Set up the offices that run grant funds here.")


@offices_cli.command("create")
@click.option("--name", required=True,
              help="The office's full name, e.g. Office of the Police and Crime Commissioner "
                   "for Dyfed-Powys.")
@click.option("--short-name", help="The name for menus and lists (default: the slug's words).")
@click.option("--slug", required=True, help="Its part of a path, e.g. dyfed-powys.")
@click.option("--org-id", required=True, help="The funder's org-id, e.g. GB-GOR-PC000105.")
@click.option("--grant-id-prefix", required=True, help="360Giving prefix, e.g. 360G-dppcc.")
@click.option("--funder-name", default="", help="The funder as 360Giving data names it "
                                                "(default: the name).")
@click.option("--contact-email", required=True, help="The grants team's address.")
@click.option("--postal-address", default="", help="The office's postal address.")
@click.option("--brand-colour", default="#3f2577", show_default=True, help="#rrggbb.")
@click.option("--financial-year-start", default="04-01", show_default=True,
              help="The day the financial year starts, as MM-DD.")
@click.option("--welsh", is_flag=True, help="The office offers its service in Welsh too.")
def create_office_command(name, short_name, slug, org_id, grant_id_prefix, funder_name,
                          contact_email, postal_address, brand_colour, financial_year_start,
                          welsh):
    """Create an office, with no plan, funds or areas yet."""
    try:
        month, day = (int(part) for part in financial_year_start.split("-"))
    except ValueError:
        raise click.BadParameter("write it as MM-DD, like 04-01",
                                 param_hint="--financial-year-start") from None
    details = OfficeDetails(
        name=name, short_name=short_name or slug.replace("-", " ").title(), slug=slug,
        funder_org_id=org_id, grant_id_prefix=grant_id_prefix, funder_name=funder_name,
        contact_email=contact_email, postal_address=postal_address, brand_colour=brand_colour,
        financial_year_start_month=month, financial_year_start_day=day, welsh=welsh)
    try:
        office = create_office(db.session, details, actor_id=None)
        db.session.commit()
    except Refusal as error:
        db.session.rollback()
        raise click.ClickException("\n".join(error.errors.values())) from None
    click.echo(f"Created office {office.id}: {office.name} (/{office.slug}/)")


@offices_cli.command("load-areas")
@click.argument("slug")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def load_areas_command(slug: str, file: Path):
    """Load an office's counties, local authorities and partnerships from a CSV file: the
    whole file or nothing."""
    office = find_office_by_slug(db.session, slug)
    if office is None:
        raise click.ClickException(f"There is no office with the slug {slug}")
    try:
        loaded = load_areas(db.session, office, file.read_bytes(), actor_id=None)
        db.session.commit()
    except AreasFileRejected as error:
        db.session.rollback()
        raise click.ClickException("Nothing was loaded:\n" + "\n".join(error.problems)
                                   ) from None
    click.echo(f"{office.short_name}: {loaded}")
