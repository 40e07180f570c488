"""Confirming an email address: sending the link, and marking the address confirmed."""

import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session

from grants.accounts import notifications
from grants.accounts.models import User
from grants.accounts.operations.settings import AccountSettings
from grants.accounts.operations.tokens import (
    InvalidToken,
    make_verification_token,
    read_verification_token,
)
from grants.core import clock
from grants.records.models import OutboxMessage
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)


def send_verification_email(session: Session, settings: AccountSettings,
                            user: User) -> OutboxMessage | None:
    """Queue an email with a link that confirms the user's address; None when it is confirmed."""
    if user.email_verified:
        return None
    token = make_verification_token(settings.secret_key, user.id, user.email)
    message = notifications.verification_link(
        session, user, token=token, max_age_hours=settings.verification_max_age_hours
    )
    logger.info("verification email queued for user %s", user.id)
    return message


@dataclass(frozen=True)
class Confirmation:
    user: User
    # True the first time the address is confirmed: only then may the link sign the person in.
    first: bool


def linked_user(session: Session, settings: AccountSettings, token: str) -> User:
    """The person whose address the link confirms; InvalidToken / ExpiredToken otherwise."""
    claim = read_verification_token(settings.secret_key, token,
                                    max_age_hours=settings.verification_max_age_hours)
    user = session.get(User, claim.user_id)
    # A link for an address the account no longer has proves nothing about the new one.
    if user is None or user.email != claim.email:
        raise InvalidToken("This link is not valid")
    return user


def verify_email(session: Session, settings: AccountSettings, token: str) -> Confirmation:
    """Mark the address in the token as confirmed; InvalidToken / ExpiredToken otherwise."""
    user = linked_user(session, settings, token)
    first = user.email_verified_at is None
    if first:
        user.email_verified_at = clock.utcnow()
        record_event(
            session, actor_id=user.id, action="user.email_verified", entity_type="user",
            entity_id=user.id, after={"email": user.email},
        )
        logger.info("user %s confirmed their email address", user.id)
    return Confirmation(user=user, first=first)
