"""Pages for registering, signing in and out, the account page, email verification, password
reset and the second factor."""

import logging
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm

from grants.accounts import second_factor, services
from grants.accounts.forms import (
    ChangePasswordForm,
    CodeForm,
    ForgottenPasswordForm,
    RegisterForm,
    ResetPasswordForm,
    SignInForm,
)
from grants.accounts.models import User
from grants.accounts.sessions import load_user
from grants.accounts.tokens import ExpiredToken, InvalidToken
from grants.auth import permissions
from grants.auth.decorators import login_required
from grants.core import clock
from grants.core.errors import Refusal
from grants.core.limits import (
    PENDING_SIGN_IN,
    password_reset_limits,
    sign_in_code_limits,
    sign_in_limits,
)
from grants.extensions import db

logger = logging.getLogger(__name__)

bp = Blueprint("accounts", __name__)

# The address a registration was for, shown on the "Check your email" page.
CHECK_EMAIL_ADDRESS = "check_email_address"
# How long someone who gave a right password has to give their second-factor code.
PENDING_SIGN_IN_SECONDS = 5 * 60


def safe_next_url(target: str | None) -> str | None:
    """The target when it is a path on this site, None otherwise (so it can't send people away)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    # Browsers read a backslash as a slash ("/\evil.example"); control characters are never ours.
    if "\\" in target or any(ord(char) < 32 or ord(char) == 127 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def home_url(user: User) -> str:
    """Where a person lands after signing in: the staff home, their reviews, their
    nominations (High Sheriffs), or their dashboard."""
    if permissions.is_staff(user):
        return url_for("staff.home")
    if permissions.is_reviewer(user) and not permissions.is_applicant(user):
        return url_for("assessment.my_reviews")
    if permissions.is_high_sheriff(user) and not permissions.is_applicant(user):
        return url_for("nominations.home")
    return url_for("organisations.dashboard")


def _show_error(form: FlaskForm, error: Refusal) -> None:
    """Put a service's refusal on the field it is about (or on the form as a whole)."""
    db.session.rollback()
    field = form._fields.get(error.field) if error.field else None
    if field is None:
        form.form_errors.append(error.message)
    else:
        field.errors = [*field.errors, error.message]


def _sign_in(user: User) -> None:
    # Nothing from before signing in carries over into the signed-in session.
    session.clear()
    login_user(user)


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            registration = services.register_applicant(
                db.session, name=form.name.data, email=form.email.data,
                password=form.password.data,
            )
        except Refusal as error:
            _show_error(form, error)
        else:
            # Nobody is signed in here, new address or not, so the next page cannot tell
            # anyone whether the address already had an account. The emailed link signs a
            # new person in.
            session[CHECK_EMAIL_ADDRESS] = registration.user.email
            return redirect(url_for("accounts.check_email"))
    return render_template("accounts/register.html", form=form)


@bp.get("/register/check-your-email")
def check_email():
    # The same page whether the address was new or already had an account.
    return render_template("accounts/check_email.html",
                           email=session.get(CHECK_EMAIL_ADDRESS))


@bp.route("/sign-in", methods=["GET", "POST"])
@sign_in_limits
def sign_in():
    form = SignInForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    next_url = safe_next_url(form.next.data)
    if current_user.is_authenticated:
        return redirect(next_url or home_url(current_user))
    if form.validate_on_submit():
        try:
            user = services.check_credentials(db.session, email=form.email.data,
                                              password=form.password.data)
        except Refusal as error:
            _show_error(form, error)
        else:
            if second_factor.uses_second_factor(user):
                # Not signed in yet: the session only remembers who owes a code, for a while.
                session.clear()
                session[PENDING_SIGN_IN] = {
                    "user_id": user.id, "login_id": user.get_id(), "next": next_url,
                    "at": clock.utcnow().timestamp(),
                }
                return redirect(url_for("accounts.sign_in_code"))
            services.record_sign_in(db.session, user)
            _sign_in(user)
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
    user = load_user(str(pending.get("login_id", "")))
    if user is None or not second_factor.uses_second_factor(user):
        return None, None
    return user, safe_next_url(pending.get("next"))


