"""A second factor: six-digit codes from an authenticator app (TOTP, RFC 6238)."""

import hmac
import logging
import re

import pyotp
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.accounts.operations import sessions
from grants.accounts.operations.settings import AccountSettings
from grants.auth import permissions
from grants.core import clock
from grants.core.errors import Refusal
from grants.core.locks import lock_row
from grants.core.translatable import N_
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

WRONG_CODE = N_("Enter the 6-digit code shown in your authenticator app now")
USED_CODE = N_("That code has already been used. Wait for your app to show a new code, then "
               "enter it")
_CODE = re.compile(r"\d{6}")


def uses_second_factor(user: User) -> bool:
    return bool(user.totp_secret) and user.totp_confirmed_at is not None


def is_required(user: User, settings: AccountSettings) -> bool:
    """Whether the settings oblige this user to use a second factor (staff and admins)."""
    return settings.totp_required_for_staff and permissions.is_staff(user)


def must_set_up(user: User, settings: AccountSettings) -> bool:
    """A user the settings oblige to use a second factor who has not set one up yet."""
    return is_required(user, settings) and not uses_second_factor(user)


def _normalised(code: str | None) -> str:
    # People copy codes with spaces ("123 456"), as many apps show them.
    return re.sub(r"[\s-]", "", code or "")


def _matching_step(secret: str, code: str | None) -> int | None:
    """The 30-second step whose code this is (now, or one step either side), or None."""
    code = _normalised(code)
    if not _CODE.fullmatch(code):
        return None
    totp = pyotp.TOTP(secret)
    now = clock.utcnow()
    current = totp.timecode(now)
    for offset in (0, -1, 1):
        if hmac.compare_digest(totp.generate_otp(current + offset), code):
            return current + offset
    return None


def code_is_right(secret: str, code: str | None) -> bool:
    """Whether the code is the secret's for now, or for the 30 seconds either side."""
    return _matching_step(secret, code) is not None


def new_secret() -> str:
    """A secret for the person's app to learn; kept by the page until a code confirms it."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, *, email: str, settings: AccountSettings) -> str:
    """The otpauth:// link an app reads (from a QR code) to learn the secret."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=settings.totp_issuer)


def confirm_setup(session: Session, user: User, *, secret: str | None, code: str) -> User:
    """Turn the second factor on with this secret once the app shows a right code for it."""
    if uses_second_factor(user):
        raise Refusal(N_("You have already set up an authenticator app"))
    if not secret:
        raise Refusal(N_("Start setting up your authenticator app again"), field="code")
    step = _matching_step(secret, code)
    if step is None:
        raise Refusal(WRONG_CODE, field="code")
    user.totp_secret = secret
    user.totp_confirmed_at = clock.utcnow()
    user.totp_last_step = step  # the code that proved the app cannot then sign in
    record_event(session, actor_id=user.id, action="user.second_factor_enabled",
                 entity_type="user", entity_id=user.id)
    logger.info("user %s set up an authenticator app", user.id)
    return user


def turn_off(session: Session, settings: AccountSettings, user: User, *, code: str) -> User:
    """Stop asking for codes, proven by a right code; refused when the settings require one."""
    if is_required(user, settings):
        raise Refusal(N_("Staff accounts must use an authenticator app"), field="code")
    if not uses_second_factor(user):
        raise Refusal(N_("You have not set up an authenticator app"))
    if not code_is_right(user.totp_secret, code):
        raise Refusal(WRONG_CODE, field="code")
    user.totp_secret = None
    user.totp_confirmed_at = None
    user.totp_last_step = None
    record_event(session, actor_id=user.id, action="user.second_factor_disabled",
                 entity_type="user", entity_id=user.id)
    logger.info("user %s turned off their authenticator app", user.id)
    return user


def check_sign_in_code(session: Session, user: User, *, code: str) -> User:
    """Refuse a wrong code at the second step of signing in, and a right one whose step is not
    after the last code accepted; accept it otherwise and keep its step on the user.

    The user's row is locked first, so two servers given the same code at once take turns,
    and the second sees the step the first kept.
    """
    user = lock_row(session, User, user.id, missing="There is no such account")
    step = _matching_step(user.totp_secret, code)
    if step is None:
        logger.info("sign-in code refused for user %s", user.id)
        raise Refusal(WRONG_CODE, field="code")
    # Someone who saw the code over a shoulder cannot sign in with it too, nor with the one
    # before it.
    if user.totp_last_step is not None and step <= user.totp_last_step:
        logger.info("sign-in code for user %s used a second time", user.id)
        raise Refusal(USED_CODE, field="code")
    user.totp_last_step = step
    session.flush()
    return user


def reset_for_lost_device(session: Session, user: User, *, actor_id: int | None) -> User:
    """Forget the user's authenticator app (they lost it), so they set up a new one."""
    had_one = uses_second_factor(user)
    user.totp_secret = None
    user.totp_confirmed_at = None
    user.totp_last_step = None
    record_event(session, actor_id=actor_id, action="user.second_factor_reset",
                 entity_type="user", entity_id=user.id, before={"second_factor": had_one},
                 after={"second_factor": False})
    # Whoever took the lost device may be signed in on it.
    sessions.end_all(session, user)
    logger.info("second factor of user %s reset", user.id)
    return user
