"""Password hashing (argon2id) and the strength rule."""

import re
import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from grants.accounts.operations.settings import AccountSettings
from grants.core.errors import Refusal
from grants.core.translatable import N_, Words


def _hasher(settings: AccountSettings) -> PasswordHasher:
    return PasswordHasher(
        time_cost=settings.argon2_time_cost,
        memory_cost=settings.argon2_memory_cost,
        parallelism=settings.argon2_parallelism,
    )


def hash_password(password: str, settings: AccountSettings) -> str:
    return _hasher(settings).hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    # The hash names the parameters it was made with, so checking it needs no settings.
    try:
        return PasswordHasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str, settings: AccountSettings) -> bool:
    """True when the hash was made with other parameters than today's settings."""
    try:
        return _hasher(settings).check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def password_problem(password: str, settings: AccountSettings, *,
                     user_inputs: list[str] = ()) -> str | None:
    """Why the password is not good enough, in words for the person, or None when it is."""
    minimum = settings.password_min_length
    if len(password) < minimum:
        return Words(N_("Password must be %(minimum)s characters or more"), minimum=minimum)
    if len(password) > 256:
        return N_("Password must be 256 characters or fewer")
    # zxcvbn's work grows with length; its offline dictionaries catch common passwords,
    # keyboard patterns, dates and the person's own name or email.
    result = zxcvbn(password[:100], user_inputs=[value for value in user_inputs if value])
    if result["score"] < settings.password_min_strength:
        return N_(
            "Password is too easy to guess. Try 3 or 4 unrelated words, "
            "and avoid names, dates and common phrases"
        )
    return None


def _personal_words(name: str, email: str) -> list[str]:
    """The person's name and email, whole and in pieces, for the strength check to avoid."""
    pieces = re.split(r"[^\w]+", f"{name} {email}")
    return [name, email, *(piece for piece in pieces if len(piece) >= 3)]


def check_new_password(password: str, settings: AccountSettings, *, field: str, name: str,
                       email: str) -> None:
    """Refuse a password that is too short, too long or too easy to guess for this person."""
    problem = password_problem(password, settings, user_inputs=_personal_words(name, email))
    if problem:
        raise Refusal(problem, field=field)


@lru_cache(maxsize=4)
def _dummy_hash(time_cost: int, memory_cost: int, parallelism: int) -> str:
    # Cached per parameter set: hashing on every call would make an unknown email slower to
    # refuse than a wrong password, which is the difference this hash is here to hide.
    hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)
    return hasher.hash(secrets.token_urlsafe(16))


def verify_dummy_password(password: str, settings: AccountSettings) -> bool:
    """Spend as long as checking a real password, for a sign-in with an unknown email."""
    dummy = _dummy_hash(
        settings.argon2_time_cost, settings.argon2_memory_cost, settings.argon2_parallelism
    )
    verify_password(dummy, password)
    return False


def generate_password(settings: AccountSettings) -> str:
    """A random password that passes the strength rule, for accounts made by staff."""
    while True:
        password = secrets.token_urlsafe(18)
        if password_problem(password, settings) is None:
            return password
