"""Staff pages: the rounds dashboard, and the admin's list of people."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from grants.accounts.models import Role, User
from grants.accounts.operations import sessions
from grants.auth import permissions
from grants.auth.decorators import every_page_requires
from grants.core.paging import page_number
from grants.extensions import db
from grants.ledger.operations.figures import year_of_funds
from grants.staff.operations import dashboard, people

bp = Blueprint("staff", __name__, url_prefix="/staff")

# Every staff page is for OPCC staff (and admins) only.
every_page_requires(bp, permissions.may_view_staff_pages)


@bp.get("/")
def home():
    """The rounds dashboard: a fund's rounds in a financial year, their money and applications."""
    rounds = dashboard.rounds_dashboard(
        db.session,
        fund_code=request.args.get("fund") or None,
        year=request.args.get("year") or None,
        show_archived=request.args.get("archived") == "yes",
    )
    money = year_of_funds(db.session, rounds.year, rounds.fund)
    return render_template(
        "staff/home.html",
        dashboard=rounds,
        money_rows=[(fund.name, row) for fund, row in money],
        money_funds=[fund for fund, _ in money],
        totals=rounds.totals,
        new_round_url=url_for("funds.new_round"),
        funds_url=url_for("funds.list_funds"),
    )


@bp.get("/users")
def list_users():
    if not permissions.may_manage_users(current_user):
        abort(403)
    role_value = request.args.get("role", "")
    role = next((r for r in Role if r.value == role_value), None)
    search = request.args.get("q", "")
    page = people.list_users(db.session, role=role, search=search,
                             page=page_number(request.args.get("page")))
    return render_template(
        "staff/users.html",
        page=page,
        roles=list(Role),
        role=role,
        search=search,
    )


@bp.post("/users/<int:user_id>/sign-out-everywhere")
def sign_out_everywhere(user_id: int):
    """An admin ends every session of a person: a lost laptop, someone leaving."""
    if not permissions.may_manage_users(current_user):
        abort(403)
    user = db.get_or_404(User, user_id)
    ended = sessions.sign_out_everywhere(db.session, user, actor_id=current_user.id)
    flash(f"{user.name} is signed out on every device: "
          f"{ended} session{'' if ended == 1 else 's'} ended.", "success")
    return redirect(url_for("staff.list_users"))
