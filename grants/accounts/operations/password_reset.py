"""Resetting a forgotten password through a link sent by email."""

import logging

from sqlalchemy.orm import Session

from grants.accounts import notifications
from grants.accounts.models import User
from grants.accounts.operations import sessions, users
from grants.accounts.operations.passwords import check_new_password, hash_password
from grants.accounts.operations.settings import AccountSettings
from grants.accounts.operations.tokens import (
    InvalidToken,
    make_password_reset_token,
    password_stamp,
    read_password_reset_token,
)
from grants.core import clock
from grants.records.models import OutboxMessage
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)


def request_password_reset(session: Session, settings: AccountSettings, *,
                           email: str) -> OutboxMessage | None:
    """Email a reset link when the address belongs to an active account; nothing otherwise.

    The person asking sees the same answer either way, so this never tells who has an account.
    """
    user = users.find_user_by_email(session, email)
    if user is None or not user.is_active_account:
        logger.info("password reset asked for an email without an active account")
        return None
    token = make_password_reset_token(settings.secret_key, user.id, user.password_hash)
    message = notifications.reset_link(session, user, token=token,
                                       max_age_minutes=settings.reset_max_age_minutes)
    record_event(session, actor_id=None, action="user.password_reset_requested",
                 entity_type="user", entity_id=user.id)
    logger.info("password reset link queued for user %s", user.id)
    return message


def user_for_password_reset(session: Session, settings: AccountSettings, token: str) -> User:
    """The user a reset link is for, while the link is still good; InvalidToken otherwise."""
    claim = read_password_reset_token(settings.secret_key, token,
                                      max_age_minutes=settings.reset_max_age_minutes)
    user = session.get(User, claim.user_id)
    # The link names the password it replaces: once that has changed, the link is used up.
    if (user is None or not user.is_active_account
            or password_stamp(user.password_hash) != claim.password_stamp):
        raise InvalidToken("This link has already been used or is no longer valid")
    return user


def reset_password(session: Session, settings: AccountSettings, token: str, *,
                   new_password: str) -> User:
    """Set a new password through a reset link. Every session of the user ends."""
    user = user_for_password_reset(session, settings, token)
    check_new_password(new_password, settings, field="new_password", name=user.name,
                       email=user.email)
    user.password_hash = hash_password(new_password, settings)
    user.password_changed_at = clock.utcnow()
    # Opening a link sent to the address proves the person reads its emails.
    if user.email_verified_at is None:
        user.email_verified_at = user.password_changed_at
    record_event(session, actor_id=user.id, action="user.password_reset", entity_type="user",
                 entity_id=user.id)
    notifications.password_changed(session, user)
    sessions.end_all(session, user)
    logger.info("user %s reset their password", user.id)
    return user
