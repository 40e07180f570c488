"""Signed, timed tokens for links sent by email."""

import logging
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from grants import clock
from grants.errors import GrantsError

logger = logging.getLogger(__name__)

EMAIL_VERIFICATION_SALT = "grants.accounts.verify-email"


class InvalidToken(GrantsError):
    """The link was altered, was made for another purpose, or is out of date."""


class ExpiredToken(InvalidToken):
    """The link was genuine but is older than it may be."""


class _ClockSigner(TimestampSigner):
    # Reads the service clock, so tests can move time past a link's age limit.
    def get_timestamp(self) -> int:
        return int(clock.utcnow().timestamp())


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"], salt=salt, signer=_ClockSigner
    )


@dataclass(frozen=True)
class VerificationClaim:
    user_id: int
    email: str


def make_verification_token(user_id: int, email: str) -> str:
    """A token for a link that confirms this user owns this email address."""
    return _serializer(EMAIL_VERIFICATION_SALT).dumps({"user_id": user_id, "email": email})


def read_verification_token(token: str) -> VerificationClaim:
    """The claim in a verification token, or InvalidToken / ExpiredToken."""
    max_age = current_app.config["EMAIL_VERIFICATION_MAX_AGE_HOURS"] * 3600
    try:
        payload = _serializer(EMAIL_VERIFICATION_SALT).loads(token, max_age=max_age)
    except SignatureExpired:
        raise ExpiredToken("This link has expired") from None
    except BadSignature:
        raise InvalidToken("This link is not valid") from None
    try:
        return VerificationClaim(user_id=int(payload["user_id"]), email=str(payload["email"]))
    except (TypeError, KeyError, ValueError):
        # Signed by us but not a verification claim: treat it as any other bad link.
        raise InvalidToken("This link is not valid") from None
