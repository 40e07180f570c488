"""Staff pages for a fund's money: its ledger by financial year, the money paid in, recording
a payment in, importing payments from a CSV file, and the CSV downloads."""

import logging

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from grants.auth import permissions
from grants.auth.decorators import every_page_requires
from grants.core import clock
from grants.core.downloads import csv_attachment
from grants.core.money import format_pounds
from grants.core.paging import page_number
from grants.core.refusals import carry_out, show_errors
from grants.core.spreadsheets import MAX_CSV_BYTES
from grants.core.uploads import chosen_file, shown_name
from grants.extensions import db
from grants.ledger.forms import PaidInFileForm, PaidInForm
from grants.ledger.models import money_year_of
from grants.ledger.operations import downloads, figures, importing, paid_in

logger = logging.getLogger(__name__)

bp = Blueprint("ledger", __name__, url_prefix="/staff/funds")

# A fund's money is for OPCC staff (and admins) only, as its other pages are.
every_page_requires(bp, permissions.may_view_staff_pages)

def _money_url(fund_id: int) -> str:
    return url_for("ledger.view_money", fund_id=fund_id)


def _ledger_years(fund) -> tuple[figures.LedgerYear, ...]:
    """The fund's ledger, on to the current financial year."""
    return figures.fund_ledger(db.session, fund).through(money_year_of(clock.today_in_london()))


def _labelled(years: tuple[figures.LedgerYear, ...]) -> list[tuple[str, figures.LedgerYear]]:
    """Rows as the ledger table shows them, each headed by its year."""
    return [(row.year, row) for row in years]


@bp.get("/<int:fund_id>/money")
def view_money(fund_id: int):
    fund = paid_in.get_fund(db.session, fund_id)
    page = paid_in.money_paid_in_page(db.session, fund, page_number(request.args.get("page")))
    return render_template("ledger/money.html", fund=fund,
                           years=_labelled(_ledger_years(fund)), page=page)


@bp.route("/<int:fund_id>/money/new", methods=["GET", "POST"])
def record_money(fund_id: int):
    fund = paid_in.get_fund(db.session, fund_id)
    form = PaidInForm()
    answer = carry_out(
        form, lambda: paid_in.record_money_paid_in(db.session, fund, form.entry(),
                                                   actor_id=current_user.id),
        field="amount",
        done=lambda row: f"{paid_in.describe(row)} recorded in {row.financial_year}",
        then=_money_url(fund_id))
    return answer or render_template("ledger/record.html", fund=fund, form=form)


@bp.route("/<int:fund_id>/money/import", methods=["GET", "POST"])
def import_money(fund_id: int):
    fund = paid_in.get_fund(db.session, fund_id)
    form = PaidInFileForm()
    chosen = chosen_file(form, "paid_in_file", "Choose a CSV file to upload")
    if chosen is not None:
        name = shown_name(chosen)
        try:
            done = importing.import_paid_in_csv(
                db.session, fund, chosen.read(MAX_CSV_BYTES + 1),
                file_name=name, actor_id=current_user.id)
        except importing.PaidInFileRejected as error:
            show_errors(form, error, "paid_in_file")
            form.paid_in_file.errors = list(error.problems)  # every problem, not one
        else:
            flash(f"{done.count} {'payment' if done.count == 1 else 'payments'} in, "
                  f"{format_pounds(done.amount_pence)} in all, imported from {name}",
                  "success")
            return redirect(_money_url(fund_id))
    return render_template("ledger/import.html", fund=fund, form=form,
                           columns=importing.COLUMNS)


def _download(body: str, file_name: str) -> Response:
    logger.info("user %s downloaded %s", current_user.id, file_name)
    return csv_attachment(body, filename=file_name)


@bp.get("/<int:fund_id>/money.csv")
def download_ledger(fund_id: int):
    fund = paid_in.get_fund(db.session, fund_id)
    return _download(downloads.ledger_csv(_ledger_years(fund)), downloads.ledger_file_name(fund))


@bp.get("/<int:fund_id>/money/paid-in.csv")
def download_money_paid_in(fund_id: int):
    fund = paid_in.get_fund(db.session, fund_id)
    return _download(downloads.paid_in_csv(paid_in.every_payment_in(db.session, fund)),
                     downloads.paid_in_file_name(fund))
