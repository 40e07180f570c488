"""Keeping a signed-in session alive from the timeout warning."""

from flask import abort, current_app
from flask_login import current_user

from grants.applications.views.blueprint import bp
from grants.auth import permissions


@bp.get("/session/keep-alive")
def keep_alive():
    """Called by the timeout warning's "Stay signed in": any signed-in request restarts the
    idle clock, so there is nothing more to do."""
    if not permissions.is_signed_in(current_user):
        abort(401)
    return current_app.response_class(status=204)
