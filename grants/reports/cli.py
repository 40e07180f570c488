"""`flask report round ROUND` and `flask report year 2019/20 [--fund F]`: a report's figures
as JSON (money in pence) or CSV (money in pounds); a year's JSON holds the year's ledger of each
fund that keeps track of its money under "money"."""

import json
import logging

import click
from flask.cli import AppGroup

from grants.core.errors import NotFound, Refusal
from grants.extensions import db
from grants.interest.operations.listing import stage_figures
from grants.ledger.operations.figures import year_of_funds
from grants.reports.operations import delegated, downloads, figures
from grants.reports.operations.selection import Selection, round_selection, year_selection

logger = logging.getLogger(__name__)

report_cli = AppGroup("report", help="The figures of a round, or of a financial year.")

FORMAT = click.option("--format", "output_format", type=click.Choice(["json", "csv"]),
                      default="json", show_default=True,
                      help="JSON (money in pence) or CSV (money in pounds).")


def _echo(selection: Selection, output_format: str) -> None:
    report = figures.report_figures(db.session, selection)
    if output_format == "csv":
        allocations = delegated.delegated_summaries(db.session, selection)
        interest = stage_figures(db.session, selection.round_clauses())
        click.echo(downloads.report_csv(selection, report, allocations, interest=interest),
                   nl=False)
    else:
        data = report.to_json()
        # Counted once in the figures, as the fund's award to the intermediary; the onward
        # grants beneath each allocation.
        data["community_foundation_allocations"] = [
            summary.to_json()
            for summary in delegated.delegated_summaries(db.session, selection)]
        interest = stage_figures(db.session, selection.round_clauses())
        if interest is not None:
            # Its rounds started with an expression of interest: that stage's figures too.
            data["expressions_of_interest"] = interest.to_json()
        if selection.round is None:
            # A year's report holds the year's ledger of its fund (or of each fund).
            data["money"] = [{"fund": fund.code, **row.to_json()} for fund, row in
                             year_of_funds(db.session, selection.year, selection.fund)]
        click.echo(json.dumps(data, indent=2))


@report_cli.command("round")
@click.argument("round_reference", metavar="ROUND")
@FORMAT
def round_command(round_reference: str, output_format: str) -> None:
    """The figures of one round, named by its id or its code."""
    try:
        selection = round_selection(db.session, round_reference)
    except NotFound as error:
        raise click.ClickException(error.message) from None
    _echo(selection, output_format)


@report_cli.command("year")
@click.argument("year")
@click.option("--fund", "fund_code", default=None,
              help="A fund's code, e.g. PPAF; every fund when left out.")
@FORMAT
def year_command(year: str, fund_code: str | None, output_format: str) -> None:
    """The figures of a financial year's rounds (by closing date), written like 2019/20."""
    try:
        selection = year_selection(db.session, year, fund_code)
    except Refusal as error:
        raise click.BadParameter(error.message, param_hint="YEAR") from None
    except NotFound as error:
        raise click.ClickException(error.message) from None
    _echo(selection, output_format)
