"""Signing in and out: checking a password without telling who has an account, and recording
each sign-in and sign-out."""

import logging

from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.accounts.operations import users
from grants.accounts.operations.passwords import (
    hash_password,
    needs_rehash,
    verify_dummy_password,
    verify_password,
)
from grants.accounts.operations.settings import AccountSettings
from grants.core import clock
from grants.core.errors import Refusal
from grants.core.translatable import N_
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

# One answer for every refused sign-in, so the form never tells which emails have accounts.
SIGN_IN_REFUSED = N_("Enter a correct email address and password")


def check_credentials(session: Session, settings: AccountSettings, *, email: str,
                      password: str) -> User:
    """The active user with this email and password; one refusal for every other case."""
    user = users.find_user_by_email(session, email)
    if user is None:
        verify_dummy_password(password, settings)
        logger.info("sign-in refused: no account for the email given")
        raise Refusal(SIGN_IN_REFUSED, field="email")
    if not verify_password(user.password_hash, password):
        logger.info("sign-in refused for user %s: wrong password", user.id)
        raise Refusal(SIGN_IN_REFUSED, field="email")
    if not user.is_active_account:
        logger.info("sign-in refused for user %s: account inactive", user.id)
        raise Refusal(SIGN_IN_REFUSED, field="email")

    if needs_rehash(user.password_hash, settings):
        user.password_hash = hash_password(password, settings)
        logger.info("password hash of user %s upgraded to current parameters", user.id)
    return user


def record_sign_in(session: Session, user: User) -> None:
    """Mark the user as signed in now: after the password, and the second factor if they use one."""
    user.last_signed_in_at = clock.utcnow()
    record_event(session, actor_id=user.id, action="user.signed_in", entity_type="user",
                 entity_id=user.id)
    logger.info("user %s signed in", user.id)


def record_sign_out(session: Session, user: User, *, reason: str = "") -> None:
    """Record the end of a session: signed out by the person, or by a time limit (the reason)."""
    record_event(session, actor_id=user.id, action="user.signed_out", entity_type="user",
                 entity_id=user.id, note=reason)
    logger.info("user %s signed out%s", user.id, f" ({reason})" if reason else "")
