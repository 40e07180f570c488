"""Handing a stored document back: opening its file, and saying how big it is."""

from typing import BinaryIO, Protocol

from grants.documents.operations.storage import DocumentStorage


class StoredDocument(Protocol):
    """Any record that points at a stored file (an application's document, a report's)."""

    storage_key: str


def open_document(storage: DocumentStorage, document: StoredDocument) -> BinaryIO:
    """The stored file for download. The caller has checked that the user may see it."""
    return storage.open(document.storage_key)


def size_text(size_bytes: int) -> str:
    """A file size as people read it: 512 bytes, 12KB, 2.5MB."""
    if size_bytes < 1024:
        return f"{size_bytes} bytes" if size_bytes != 1 else "1 byte"
    if size_bytes < 1024 * 1024:
        return f"{round(size_bytes / 1024)}KB"
    return f"{size_bytes / (1024 * 1024):.1f}MB".replace(".0MB", "MB")
