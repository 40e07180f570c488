"""Password hashing (argon2id) and the strength rule."""

import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from zxcvbn import zxcvbn


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_COST"],
        parallelism=config["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other parameters than today's settings."""
    try:
        return _hasher().check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def password_problem(password: str, *, user_inputs: list[str] = ()) -> str | None:
    """Why the password is not good enough, in words for the person, or None when it is."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return f"Password must be {minimum} characters or more"
    if len(password) > 256:
        return "Password must be 256 characters or fewer"
    # zxcvbn's work grows with length; its offline dictionaries catch common passwords,
    # keyboard patterns, dates and the person's own name or email.
    result = zxcvbn(password[:100], user_inputs=[value for value in user_inputs if value])
    if result["score"] < current_app.config["PASSWORD_MIN_STRENGTH"]:
        return (
            "Password is too easy to guess. Try 3 or 4 unrelated words, "
            "and avoid names, dates and common phrases"
        )
    return None


@lru_cache(maxsize=4)
def _dummy_hash(time_cost: int, memory_cost: int, parallelism: int) -> str:
    # Cached per parameter set: hashing on every call would make an unknown email slower to
    # refuse than a wrong password, which is the difference this hash is here to hide.
    hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)
    return hasher.hash(secrets.token_urlsafe(16))


def verify_dummy_password(password: str) -> bool:
    """Spend as long as checking a real password, for a sign-in with an unknown email."""
    config = current_app.config
    dummy = _dummy_hash(
        config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST"], config["ARGON2_PARALLELISM"]
    )
    verify_password(dummy, password)
    return False


def generate_password() -> str:
    """A random password that passes the strength rule, for accounts made by staff."""
    while True:
        password = secrets.token_urlsafe(18)
        if password_problem(password) is None:
            return password
