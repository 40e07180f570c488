"""Registering as an applicant, without telling anyone which addresses already have accounts."""

import logging
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from grants.accounts import notifications
from grants.accounts.models import Role, User, UserRole
from grants.accounts.operations import users
from grants.accounts.operations.passwords import check_new_password, hash_password
from grants.accounts.operations.settings import AccountSettings
from grants.accounts.operations.verification import send_verification_email
from grants.core import clock
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Registration:
    """What registering did. `created` is False when the email already had an account."""

    user: User
    created: bool


def register_applicant(session: Session, settings: AccountSettings, *, name: str, email: str,
                       password: str) -> Registration:
    """Register an applicant, or, when the email already has an account, tell its owner.

    Both outcomes look the same to the person registering; only the email differs.
    """
    name = users.checked_name(name)
    email = users.checked_email(email)
    check_new_password(password, settings, field="password", name=name, email=email)
    # Hash before looking the email up, so both outcomes take the same time.
    password_hash = hash_password(password, settings)

    existing = users.find_user_by_email(session, email)
    if existing is None:
        user = _add_applicant(session, name=name, email=email, password_hash=password_hash)
        if user is not None:
            record_event(
                session, actor_id=user.id, action="user.registered", entity_type="user",
                entity_id=user.id, after={"email": user.email, "roles": [Role.APPLICANT.value]},
            )
            send_verification_email(session, settings, user)
            logger.info("user %s registered as an applicant", user.id)
            return Registration(user=user, created=True)
        # Someone registered the same email a moment ago.
        existing = users.find_user_by_email(session, email)
    _tell_owner_of_registration_attempt(session, existing)
    return Registration(user=existing, created=False)


def _add_applicant(session: Session, *, name: str, email: str, password_hash: str) -> User | None:
    """A new applicant, or None when another request took the email first."""
    user = User(email=email, name=name, password_hash=password_hash)
    user.role_rows.append(UserRole(role=Role.APPLICANT))
    try:
        with session.begin_nested():
            session.add(user)
            session.flush()
    except IntegrityError:
        return None
    return user


def _tell_owner_of_registration_attempt(session: Session, user: User) -> None:
    notifications.already_registered(session, user, today=clock.today_in_london())
    record_event(
        session, actor_id=None, action="user.registration_attempt_for_existing_email",
        entity_type="user", entity_id=user.id,
    )
    logger.info("registration attempted for the existing account of user %s", user.id)
