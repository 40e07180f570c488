"""Accounts: registering, signing in, passwords, email verification and creating users."""

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask import current_app, render_template
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from grants.accounts.models import Role, User, UserRole
from grants.accounts.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_dummy_password,
    verify_password,
)
from grants.accounts.tokens import (
    InvalidToken,
    make_password_reset_token,
    make_verification_token,
    password_stamp,
    read_password_reset_token,
    read_verification_token,
)
from grants.areas.models import County
from grants.core import clock
from grants.core.errors import Refusal
from grants.core.links import external_url
from grants.records.models import OutboxMessage
from grants.records.operations.audit import record_event
from grants.records.operations.outbox import queue_email

logger = logging.getLogger(__name__)

# One answer for every refused sign-in, so the form never tells which emails have accounts.
SIGN_IN_REFUSED = "Enter a correct email address and password"
EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"
MAX_NAME_LENGTH = 200
MAX_EMAIL_LENGTH = 254


@dataclass(frozen=True)
class Registration:
    """What registering did. `created` is False when the email already had an account."""

    user: User
    created: bool


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(session: Session, email: str) -> User | None:
    if "\x00" in email:
        # No address holds a NUL, and PostgreSQL fails on a query with one.
        return None
    return session.scalars(select(User).where(User.email == normalise_email(email))).one_or_none()


def _checked_email(email: str) -> str:
    email = normalise_email(email)
    if not email:
        raise Refusal("Enter an email address", field="email")
    if len(email) > MAX_EMAIL_LENGTH:
        raise Refusal(f"Email address must be {MAX_EMAIL_LENGTH} characters or fewer",
                          field="email")
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise Refusal(EMAIL_FORMAT, field="email") from None
    return email


def _checked_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise Refusal("Enter a name", field="name")
    if len(name) > MAX_NAME_LENGTH:
        raise Refusal(f"Name must be {MAX_NAME_LENGTH} characters or fewer", field="name")
    return name


def _personal_words(name: str, email: str) -> list[str]:
    """The person's name and email, whole and in pieces, for the strength check to avoid."""
    pieces = re.split(r"[^\w]+", f"{name} {email}")
    return [name, email, *(piece for piece in pieces if len(piece) >= 3)]


def _check_password(password: str, *, field: str, name: str, email: str) -> None:
    problem = password_problem(password, user_inputs=_personal_words(name, email))
    if problem:
        raise Refusal(problem, field=field)


def register_applicant(session: Session, *, name: str, email: str, password: str) -> Registration:
    """Register an applicant, or, when the email already has an account, tell its owner.

    Both outcomes look the same to the person registering; only the email differs.
    """
    name = _checked_name(name)
    email = _checked_email(email)
    _check_password(password, field="password", name=name, email=email)
    # Hash before looking the email up, so both outcomes take the same time.
    password_hash = hash_password(password)

    existing = find_user_by_email(session, email)
    if existing is None:
        user = _add_applicant(session, name=name, email=email, password_hash=password_hash)
        if user is not None:
            record_event(
                session, actor_id=user.id, action="user.registered", entity_type="user",
                entity_id=user.id, after={"email": user.email, "roles": [Role.APPLICANT.value]},
            )
            send_verification_email(session, user)
            logger.info("user %s registered as an applicant", user.id)
            return Registration(user=user, created=True)
        # Someone registered the same email a moment ago.
        existing = find_user_by_email(session, email)
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
    queue_email(
        session,
        to_address=user.email,
        subject="Someone tried to register with your email address",
        # At most one a day, so repeated attempts can't flood the owner's inbox.
        idempotency_key=f"already-registered:{user.id}:{clock.today_in_london().isoformat()}",
        body_text=render_template(
            "accounts/emails/already_registered.txt",
            user=user,
            sign_in_url=external_url("accounts.sign_in"),
        ),
    )
    record_event(
        session, actor_id=None, action="user.registration_attempt_for_existing_email",
        entity_type="user", entity_id=user.id,
    )
    logger.info("registration attempted for the existing account of user %s", user.id)


