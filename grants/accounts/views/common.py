"""What the accounts pages share: where people go after signing in, and the settings they pass
to the operations."""

from urllib.parse import urlsplit

from flask import current_app, redirect, render_template, session, url_for
from flask_login import login_user

from grants.accounts.models import User
from grants.accounts.operations.settings import AccountSettings
from grants.auth import permissions

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


def start_session(user: User) -> None:
    """Sign the person in on this browser."""
    # Nothing from before signing in carries over into the signed-in session.
    session.clear()
    login_user(user)
