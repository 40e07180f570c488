"""Signing in (with a second-factor code for those who use one) and signing out."""

import logging

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from grants.accounts.forms import CodeForm, SignInForm
from grants.accounts.models import User
from grants.accounts.operations import second_factor
from grants.accounts.operations import sessions as signed_in_sessions
from grants.accounts.operations.signing_in import (
    check_credentials,
    record_sign_in,
    record_sign_out,
)
from grants.accounts.views.blueprint import bp
from grants.accounts.views.common import account_settings, home_url, start_session
from grants.accounts.views.sessions import this_session, user_for_login_id
from grants.core import clock
from grants.core.carried import clear_keeping_check_answers
from grants.core.errors import Refusal
from grants.core.limits import PENDING_SIGN_IN, sign_in_code_limits, sign_in_limits
from grants.core.links import safe_path
from grants.core.refusals import show_errors
from grants.extensions import db

logger = logging.getLogger(__name__)

# How long someone who gave a right password has to give their second-factor code.
PENDING_SIGN_IN_SECONDS = 5 * 60


@bp.route("/sign-in", methods=["GET", "POST"])
@sign_in_limits
def sign_in():
    form = SignInForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    next_url = safe_path(form.next.data)
    if current_user.is_authenticated:
        return redirect(next_url or home_url(current_user))
    if form.validate_on_submit():
        try:
            user = check_credentials(db.session, account_settings(), email=form.email.data,
                                     password=form.password.data)
        except Refusal as error:
            show_errors(form, error, "email")
        else:
            if second_factor.uses_second_factor(user):
                # Not signed in yet: the session only remembers who owes a code, for a while
                # (and any answers to a round's eligibility check).
                clear_keeping_check_answers(session)
                session[PENDING_SIGN_IN] = {
                    "user_id": user.id, "login_id": user.get_id(), "next": next_url,
                    "at": clock.utcnow().timestamp(),
                }
                return redirect(url_for("accounts.sign_in_code"))
            record_sign_in(db.session, user)
            start_session(user)
            return redirect(next_url or home_url(user))
    return render_template("accounts/sign_in.html", form=form)


def _pending_sign_in() -> tuple[User | None, str | None]:
    """The person who gave a right password and owes a code, while there is time left."""
    pending = session.get(PENDING_SIGN_IN)
    if not isinstance(pending, dict):
        return None, None
    if clock.utcnow().timestamp() - pending.get("at", 0) > PENDING_SIGN_IN_SECONDS:
        session.pop(PENDING_SIGN_IN, None)
        return None, None
    # Refused when the account was switched off or its password changed in the meantime.
    user = user_for_login_id(str(pending.get("login_id", "")))
    if user is None or not second_factor.uses_second_factor(user):
        return None, None
    return user, safe_path(pending.get("next"))


@bp.route("/sign-in/code", methods=["GET", "POST"])
@sign_in_code_limits
def sign_in_code():
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    user, next_url = _pending_sign_in()
    if user is None:
        flash(_("Sign in again: you have 5 minutes to enter the code from your app"), "info")
        return redirect(url_for("accounts.sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            user = second_factor.check_sign_in_code(db.session, user, code=form.code.data)
        except Refusal as error:
            show_errors(form, error, "code")
        else:
            record_sign_in(db.session, user)
            start_session(user)
            return redirect(next_url or home_url(user))
    return render_template("accounts/sign_in_code.html", form=form)


@bp.post("/sign-out")
def sign_out():
    if current_user.is_authenticated:
        record_sign_out(db.session, current_user._get_current_object())
        record = this_session()
        if record is not None:
            signed_in_sessions.end(db.session, record)
    logout_user()
    session.clear()
    flash(_("You have signed out"), "success")
    return redirect(url_for("accounts.sign_in"))
