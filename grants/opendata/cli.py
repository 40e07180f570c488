"""`flask export-360giving` and `flask import-360giving`."""

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from grants.core.errors import Refusal
from grants.core.money import format_pounds
from grants.core.months import month_name
from grants.extensions import db
from grants.offices.operations.speaking import office_of_request
from grants.opendata.operations.export import FORMATS, Selection, export_to
from grants.opendata.operations.importing import ImportRefused, import_file
from grants.opendata.operations.monthly import publish_month
from grants.opendata.operations.threesixty import Publisher


@click.command("export-360giving")
@click.option("--round", "round_", help="A round's code or id.")
@click.option("--year", help='A financial year, like "2019/20" (by the round\'s closing date).')
@click.option("--fund", help="A fund's code, like PPAF.")
@click.option("--month", help="Publish a month's file, like 2026-11: the grants published "
                              "that month, kept as published (a changed month gets a new "
                              "version), written as JSON.")
@click.option("--include-onward", is_flag=True,
              help="Also the grants Community Foundations made from their allocations, with "
                   "the Community Foundation as their funder.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="The file to write (standard output when not given).")
@with_appcontext
def export_command(round_: str | None, year: str | None, fund: str | None, month: str | None,
                   include_onward: bool, fmt: str, output: str | None) -> None:
    """Write the published awards as 360Giving data (JSON, CSV or XLSX), or publish a month's
    file (--month) and write it."""
    if month:
        if round_ or year or fund or fmt != "json" or include_onward:
            raise click.UsageError("--month publishes the month's JSON file: give it alone.")
        _publish_month(month, output)
        return
    if round_ and year:
        raise click.UsageError("Give --round or --year, not both.")
    if fmt == "xlsx" and not output:
        raise click.UsageError("An XLSX file needs -o FILE.")
    selection = Selection(round=round_, year=year, fund=fund)
    publisher = Publisher.of_office(office_of_request(db.session))
    try:
        if output:
            with open(output, "wb") as out:
                total = export_to(db.session, selection, publisher, fmt, out,
                                  include_onward=include_onward)
        else:
            total = export_to(db.session, selection, publisher, fmt, sys.stdout.buffer,
                              include_onward=include_onward)
            sys.stdout.buffer.flush()
    except Refusal as error:
        if output:
            Path(output).unlink(missing_ok=True)
        raise click.ClickException(error.message) from None
    finally:
        db.session.rollback()
    if output:
        click.echo(f"Wrote {_count(total, 'grant')} to {output}.", err=True)


def _publish_month(month: str, output: str | None) -> None:
    try:
        publisher = Publisher.of_office(office_of_request(db.session))
        published = publish_month(db.session, month, publisher, actor_id=None)
    except Refusal as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    file = published.file
    content = file.content
    db.session.commit()
    if output:
        with open(output, "w", encoding="utf-8") as out:
            out.write(content)
    else:
        sys.stdout.write(content)
        sys.stdout.flush()
    state = ("Published" if published.created else
             "Nothing has changed since; the file stands as")
    click.echo(f"{state} {month_name(file.month)} version {file.version}: "
               f"{_count(file.grant_count, 'grant')}"
               + (f", written to {output}." if output else "."), err=True)


@click.command("import-360giving")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--fund", required=True, help="The code of the fund the awards were made from.")
@click.option("--dry-run", is_flag=True, help="Show what would be created; change nothing.")
@with_appcontext
def import_command(file: str, fund: str, dry_run: bool) -> None:
    """Record past awards from a 360Giving file (JSON, CSV, or XLSX of one sheet or of a
    sheet per list)."""
    try:
        with open(file, "rb") as stream:
            summary = import_file(db.session, stream, file, fund,
                                  prefix=office_of_request(db.session).grant_id_prefix,
                                  dry_run=dry_run)
    except ImportRefused as refused:
        db.session.rollback()
        for problem in refused.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(refused.message) from None
    except Refusal as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    verb = "Would create" if dry_run else "Created"
    click.echo(f"{_count(summary.grants_in_file, 'grant')} in the file; "
               f"{summary.already_present} already in the service.")
    click.echo(f"{verb} {_count(summary.awards_created, 'award')} totalling "
               f"{format_pounds(summary.amount_created_pence)}.")
    for code, (awards, pence) in summary.per_round.items():
        new = " (new round)" if code in summary.rounds_created else ""
        click.echo(f"  {code}{new}: {_count(awards, 'award')}, {format_pounds(pence)}")
    if summary.organisations_created:
        click.echo(f"{verb} {_count(len(summary.organisations_created), 'organisation')}: "
                   + ", ".join(summary.organisations_created))
    if dry_run:
        click.echo("Dry run: nothing was changed.")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
