"""Pages for everyone: home, accessibility statement, privacy notice, and the health check."""

import logging

from flask import jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from grants.auth import permissions
from grants.extensions import csrf, db, talisman
from grants.pages.views.blueprint import bp

logger = logging.getLogger(__name__)


def _home_links() -> dict[str, str | None]:
    """Where the home page sends this person next."""
    user = current_user
    if permissions.is_staff(user):
        return {
            "continue_url": url_for("staff.home"),
            "continue_text": _("Go to staff home"),
        }
    if permissions.is_applicant(user):
        return {
            "continue_url": url_for("organisations.dashboard"),
            "continue_text": _("Go to your dashboard"),
        }
    if permissions.is_signed_in(user):
        return {
            "continue_url": url_for("accounts.account"),
            "continue_text": _("Go to your account"),
        }
    return {
        "register_url": url_for("accounts.register"),
        "sign_in_url": url_for("accounts.sign_in"),
    }


@bp.get("/")
def home():
    return render_template(
        "core/home.html",
        signed_in=permissions.is_signed_in(current_user),
        **_home_links(),
    )


@bp.get("/accessibility")
def accessibility():
    return render_template("core/accessibility.html")


@bp.get("/privacy")
def privacy():
    return render_template("core/privacy.html")


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says; send them to the service's icon."""
    return redirect(url_for("static", filename="images/favicon.svg"), code=301)


@bp.get("/healthz")
@csrf.exempt
# Load balancers probe over plain HTTP inside the network; the answer holds nothing private.
@talisman(force_https=False)
def healthz():
    """Answer 200 when the app can reach its database, 503 when it cannot."""
    try:
        db.session.execute(select(1))
    except DBAPIError:
        logger.warning("Health check failed: the database did not answer", exc_info=True)
        db.session.rollback()
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok")