def send_verification_email(session: Session, user: User) -> OutboxMessage | None:
    """Queue an email with a link that confirms the user's address; None when it is confirmed."""
    if user.email_verified:
        return None
    token = make_verification_token(user.id, user.email)
    message = queue_email(
        session,
        to_address=user.email,
        subject="Confirm your email address",
        body_text=render_template(
            "accounts/emails/verify_email.txt",
            user=user,
            verify_url=external_url("accounts.verify_email", token=token),
            max_age_hours=current_app.config["EMAIL_VERIFICATION_MAX_AGE_HOURS"],
        ),
    )
    logger.info("verification email queued for user %s", user.id)
    return message


def authenticate(session: Session, *, email: str, password: str) -> User:
    """The user with this email and password, marked as signed in now."""
    user = check_credentials(session, email=email, password=password)
    record_sign_in(session, user)
    return user


def check_credentials(session: Session, *, email: str, password: str) -> User:
    """The active user with this email and password; one refusal for every other case."""
    user = find_user_by_email(session, email)
    if user is None:
        verify_dummy_password(password)
        logger.info("sign-in refused: no account for the email given")
        raise Refusal(SIGN_IN_REFUSED, field="email")
    if not verify_password(user.password_hash, password):
        logger.info("sign-in refused for user %s: wrong password", user.id)
        raise Refusal(SIGN_IN_REFUSED, field="email")
    if not user.is_active_account:
        logger.info("sign-in refused for user %s: account inactive", user.id)
        raise Refusal(SIGN_IN_REFUSED, field="email")

    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
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


def change_password(
    session: Session, user: User, *, current_password: str, new_password: str
) -> User:
    """Set a new password. Every other session of the user ends (see `User.get_id`)."""
    if not verify_password(user.password_hash, current_password):
        raise Refusal("Your current password is not correct", field="current_password")
    if new_password == current_password:
        raise Refusal("Your new password must be different from your current password",
                          field="new_password")
    _check_password(new_password, field="new_password", name=user.name, email=user.email)

    user.password_hash = hash_password(new_password)
    user.password_changed_at = clock.utcnow()
    record_event(session, actor_id=user.id, action="user.password_changed", entity_type="user",
                 entity_id=user.id)
    queue_email(
        session,
        to_address=user.email,
        subject="Your password has been changed",
        body_text=render_template(
            "accounts/emails/password_changed.txt",
            user=user,
            sign_in_url=external_url("accounts.sign_in"),
        ),
    )
    logger.info("user %s changed their password", user.id)
    return user


@dataclass(frozen=True)
class Confirmation:
    user: User
    # True the first time the address is confirmed: only then may the link sign the person in.
    first: bool


def verify_email(session: Session, token: str) -> Confirmation:
    """Mark the address in the token as confirmed; InvalidToken / ExpiredToken otherwise."""
    claim = read_verification_token(token)
    user = session.get(User, claim.user_id)
    # A link for an address the account no longer has proves nothing about the new one.
    if user is None or user.email != claim.email:
        raise InvalidToken("This link is not valid")
    first = user.email_verified_at is None
    if first:
        user.email_verified_at = clock.utcnow()
        record_event(
            session, actor_id=user.id, action="user.email_verified", entity_type="user",
            entity_id=user.id, after={"email": user.email},
        )
        logger.info("user %s confirmed their email address", user.id)
    return Confirmation(user=user, first=first)


def _parse_roles(roles: Iterable[Role | str]) -> list[Role]:
    parsed = []
    for role in roles:
        try:
            parsed.append(role if isinstance(role, Role) else Role(role))
        except ValueError:
            choices = ", ".join(member.value for member in Role)
            raise Refusal(f"{role!r} is not a role. Choose from {choices}",
                              field="role") from None
    if not parsed:
        raise Refusal("Give the user at least one role", field="role")
    return sorted(set(parsed), key=lambda member: member.value)


def _high_sheriff_county(session: Session, county_name: str | None) -> County:
    if not county_name:
        raise Refusal("A High Sheriff needs a county", field="county")
    county = session.scalars(select(County).where(County.name == county_name)).one_or_none()
    if county is None or not county.has_high_sheriff:
        names = session.scalars(
            select(County.name).where(County.has_high_sheriff.is_(True)).order_by(County.name)
        ).all()
        choices = ", ".join(names) if names else "none yet (run flask seed-reference)"
        raise Refusal(f"There is no High Sheriff county called {county_name!r}. "
                          f"Counties: {choices}", field="county")
    return county


