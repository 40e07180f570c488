"""Public pages about funding rounds: the open and upcoming rounds, and each round's page.

Nobody needs to sign in to read them.
"""

from flask import Blueprint, abort, current_app, render_template, url_for
from flask_login import current_user

from grants.auth import permissions
from grants.core import clock
from grants.extensions import db
from grants.funds import queries

bp = Blueprint("rounds", __name__)

# The applications area provides this page; until it does, people go to their dashboard.
START_APPLICATION_ENDPOINT = "applications.start_application"


@bp.get("/rounds")
def list_rounds():
    return render_template(
        "rounds/list.html",
        rounds=queries.open_and_upcoming_rounds(db.session, clock.utcnow()),
    )


@bp.get("/rounds/<code>")
def view_round(code: str):
    summary = queries.public_round(db.session, code, clock.utcnow())
    if summary is None:
        abort(404)
    return render_template(
        "rounds/view.html",
        summary=summary,
        round=summary.round,
        start_url=start_application_url(code) if summary.is_open else None,
    )


def start_application_url(code: str) -> str:
    """Where "Start an application" leads: the application's first page once it exists,
    until then the dashboard (through the sign-in page for people who are signed out)."""
    if START_APPLICATION_ENDPOINT in current_app.view_functions:
        return url_for(START_APPLICATION_ENDPOINT, round_code=code)
    dashboard = url_for("organisations.dashboard")
    if permissions.is_signed_in(current_user):
        return dashboard
    return url_for("accounts.sign_in", next=dashboard)
