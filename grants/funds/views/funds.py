"""Staff pages for funds: the list, adding one and changing one."""

from flask import render_template, request, url_for

from grants.core.refusals import carry_out
from grants.core.validators import saved_values
from grants.extensions import db
from grants.funds.forms import FundForm
from grants.funds.operations import funds
from grants.funds.views.blueprint import actor_id, bp
from grants.offices.operations.scoping import office_scope


@bp.get("/funds")
def list_funds():
    return render_template("funds/funds.html", funds=funds.list_funds(db.session))


@bp.route("/funds/new", methods=["GET", "POST"])
def new_fund():
    form = FundForm()
    answer = carry_out(
        form, lambda: funds.create_fund(db.session, form.details(), actor_id=actor_id(),
                                        office_id=office_scope(db.session)),
        field="code", done=lambda fund: f"{fund.name} ({fund.code}) added",
        then=url_for("funds.list_funds"))
    return answer or render_template("funds/fund_form.html", form=form, fund=None)


@bp.route("/funds/<int:fund_id>/edit", methods=["GET", "POST"])
def edit_fund(fund_id: int):
    fund = funds.get_fund(db.session, fund_id)
    form = FundForm(obj=saved_values(fund))
    if request.method == "GET":
        form.fill_limited(fund)
    answer = carry_out(
        form, lambda: funds.update_fund(db.session, fund, form.details(), actor_id=actor_id()),
        field="code", done=lambda fund: f"{fund.name} ({fund.code}) saved",
        then=url_for("funds.list_funds"))
    return answer or render_template("funds/fund_form.html", form=form, fund=fund)
