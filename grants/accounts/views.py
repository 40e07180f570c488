"""Pages for registering, signing in and out, the account page and email verification."""

import logging
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm

from grants.accounts import services
from grants.accounts.forms import ChangePasswordForm, RegisterForm, SignInForm
from grants.accounts.models import User
from grants.accounts.tokens import ExpiredToken, InvalidToken
from grants.auth import permissions
from grants.auth.decorators import login_required
from grants.errors import GrantsError
from grants.extensions import db

logger = logging.getLogger(__name__)

bp = Blueprint("accounts", __name__)

# The address a registration was for, shown on the "Check your email" page.
CHECK_EMAIL_ADDRESS = "check_email_address"


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
    """Where a person lands after signing in: the staff home, their reviews, or their
    dashboard."""
    if permissions.is_staff(user):
        return url_for("staff.home")
    if permissions.is_reviewer(user) and not permissions.is_applicant(user):
        return url_for("assessment.my_reviews")
    return url_for("organisations.dashboard")


def _show_error(form: FlaskForm, error: GrantsError) -> None:
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
        except GrantsError as error:
            _show_error(form, error)
        else:
            if registration.created:
                _sign_in(registration.user)
            session[CHECK_EMAIL_ADDRESS] = registration.user.email
            return redirect(url_for("accounts.check_email"))
    return render_template("accounts/register.html", form=form)


@bp.get("/register/check-your-email")
def check_email():
    # The same page whether the address was new or already had an account.
    return render_template("accounts/check_email.html",
                           email=session.get(CHECK_EMAIL_ADDRESS))


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    form = SignInForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    next_url = safe_next_url(form.next.data)
    if current_user.is_authenticated:
        return redirect(next_url or home_url(current_user))
    if form.validate_on_submit():
        try:
            user = services.authenticate(db.session, email=form.email.data,
                                         password=form.password.data)
        except GrantsError as error:
            _show_error(form, error)
        else:
            _sign_in(user)
            return redirect(next_url or home_url(user))
    return render_template("accounts/sign_in.html", form=form)


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
        except GrantsError as error:
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
        user = services.verify_email(db.session, token)
    except InvalidToken as error:
        db.session.rollback()
        signed_in = current_user.is_authenticated
        return render_template(
            "accounts/verify_email_invalid.html",
            expired=isinstance(error, ExpiredToken),
            signed_in=signed_in,
            may_resend=signed_in and not current_user.email_verified,
        ), 400
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
