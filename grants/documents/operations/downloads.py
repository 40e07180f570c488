"""Handing a stored document back: opening its file, and saying how big it is."""

import logging
from typing import BinaryIO, Protocol

from grants.core.errors import NotFound
from grants.documents.operations.storage import DocumentStorage, MissingFile

logger = logging.getLogger(__name__)


class StoredDocument(Protocol):
    """Any record that points at a stored file (an application's document, a report's)."""

    id: int
    storage_key: str


def open_document(storage: DocumentStorage, document: StoredDocument, owner: str) -> BinaryIO:
    """The stored file for download. The caller has checked that the user may see it.

    A record whose file is gone is logged (`owner` says whose document it is, like
    "application 12") and answered as not found."""
    try:
        return storage.open(document.storage_key)
    except MissingFile:
        logger.error("document %s of %s has no stored file", document.id, owner)
        raise NotFound("There is no such document") from None


def size_text(size_bytes: int) -> str:
    """A file size as people read it: 512 bytes, 12KB, 2.5MB."""
    if size_bytes < 1024:
        return f"{size_bytes} bytes" if size_bytes != 1 else "1 byte"
    if size_bytes < 1024 * 1024:
        return f"{round(size_bytes / 1024)}KB"
    return f"{size_bytes / (1024 * 1024):.1f}MB".replace(".0MB", "MB")
