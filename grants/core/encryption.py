"""Secrets at rest: columns and backups encrypted with Fernet (AES-128-CBC with HMAC-SHA256).

The keys are `ENCRYPTION_KEYS`, a comma-separated list of Fernet keys, newest first: the newest
encrypts, every one of them decrypts, so a new key can be put in front of the old one and
`flask keys rotate` then re-encrypts every row under it before the old key is dropped.
Development and testing derive a key from SECRET_KEY when ENCRYPTION_KEYS is unset; production
refuses to start without it (config.ProductionConfig).

A model says `mapped_column(Encrypted(8))` and reads and writes plain strings; the database
holds only the tokens.
"""

import base64
import functools
import logging

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app, has_app_context
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

logger = logging.getLogger(__name__)

__all__ = ["Encrypted", "EncryptionKeyError", "InvalidToken", "key_ring", "key_ring_for",
           "new_key"]


class EncryptionKeyError(RuntimeError):
    """The configured keys cannot be used; the message says why, for the operator."""


def new_key() -> str:
    """A new random key, to put at the front of ENCRYPTION_KEYS."""
    return Fernet.generate_key().decode()


def _derived_key(secret_key: str) -> bytes:
    """A Fernet key derived from SECRET_KEY, for development and tests only."""
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                   info=b"grants: secrets at rest").derive(secret_key.encode())
    return base64.urlsafe_b64encode(derived)


@functools.lru_cache(maxsize=8)
def _ring(keys: tuple[str, ...]) -> MultiFernet:
    fernets = []
    for position, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key.encode()))
        except (ValueError, TypeError):
            raise EncryptionKeyError(
                f"Key {position} of ENCRYPTION_KEYS is not a Fernet key (32 random bytes in "
                "URL-safe base64; make one with `flask keys new`)") from None
    return MultiFernet(fernets)


def key_ring_for(settings) -> MultiFernet:
    """The keys of a configuration: ENCRYPTION_KEYS, or one derived from SECRET_KEY."""
    text = (settings.get("ENCRYPTION_KEYS") or "").strip()
    keys = tuple(key.strip() for key in text.split(",") if key.strip())
    if not keys:
        if not settings.get("SECRET_KEY"):
            raise EncryptionKeyError("Set ENCRYPTION_KEYS (or SECRET_KEY in development)")
        keys = (_derived_key(settings["SECRET_KEY"]).decode(),)
    return _ring(keys)


def key_ring() -> MultiFernet:
    """The running application's keys."""
    if not has_app_context():
        raise EncryptionKeyError("Encrypted columns are read and written inside the app")
    return key_ring_for(current_app.config)


class Encrypted(TypeDecorator):
    """A string stored as a Fernet token, so the database never holds it in clear text.

    `length` is the longest plain value allowed. Encryption is randomised: the column cannot be
    searched or compared in SQL, only read.
    """

    impl = Text
    cache_ok = True

    def __init__(self, length: int):
        super().__init__()
        self.length = length

    def process_bind_param(self, value: str | None, dialect) -> str | None:
        if value is None:
            return None
        if len(value) > self.length:
            raise ValueError(f"An encrypted value is longer than {self.length} characters")
        return key_ring().encrypt(value.encode()).decode()

    def process_result_value(self, value: str | None, dialect) -> str | None:
        if value is None:
            return None
        return key_ring().decrypt(value.encode()).decode()

    def copy(self, **kw):
        return Encrypted(self.length)
