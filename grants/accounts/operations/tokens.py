"""Signed, timed tokens for links sent by email: confirming an address, resetting a password."""

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from grants.core import clock
from grants.core.errors import Refusal

logger = logging.getLogger(__name__)

T = TypeVar("T")

EMAIL_VERIFICATION_SALT = "grants.accounts.verify-email"


class InvalidToken(Refusal):
    """The link was altered, was made for another purpose, or is out of date."""


class ExpiredToken(InvalidToken):
    """The link was genuine but is older than it may be."""


class _ClockSigner(TimestampSigner):
    # Reads the service clock, so tests can move time past a link's age limit.
    def get_timestamp(self) -> int:
        return int(clock.utcnow().timestamp())


def signed_serializer(secret_key: str, salt: str) -> URLSafeTimedSerializer:
    """Signs and reads timed tokens with the app's secret key; the salt keeps purposes apart."""
    return URLSafeTimedSerializer(secret_key, salt=salt, signer=_ClockSigner)


def _claim(secret_key: str, salt: str, token: str, *, max_age_seconds: int,
           read: Callable[[dict], T]) -> T:
    """The claim `read` makes of what a link's token says, when we signed it for this purpose
    and it is not too old."""
    try:
        payload = signed_serializer(secret_key, salt).loads(token, max_age=max_age_seconds)
    except SignatureExpired:
        raise ExpiredToken("This link has expired") from None
    except BadSignature:
        raise InvalidToken("This link is not valid") from None
    try:
        return read(payload)
    except (TypeError, KeyError, ValueError):
        # Signed by us but not a claim of this kind: treat it as any other bad link.
        raise InvalidToken("This link is not valid") from None


@dataclass(frozen=True)
class VerificationClaim:
    user_id: int
    email: str


def make_verification_token(secret_key: str, user_id: int, email: str) -> str:
    """A token for a link that confirms this user owns this email address."""
    return signed_serializer(secret_key, EMAIL_VERIFICATION_SALT).dumps(
        {"user_id": user_id, "email": email}
    )


def read_verification_token(secret_key: str, token: str, *, max_age_hours: int
                            ) -> VerificationClaim:
    """The claim in a verification token, or InvalidToken / ExpiredToken."""
    return _claim(secret_key, EMAIL_VERIFICATION_SALT, token,
                  max_age_seconds=max_age_hours * 3600,
                  read=lambda payload: VerificationClaim(user_id=int(payload["user_id"]),
                                                         email=str(payload["email"])))


PASSWORD_RESET_SALT = "grants.accounts.reset-password"


@dataclass(frozen=True)
class PasswordResetClaim:
    user_id: int
    password_stamp: str


def password_stamp(password_hash: str) -> str:
    """A short fingerprint of the password hash: a reset link names the password it replaces,
    so once the password changes (by that link or any other way) the link stops working."""
    return hashlib.sha256(password_hash.encode("utf-8")).hexdigest()[:20]


def make_password_reset_token(secret_key: str, user_id: int, password_hash: str) -> str:
    """A token for a link that sets a new password for this user, once."""
    return signed_serializer(secret_key, PASSWORD_RESET_SALT).dumps(
        {"user_id": user_id, "stamp": password_stamp(password_hash)}
    )


def read_password_reset_token(secret_key: str, token: str, *, max_age_minutes: int
                              ) -> PasswordResetClaim:
    """The claim in a password reset token, or InvalidToken / ExpiredToken."""
    return _claim(secret_key, PASSWORD_RESET_SALT, token, max_age_seconds=max_age_minutes * 60,
                  read=lambda payload: PasswordResetClaim(user_id=int(payload["user_id"]),
                                                          password_stamp=str(payload["stamp"])))
