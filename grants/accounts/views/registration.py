"""Registering as an applicant, and confirming an email address by the link sent to it."""

import logging

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from grants.accounts.forms import RegisterForm
from grants.accounts.operations import second_factor, verification
from grants.accounts.operations.registration import register_applicant
from grants.accounts.operations.tokens import ExpiredToken, InvalidToken
from grants.accounts.views.blueprint import bp
from grants.accounts.views.common import (
    account_settings,
    check_email_page,
    home_url,
    start_session,
    to_check_email,
)
from grants.auth.decorators import login_required
from grants.core.errors import Refusal
from grants.core.limits import confirmation_email_limits, registration_limits
from grants.core.refusals import show_errors
from grants.extensions import db

logger = logging.getLogger(__name__)


@bp.route("/register", methods=["GET", "POST"])
@registration_limits
def register():
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            registration = register_applicant(
                db.session, account_settings(), name=form.name.data, email=form.email.data,
                password=form.password.data,
            )
        except Refusal as error:
            show_errors(form, error, "email")
        else:
            # Nobody is signed in here, new address or not, so the next page cannot tell
            # anyone whether the address already had an account. The emailed link signs a
            # new person in.
            return to_check_email(registration.user.email, "accounts.check_email")
    return render_template("accounts/register.html", form=form)


@bp.get("/register/check-your-email")
def check_email():
    # The same page whether the address was new or already had an account.
    return check_email_page("accounts/check_email.html")


@bp.route("/account/verify/<token>", methods=["GET", "POST"])
def verify_email(token: str):
    """The emailed link opens a page asking to confirm; the button confirms. Opening a link
    changes nothing, so a mail scanner that follows it confirms no one's address."""
    try:
        if request.method == "GET":
            user = verification.linked_user(db.session, account_settings(), token)
            if not user.email_verified:
                return render_template("accounts/verify_email_confirm.html", email=user.email)
            return _confirmed(user)
        confirmation = verification.verify_email(db.session, account_settings(), token)
    except InvalidToken as error:
        # Answered 400, so the request's end rolls back.
        signed_in = current_user.is_authenticated
        return render_template(
            "accounts/verify_email_invalid.html",
            expired=isinstance(error, ExpiredToken),
            signed_in=signed_in,
            may_resend=signed_in and not current_user.email_verified,
        ), 400
    user = confirmation.user
    # The first confirmation proves the person holds the address they registered with: it
    # signs them in, as registering no longer does. A link used again does not.
    if (confirmation.first and not current_user.is_authenticated
            and not second_factor.uses_second_factor(user)):
        start_session(user)
        return render_template("accounts/verify_email_done.html", signed_in_as_user=True)
    return _confirmed(user)


def _confirmed(user):
    signed_in_as_user = current_user.is_authenticated and current_user.id == user.id
    return render_template("accounts/verify_email_done.html",
                           signed_in_as_user=signed_in_as_user)


@bp.post("/account/send-verification-link")
@login_required
@confirmation_email_limits
def resend_verification():
    user = current_user._get_current_object()
    message = verification.send_verification_email(db.session, account_settings(), user)
    if message is None:
        flash(_("Your email address is already confirmed"), "info")
    else:
        flash(_("We have sent a new link to %(email)s", email=user.email), "success")
    return redirect(url_for("accounts.account"))
