"""The emails accounts send: confirming an address, a reset link, a changed password, and a
warning to the owner of an address someone tried to register again."""

from datetime import date

from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.core.emails import Email, email, rendered
from grants.core.links import external_url
from grants.records.models import OutboxMessage
from grants.records.operations.outbox import queue_email

ALREADY_REGISTERED = email("accounts.already_registered",
                           "Someone tried to register with your email address")
VERIFY_EMAIL = email("accounts.verify_email", "Confirm your email address")
PASSWORD_CHANGED = email("accounts.password_changed", "Your password has been changed")
RESET_PASSWORD = email("accounts.reset_password", "Reset your password")


def _to_user(session: Session, user: User, kind: Email, *, idempotency_key: str | None = None,
             **values) -> OutboxMessage:
    """An account's email, to the person's own address, with the sign-in page's address."""
    return queue_email(session, to_address=user.email, idempotency_key=idempotency_key,
                       **rendered(kind, user=user, sign_in_url=external_url("accounts.sign_in"),
                                  **values))


def already_registered(session: Session, user: User, *, today: date) -> OutboxMessage:
    return _to_user(session, user, ALREADY_REGISTERED,
                    # At most one a day, so repeated attempts can't flood the owner's inbox.
                    idempotency_key=f"already-registered:{user.id}:{today.isoformat()}")


def verification_link(session: Session, user: User, *, token: str,
                      max_age_hours: int) -> OutboxMessage:
    return _to_user(session, user, VERIFY_EMAIL,
                    verify_url=external_url("accounts.verify_email", token=token),
                    max_age_hours=max_age_hours)


def password_changed(session: Session, user: User) -> OutboxMessage:
    return _to_user(session, user, PASSWORD_CHANGED)


def reset_link(session: Session, user: User, *, token: str,
               max_age_minutes: int) -> OutboxMessage:
    return _to_user(session, user, RESET_PASSWORD,
                    reset_url=external_url("accounts.reset_password", token=token),
                    max_age_minutes=max_age_minutes)