def create_user(
    session: Session,
    *,
    email: str,
    name: str,
    roles: Iterable[Role | str],
    password: str,
    county_name: str | None = None,
    term_year: int | None = None,
    verified: bool = True,
    actor_id: int | None = None,
) -> User:
    """Create a user with roles, as staff do; a High Sheriff also has a county and term year."""
    roles = _parse_roles(roles)
    email = _checked_email(email)
    name = _checked_name(name)
    if find_user_by_email(session, email) is not None:
        raise Refusal("There is already a user with that email address", field="email")

    county = None
    if Role.HIGH_SHERIFF in roles:
        county = _high_sheriff_county(session, county_name)
        if term_year is None:
            term_year = clock.today_in_london().year
        if not 2000 <= term_year <= 2100:
            raise Refusal("Enter a term year between 2000 and 2100", field="term_year")
    elif county_name:
        raise Refusal("Only a High Sheriff has a county", field="county")
    elif term_year is not None:
        raise Refusal("Only a High Sheriff has a term year", field="term_year")

    _check_password(password, field="password", name=name, email=email)

    user = User(
        email=email,
        name=name,
        password_hash=hash_password(password),
        county=county,
        term_year=term_year if county else None,
        email_verified_at=clock.utcnow() if verified else None,
    )
    user.role_rows.extend(UserRole(role=role) for role in roles)
    session.add(user)
    session.flush()
    record_event(
        session, actor_id=actor_id, action="user.created", entity_type="user", entity_id=user.id,
        after={
            "email": user.email,
            "roles": [role.value for role in roles],
            "county": county.name if county else None,
            "term_year": user.term_year,
            "email_verified": verified,
        },
    )
    logger.info("user %s created with roles %s", user.id, ",".join(r.value for r in roles))
    return user


# --- Password reset ---------------------------------------------------------------------------

def request_password_reset(session: Session, *, email: str) -> OutboxMessage | None:
    """Email a reset link when the address belongs to an active account; nothing otherwise.

    The person asking sees the same answer either way, so this never tells who has an account.
    """
    user = find_user_by_email(session, email)
    if user is None or not user.is_active_account:
        logger.info("password reset asked for an email without an active account")
        return None
    token = make_password_reset_token(user.id, user.password_hash)
    message = queue_email(
        session,
        to_address=user.email,
        subject="Reset your password",
        body_text=render_template(
            "accounts/emails/reset_password.txt",
            user=user,
            reset_url=external_url("accounts.reset_password", token=token),
            max_age_minutes=current_app.config["PASSWORD_RESET_MAX_AGE_MINUTES"],
        ),
    )
    record_event(session, actor_id=None, action="user.password_reset_requested",
                 entity_type="user", entity_id=user.id)
    logger.info("password reset link queued for user %s", user.id)
    return message


def user_for_password_reset(session: Session, token: str) -> User:
    """The user a reset link is for, while the link is still good; InvalidToken otherwise."""
    claim = read_password_reset_token(token)
    user = session.get(User, claim.user_id)
    # The link names the password it replaces: once that has changed, the link is used up.
    if (user is None or not user.is_active_account
            or password_stamp(user.password_hash) != claim.password_stamp):
        raise InvalidToken("This link has already been used or is no longer valid")
    return user


def reset_password(session: Session, token: str, *, new_password: str) -> User:
    """Set a new password through a reset link. Every session of the user ends."""
    user = user_for_password_reset(session, token)
    _check_password(new_password, field="new_password", name=user.name, email=user.email)
    user.password_hash = hash_password(new_password)
    user.password_changed_at = clock.utcnow()
    # Opening a link sent to the address proves the person reads its emails.
    if user.email_verified_at is None:
        user.email_verified_at = user.password_changed_at
    record_event(session, actor_id=user.id, action="user.password_reset", entity_type="user",
                 entity_id=user.id)
    queue_email(
        session,
        to_address=user.email,
        subject="Your password has been changed",
        body_text=render_template(
            "accounts/emails/password_changed.txt",
            user=user,
            sign_in_url=external_url("accounts.sign_in"),
        ),
    )
    logger.info("user %s reset their password", user.id)
    return user
