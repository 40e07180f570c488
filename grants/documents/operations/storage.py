"""Where uploaded documents' bytes live: behind a small interface, so an object store can
replace the local folder without touching the services that use it.

Files are stored under random keys, never under a name derived from what the person uploaded,
and outside the web root. The database row that points at a file changes in a transaction the
file system knows nothing of, so `delete_when_committed` and `delete_unless_committed` tie
deleting a file to that transaction's outcome: a row never points at a missing file.
"""

import logging
import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction, scoped_session

logger = logging.getLogger(__name__)

_CHUNK_BYTES = 64 * 1024


class StorageError(Exception):
    """The storage could not do what was asked."""


class InvalidKey(StorageError, ValueError):
    """The key is not one this storage could have made, so it names no file of its own."""


class MissingFile(StorageError, LookupError):
    """No file is stored under the key."""


class DocumentStorage(Protocol):
    """Stores files under keys it chooses."""

    def save(self, data: bytes | BinaryIO) -> str:
        """Store the bytes (or everything a binary stream yields) and return the new key."""
        ...

    def open(self, key: str) -> BinaryIO:
        """The stored file for reading; the caller closes it. MissingFile when there is none."""
        ...

    def delete(self, key: str) -> None:
        """Delete the file; a key with no file is not an error, so a retry is harmless."""
        ...


# 128 random bits as 32 lowercase hex digits: the only keys LocalFolderStorage makes or reads.
_KEY = re.compile(r"[0-9a-f]{32}")


def new_key() -> str:
    return secrets.token_hex(16)


class LocalFolderStorage:
    """Files in a folder on this machine: `<root>/<first two hex digits>/<key>`.

    The two-digit subfolders keep any one folder small. Only keys in this storage's own format
    are accepted, so no key can reach outside the folder.
    """

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)

    def save(self, data: bytes | BinaryIO) -> str:
        key = new_key()
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # O_EXCL: never overwrite a file, however unlikely a repeated key is.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as file:
                if isinstance(data, bytes | bytearray | memoryview):
                    file.write(data)
                else:
                    while chunk := data.read(_CHUNK_BYTES):
                        file.write(chunk)
                file.flush()
                os.fsync(file.fileno())
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return key

    def open(self, key: str) -> BinaryIO:
        try:
            return self._path(key).open("rb")
        except FileNotFoundError:
            raise MissingFile(f"No file is stored under {key}") from None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def _path(self, key: str) -> Path:
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            raise InvalidKey("Not a storage key")
        return self.root / key[:2] / key


def storage_for(config: Mapping[str, Any]) -> DocumentStorage:
    """The storage the configuration names: today, the local folder UPLOAD_FOLDER."""
    return LocalFolderStorage(config["UPLOAD_FOLDER"])


# --- Deleting files when the database change that stops using them stands ----------------

_WHEN_COMMITTED = "grants.storage.delete_when_committed"
_UNLESS_COMMITTED = "grants.storage.delete_unless_committed"


def delete_when_committed(session: Session, storage: DocumentStorage, key: str) -> None:
    """Delete the file once the session's transaction commits; keep it if it rolls back.

    For a file the transaction stops pointing at (a replaced or removed document).
    """
    _pending(session, _WHEN_COMMITTED).append((storage, key))


def delete_document(session: Session, storage: DocumentStorage, documents: list, document
                    ) -> None:
    """Take the document out of its owner's `documents` and delete its row; its file goes
    once the deletion commits."""
    documents.remove(document)
    session.delete(document)
    session.flush()
    delete_when_committed(session, storage, document.storage_key)


def delete_unless_committed(session: Session, storage: DocumentStorage, key: str) -> None:
    """Delete the file if the session's transaction rolls back; keep it once it commits.

    For a file saved for a row the transaction adds.
    """
    _pending(session, _UNLESS_COMMITTED).append((storage, key))


def _pending(session: Session | scoped_session, name: str
             ) -> list[tuple[DocumentStorage, str]]:
    if isinstance(session, scoped_session):  # Flask-SQLAlchemy's db.session
        session = session()
    if not session.in_transaction():
        session.begin()  # so that the transaction's end, whichever it is, is heard
    return session.info.setdefault(name, [])


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint: the outcome is not known yet
        return
    session.info.pop(_UNLESS_COMMITTED, None)
    _delete_all(session.info.pop(_WHEN_COMMITTED, []))


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    # Runs after `after_commit` when the transaction committed, so anything still pending here
    # belongs to a transaction that was rolled back or closed without committing.
    if transaction.parent is not None:  # a savepoint; the outer transaction goes on
        return
    session.info.pop(_WHEN_COMMITTED, None)
    _delete_all(session.info.pop(_UNLESS_COMMITTED, []))


def _delete_all(pending: list[tuple[DocumentStorage, str]]) -> None:
    for storage, key in pending:
        try:
            storage.delete(key)
        except Exception:
            # The database change stands; a file left behind wastes space but misleads nobody.
            logger.exception("Could not delete stored file %s", key)
