"""The account page, and setting up or turning off an authenticator app."""

import logging

import segno
from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from grants.accounts.forms import CodeForm
from grants.accounts.operations import second_factor
from grants.accounts.operations import sessions as signed_in_sessions
from grants.accounts.views.blueprint import bp
from grants.accounts.views.common import account_settings
from grants.accounts.views.sessions import this_session
from grants.auth import permissions
from grants.auth.decorators import login_required
from grants.core.errors import Refusal
from grants.core.refusals import show_errors
from grants.extensions import db

logger = logging.getLogger(__name__)

# The secret shown while an app is being set up: kept in the signed session, not the database,
# so showing the page writes nothing; confirming it with a right code saves it on the account.
SETUP_SECRET = "totp_setup_secret"


def qr_code_svg(uri: str) -> Markup:
    """The link as a QR code, an inline SVG (no script or style, so the CSP allows it)."""
    svg = segno.make(uri, error="m").svg_inline(
        scale=4, title=_("QR code for your authenticator app"), svgclass="app-qr-code"
    )
    return Markup(svg)  # noqa: S704 (made by segno from our own link, no user markup)


@bp.get("/account")
@login_required
def account():
    user = current_user._get_current_object()
    return render_template(
        "accounts/account.html",
        user=user,
        roles=sorted(role.label for role in user.roles),
        county_name=user.county.name if user.county else None,
        may_submit=permissions.may_submit_applications(user),
        uses_second_factor=second_factor.uses_second_factor(user),
        second_factor_required=second_factor.is_required(user, account_settings()),
        sessions=signed_in_sessions.sessions_of(db.session, user),
        this_session=this_session(),
        device_name=signed_in_sessions.device_name,
    )


@bp.post("/account/sessions/end")
@login_required
def end_session():
    """Sign out on another device, from the list of sessions on the account page."""
    user = current_user._get_current_object()
    current = this_session()
    session_id = request.form.get("session_id", "")
    if current is not None and session_id == current.id:
        flash(_("To sign out on this device, use the sign out link"), "info")
    elif signed_in_sessions.end_own(db.session, user, session_id):
        flash(_("You have been signed out on that device"), "success")
    else:
        flash(_("You were already signed out on that device"), "info")
    return redirect(url_for("accounts.account"))


@bp.route("/account/authenticator", methods=["GET", "POST"])
@login_required
def set_up_authenticator():
    user = current_user._get_current_object()
    if second_factor.uses_second_factor(user):
        flash(_("You have already set up an authenticator app"), "info")
        return redirect(url_for("accounts.account"))
    settings = account_settings()
    form = CodeForm()
    if form.validate_on_submit():
        try:
            second_factor.confirm_setup(db.session, user, secret=session.get(SETUP_SECRET),
                                        code=form.code.data)
        except Refusal as error:
            show_errors(form, error, "code")
        else:
            session.pop(SETUP_SECRET, None)
            flash(_("Your authenticator app is set up. You will need a code from it each "
                    "time you sign in"), "success")
            return redirect(url_for("accounts.account"))
    # The same secret until a code confirms it, however often the page is shown.
    secret = session.setdefault(SETUP_SECRET, second_factor.new_secret())
    uri = second_factor.provisioning_uri(secret, email=user.email, settings=settings)
    return render_template(
        "accounts/set_up_authenticator.html", form=form, secret=secret,
        qr_code=qr_code_svg(uri),
        required=second_factor.must_set_up(user, settings),
    )


@bp.route("/account/authenticator/turn-off", methods=["GET", "POST"])
@login_required
def turn_off_authenticator():
    user = current_user._get_current_object()
    settings = account_settings()
    if not second_factor.uses_second_factor(user) or second_factor.is_required(user, settings):
        return redirect(url_for("accounts.account"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            second_factor.turn_off(db.session, settings, user, code=form.code.data)
        except Refusal as error:
            show_errors(form, error, "code")
        else:
            flash(_("You no longer need a code from an authenticator app to sign in"),
                  "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/turn_off_authenticator.html", form=form)
