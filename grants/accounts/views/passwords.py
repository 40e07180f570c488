"""Changing a password, and resetting a forgotten one through a link sent by email."""

import logging

from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from grants.accounts.forms import ChangePasswordForm, ForgottenPasswordForm, ResetPasswordForm
from grants.accounts.operations import password_change, password_reset
from grants.accounts.operations.tokens import ExpiredToken, InvalidToken
from grants.accounts.operations.users import normalise_email
from grants.accounts.views.blueprint import bp
from grants.accounts.views.common import account_settings, check_email_page, to_check_email
from grants.accounts.views.sessions import this_session
from grants.auth.decorators import login_required
from grants.core.errors import Refusal
from grants.core.limits import password_reset_limits
from grants.core.refusals import show_errors
from grants.extensions import db

logger = logging.getLogger(__name__)


@bp.route("/forgotten-password", methods=["GET", "POST"])
@password_reset_limits
def forgotten_password():
    form = ForgottenPasswordForm()
    if form.validate_on_submit():
        password_reset.request_password_reset(db.session, account_settings(),
                                              email=form.email.data)
        # The same page whether or not the address has an account.
        return to_check_email(normalise_email(form.email.data), "accounts.reset_link_sent")
    return render_template("accounts/forgotten_password.html", form=form)


@bp.get("/forgotten-password/check-your-email")
def reset_link_sent():
    return check_email_page("accounts/reset_link_sent.html")


def _invalid_reset_link(error: InvalidToken):
    # Answered 400, so the request's end rolls back.
    return render_template("accounts/reset_password_invalid.html",
                           expired=isinstance(error, ExpiredToken)), 400


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    settings = account_settings()
    try:
        password_reset.user_for_password_reset(db.session, settings, token)
    except InvalidToken as error:
        return _invalid_reset_link(error)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            password_reset.reset_password(db.session, settings, token,
                                          new_password=form.new_password.data)
        except InvalidToken as error:
            return _invalid_reset_link(error)
        except Refusal as error:
            show_errors(form, error, "new_password")
        else:
            # Whoever was signed in on this browser signs in again with the new password.
            logout_user()
            session.clear()
            flash(_("Your password has been reset. Sign in with your new password"), "success")
            return redirect(url_for("accounts.sign_in"))
    return render_template("accounts/reset_password.html", form=form, token=token)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            record = this_session()
            password_change.change_password(db.session, account_settings(), user,
                                            current_password=form.current_password.data,
                                            new_password=form.new_password.data,
                                            keep_session=record.id if record else None)
        except Refusal as error:
            show_errors(form, error, "new_password")
        else:
            # The session names the user with their password stamp, which has just changed:
            # log in again so this session carries on while every other one ends.
            login_user(user)
            flash(_("Your password has been changed"), "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/change_password.html", form=form)
