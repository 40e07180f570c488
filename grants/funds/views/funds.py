"""Staff pages for funds: the list, adding one and changing one."""

from flask import flash, redirect, render_template, url_for

from grants.core.errors import Refusal
from grants.core.refusals import show_errors
from grants.core.validators import saved_values
from grants.extensions import db
from grants.funds.forms import FundForm
from grants.funds.operations import funds
from grants.funds.views.blueprint import actor_id, bp


@bp.get("/funds")
def list_funds():
    return render_template("funds/funds.html", funds=funds.list_funds(db.session))


@bp.route("/funds/new", methods=["GET", "POST"])
def new_fund():
    form = FundForm()
    if form.validate_on_submit():
        try:
            fund = funds.create_fund(db.session, form.details(), actor_id=actor_id())
        except Refusal as error:
            show_errors(form, error, "code")
        else:
            flash(f"{fund.name} ({fund.code}) added", "success")
            return redirect(url_for("funds.list_funds"))
    return render_template("funds/fund_form.html", form=form, fund=None)


@bp.route("/funds/<int:fund_id>/edit", methods=["GET", "POST"])
def edit_fund(fund_id: int):
    fund = funds.get_fund(db.session, fund_id)
    form = FundForm(obj=saved_values(fund))
    if form.validate_on_submit():
        try:
            funds.update_fund(db.session, fund, form.details(), actor_id=actor_id())
        except Refusal as error:
            show_errors(form, error, "code")
        else:
            flash(f"{fund.name} ({fund.code}) saved", "success")
            return redirect(url_for("funds.list_funds"))
    return render_template("funds/fund_form.html", form=form, fund=fund)