@bp.route("/sign-in/code", methods=["GET", "POST"])
@sign_in_code_limits
def sign_in_code():
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    user, next_url = _pending_sign_in()
    if user is None:
        flash("Sign in again: you have 5 minutes to enter the code from your app", "info")
        return redirect(url_for("accounts.sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            second_factor.check_sign_in_code(user, code=form.code.data)
        except Refusal as error:
            _show_error(form, error)
        else:
            services.record_sign_in(db.session, user)
            _sign_in(user)
            return redirect(next_url or home_url(user))
    return render_template("accounts/sign_in_code.html", form=form)


@bp.route("/forgotten-password", methods=["GET", "POST"])
@password_reset_limits
def forgotten_password():
    form = ForgottenPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(db.session, email=form.email.data)
        # The same page whether or not the address has an account.
        session[CHECK_EMAIL_ADDRESS] = services.normalise_email(form.email.data)
        return redirect(url_for("accounts.reset_link_sent"))
    return render_template("accounts/forgotten_password.html", form=form)


@bp.get("/forgotten-password/check-your-email")
def reset_link_sent():
    return render_template("accounts/reset_link_sent.html",
                           email=session.get(CHECK_EMAIL_ADDRESS))


def _invalid_reset_link(error: InvalidToken):
    db.session.rollback()
    return render_template("accounts/reset_password_invalid.html",
                           expired=isinstance(error, ExpiredToken)), 400


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        services.user_for_password_reset(db.session, token)
    except InvalidToken as error:
        return _invalid_reset_link(error)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(db.session, token, new_password=form.new_password.data)
        except InvalidToken as error:
            return _invalid_reset_link(error)
        except Refusal as error:
            _show_error(form, error)
        else:
            # Whoever was signed in on this browser signs in again with the new password.
            logout_user()
            session.clear()
            flash("Your password has been reset. Sign in with your new password", "success")
            return redirect(url_for("accounts.sign_in"))
    return render_template("accounts/reset_password.html", form=form, token=token)


@bp.post("/sign-out")
def sign_out():
    if current_user.is_authenticated:
        services.record_sign_out(db.session, current_user._get_current_object())
    logout_user()
    session.clear()
    flash("You have signed out", "success")
    return redirect(url_for("accounts.sign_in"))


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
        second_factor_required=second_factor.is_required(user),
    )


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            services.change_password(db.session, user,
                                     current_password=form.current_password.data,
                                     new_password=form.new_password.data)
        except Refusal as error:
            _show_error(form, error)
        else:
            # The session names the user with their password stamp, which has just changed:
            # log in again so this session carries on while every other one ends.
            login_user(user)
            flash("Your password has been changed", "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/change_password.html", form=form)


@bp.get("/account/verify/<token>")
def verify_email(token: str):
    try:
        confirmation = services.verify_email(db.session, token)
    except InvalidToken as error:
        db.session.rollback()
        signed_in = current_user.is_authenticated
        return render_template(
            "accounts/verify_email_invalid.html",
            expired=isinstance(error, ExpiredToken),
            signed_in=signed_in,
            may_resend=signed_in and not current_user.email_verified,
        ), 400
    user = confirmation.user
    # The first confirmation proves the person holds the address they registered with: it
    # signs them in, as registering no longer does. A link opened again does not.
    if (confirmation.first and not current_user.is_authenticated
            and not second_factor.uses_second_factor(user)):
        _sign_in(user)
        return render_template("accounts/verify_email_done.html", signed_in_as_user=True)
    signed_in_as_user = current_user.is_authenticated and current_user.id == user.id
    return render_template("accounts/verify_email_done.html",
                           signed_in_as_user=signed_in_as_user)


@bp.post("/account/send-verification-link")
@login_required
def resend_verification():
    user = current_user._get_current_object()
    message = services.send_verification_email(db.session, user)
    if message is None:
        flash("Your email address is already confirmed", "info")
    else:
        flash(f"We have sent a new link to {user.email}", "success")
    return redirect(url_for("accounts.account"))


@bp.route("/account/authenticator", methods=["GET", "POST"])
@login_required
def set_up_authenticator():
    user = current_user._get_current_object()
    if second_factor.uses_second_factor(user):
        flash("You have already set up an authenticator app", "info")
        return redirect(url_for("accounts.account"))
    secret = second_factor.start_setup(db.session, user)
    form = CodeForm()
    if form.validate_on_submit():
        try:
            second_factor.confirm_setup(db.session, user, code=form.code.data)
        except Refusal as error:
            _show_error(form, error)
            # The secret was saved on the first visit; the rollback must not lose it.
            secret = second_factor.start_setup(db.session, user)
        else:
            flash("Your authenticator app is set up. You will need a code from it each time "
                  "you sign in", "success")
            return redirect(url_for("accounts.account"))
    uri = second_factor.provisioning_uri(user)
    return render_template(
        "accounts/set_up_authenticator.html", form=form, secret=secret,
        qr_code=second_factor.qr_code_svg(uri),
        required=second_factor.must_set_up(user),
    )


@bp.route("/account/authenticator/turn-off", methods=["GET", "POST"])
@login_required
def turn_off_authenticator():
    user = current_user._get_current_object()
    if not second_factor.uses_second_factor(user) or second_factor.is_required(user):
        return redirect(url_for("accounts.account"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            second_factor.turn_off(db.session, user, code=form.code.data)
        except Refusal as error:
            _show_error(form, error)
        else:
            flash("You no longer need a code from an authenticator app to sign in", "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/turn_off_authenticator.html", form=form)
