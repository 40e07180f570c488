"""Where uploaded documents' bytes live: behind a small interface with two implementations,
a folder on this machine (the default, for one server) and an S3-compatible bucket (for more
than one), chosen once from the configuration by `storage_for`.

Files are stored under random keys, never under a name derived from what the person uploaded,
and outside the web root. The database row that points at a file changes in a transaction the
file system knows nothing of, so `delete_when_committed` and `delete_unless_committed` tie
deleting a file to that transaction's outcome: a row never points at a missing file.
"""

import functools
import io
import logging
import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO, Protocol
from urllib.parse import parse_qs

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction, scoped_session

from grants.core import clock
from grants.documents.operations.checks import CheckedFile

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


class S3Storage:
    """Files in an S3-compatible bucket, as objects named `<prefix><key>`.

    The same random keys as the local folder, checked the same way. Downloads stream from the
    bucket. The bucket should be private to the service, with encryption at rest and
    versioning as the provider offers them.
    """

    def __init__(self, bucket: str, prefix: str = "", *, client: Any) -> None:
        self.bucket = bucket
        self.prefix = prefix
        self.client = client

    def save(self, data: bytes | BinaryIO) -> str:
        key = new_key()
        body = (io.BytesIO(data) if isinstance(data, bytes | bytearray | memoryview)
                else data)
        # Uploaded in parts when large; the object appears whole or not at all.
        self.client.upload_fileobj(body, self.bucket, self._name(key))
        return key

    def open(self, key: str) -> BinaryIO:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self._name(key))
        except self.client.exceptions.NoSuchKey:
            raise MissingFile(f"No file is stored under {key}") from None
        return response["Body"]  # read as it is sent on, never held whole

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except self.client.exceptions.ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
                return False
            raise
        return True

    def _name(self, key: str) -> str:
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            raise InvalidKey("Not a storage key")
        return self.prefix + key


# s3://BUCKET[/PREFIX][?OPTIONS], the bucket named as S3 allows (3-63 lowercase letters,
# digits, dots and hyphens).
_S3_URL = re.compile(r"s3://(?P<bucket>[a-z0-9][a-z0-9.-]{1,61}[a-z0-9])"
                     r"(?P<prefix>/[^?#]*)?(?:\?(?P<query>[^#]*))?")
# What STORAGE_URL may say after `s3://bucket/prefix?`; anything else is refused at start.
_S3_OPTIONS = {"endpoint_url", "region", "addressing_style"}
_STORAGE_URL_FORM = ("STORAGE_URL must be s3://BUCKET[/PREFIX][?endpoint_url=URL&region=NAME"
                     "&addressing_style=path|virtual], or unset to keep files in UPLOAD_FOLDER")


def storage_for(config: Mapping[str, Any]) -> DocumentStorage:
    """The storage the configuration names: an S3-compatible bucket when STORAGE_URL is an
    s3:// address, otherwise the local folder UPLOAD_FOLDER. Built once per setting, so a
    request does not make a new S3 client."""
    return _built_once(config.get("STORAGE_URL") or "", str(config["UPLOAD_FOLDER"]))


def storage_from_settings(url: str, upload_folder: str) -> DocumentStorage:
    """The storage STORAGE_URL (or, when it is empty, UPLOAD_FOLDER) names; StorageError, with
    the form expected, when STORAGE_URL is not one this service understands."""
    if not url:
        return LocalFolderStorage(upload_folder)
    if "@" in url.partition("?")[0]:
        raise StorageError("STORAGE_URL holds no credentials: give them in AWS_ACCESS_KEY_ID "
                           "and AWS_SECRET_ACCESS_KEY (or the server's role)")
    parts = _S3_URL.fullmatch(url)
    if parts is None:
        raise StorageError(_STORAGE_URL_FORM)
    options = {name: values[-1] for name, values in parse_qs(parts["query"] or "").items()}
    unknown = sorted(set(options) - _S3_OPTIONS)
    if unknown:
        raise StorageError(f"STORAGE_URL has options this service does not know: "
                           f"{', '.join(unknown)}. {_STORAGE_URL_FORM}")
    endpoint_url = options.get("endpoint_url")
    # S3-compatible servers other than AWS's address buckets by path.
    addressing_style = options.get("addressing_style", "path" if endpoint_url else "auto")
    if addressing_style not in {"path", "virtual", "auto"}:
        raise StorageError(_STORAGE_URL_FORM)
    prefix = (parts["prefix"] or "").strip("/")
    return S3Storage(parts["bucket"], f"{prefix}/" if prefix else "",
                     client=_s3_client(endpoint_url, options.get("region"), addressing_style))


_built_once = functools.lru_cache(maxsize=8)(storage_from_settings)


def _s3_client(endpoint_url: str | None, region: str | None, addressing_style: str) -> Any:
    """A client for S3 or a server that speaks its API. Credentials, and the endpoint and
    region when the URL gives none, come from boto3's usual places: AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_DEFAULT_REGION, or the server's role."""
    import boto3  # only a service that keeps its files in a bucket needs it loaded
    from botocore.config import Config

    return boto3.session.Session().client(
        "s3", endpoint_url=endpoint_url, region_name=region,
        config=Config(s3={"addressing_style": addressing_style}, connect_timeout=5,
                      read_timeout=60, retries={"mode": "standard", "max_attempts": 3}))


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


def store_checked(session: Session, storage: DocumentStorage, checked: CheckedFile,
                  uploaded_by_id: int) -> dict[str, Any]:
    """Save a checked upload, to be deleted again unless the transaction commits, and give the
    columns every stored file's row holds about it (`grants.documents.models.StoredFile`)."""
    key = storage.save(checked.data)
    delete_unless_committed(session, storage, key)
    return {"original_filename": checked.original_filename, "storage_key": key,
            "content_type": checked.content_type, "size_bytes": checked.size_bytes,
            "sha256": checked.sha256, "uploaded_at": clock.utcnow(),
            "uploaded_by_id": uploaded_by_id}


def copy_stored(session: Session, storage: DocumentStorage, source: Any,
                uploaded_by_id: int) -> dict[str, Any]:
    """Save a copy of a stored file under a new key, to be deleted again unless the transaction
    commits, and give its columns: the same name, type, size and checksum as `source` (any
    `StoredFile`), so each record owns its own file and deleting one never touches the other."""
    with storage.open(source.storage_key) as file:
        key = storage.save(file)
    delete_unless_committed(session, storage, key)
    return {"original_filename": source.original_filename, "storage_key": key,
            "content_type": source.content_type, "size_bytes": source.size_bytes,
            "sha256": source.sha256, "uploaded_at": clock.utcnow(),
            "uploaded_by_id": uploaded_by_id}


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
