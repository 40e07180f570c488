"""Changing a password while signed in."""

import logging

from sqlalchemy.orm import Session

from grants.accounts import notifications
from grants.accounts.models import User
from grants.accounts.operations import sessions
from grants.accounts.operations.passwords import (
    check_new_password,
    hash_password,
    verify_password,
)
from grants.accounts.operations.settings import AccountSettings
from grants.core import clock
from grants.core.errors import Refusal
from grants.core.translatable import N_
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)


def change_password(session: Session, settings: AccountSettings, user: User, *,
                    current_password: str, new_password: str,
                    keep_session: str | None = None) -> User:
    """Set a new password. Every session of the user ends but `keep_session` (the id of the
    one making the change)."""
    if not verify_password(user.password_hash, current_password):
        raise Refusal(N_("Your current password is not correct"), field="current_password")
    if new_password == current_password:
        raise Refusal(N_("Your new password must be different from your current password"),
                      field="new_password")
    check_new_password(new_password, settings, field="new_password", name=user.name,
                       email=user.email)

    user.password_hash = hash_password(new_password, settings)
    user.password_changed_at = clock.utcnow()
    record_event(session, actor_id=user.id, action="user.password_changed", entity_type="user",
                 entity_id=user.id)
    notifications.password_changed(session, user)
    sessions.end_all(session, user, keep=keep_session)
    logger.info("user %s changed their password", user.id)
    return user
