"""What the accounts pages share: where people go after signing in, and the settings they pass
to the operations."""

from flask import current_app, redirect, render_template, session, url_for
from flask_login import login_user

from grants.accounts.models import User
from grants.accounts.operations.settings import AccountSettings
from grants.accounts.views.sessions import begin_session_record
from grants.auth import permissions
from grants.core.carried import clear_keeping_check_answers

# The address a registration or reset was for, shown on the "Check your email" page.
CHECK_EMAIL_ADDRESS = "check_email_address"


def to_check_email(address: str, endpoint: str):
    """Send the person to a "Check your email" page, which names the address."""
    session[CHECK_EMAIL_ADDRESS] = address
    return redirect(url_for(endpoint))


def check_email_page(template: str):
    """A "Check your email" page, naming the address the link was sent to."""
    return render_template(template, email=session.get(CHECK_EMAIL_ADDRESS))


def account_settings() -> AccountSettings:
    """This app's account settings, read afresh for each request."""
    return AccountSettings.from_config(current_app.config)


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


def start_session(user: User) -> None:
    """Sign the person in on this browser."""
    # Nothing from before signing in carries over into the signed-in session, but for the
    # answers to a round's eligibility check, which the application then starts with.
    clear_keeping_check_answers(session)
    login_user(user)
    begin_session_record(user)
