"""Checking an uploaded file before it is stored.

A file is accepted only when its name ends in an allowed extension and its content is what
that extension says (a PNG renamed .pdf is refused), it has 1 byte to 10MB, and, for the
formats that are ZIP files underneath, the archive is sound and does not unpack to far more
than it weighs (a zip bomb named .docx). Nothing is extracted to disk. The checks are pure
functions: they read the bytes in memory and store nothing.
"""

import hashlib
import io
import logging
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from grants.core.errors import ValidationFailed
from grants.core.translatable import N_, Words

logger = logging.getLogger(__name__)

# The form field that errors about the file belong to.
FILE_FIELD = "document_file"

MAX_BYTES = 10 * 1024 * 1024
MAX_MEGABYTES = MAX_BYTES // (1024 * 1024)
MAX_DISPLAY_NAME = 100
_READ_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FileFormat:
    extension: str  # the canonical one, as stored files are named for download
    name: str  # for people, in messages
    content_type: str


PDF = FileFormat("pdf", "PDF", "application/pdf")
DOCX = FileFormat("docx", "DOCX",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = FileFormat("xlsx", "XLSX",
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
ODT = FileFormat("odt", "ODT", "application/vnd.oasis.opendocument.text")
PNG = FileFormat("png", "PNG", "image/png")
JPEG = FileFormat("jpg", "JPG", "image/jpeg")

FORMATS_BY_EXTENSION = {
    "pdf": PDF, "docx": DOCX, "xlsx": XLSX, "odt": ODT, "png": PNG, "jpg": JPEG, "jpeg": JPEG,
}
ALLOWED_TEXT = "PDF, DOCX, XLSX, ODT, PNG or JPG"
# What the file input offers first in the browser's file chooser (the server decides).
ACCEPT = ",".join(f".{extension}" for extension in FORMATS_BY_EXTENSION)

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JPEG_SIGNATURE = b"\xff\xd8\xff"
_PDF_SIGNATURE = b"%PDF-"
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


@dataclass(frozen=True)
class ZipLimits:
    """How far an archive may unpack before it is treated as a zip bomb."""

    max_entries: int = 2_000
    max_total_bytes: int = 100 * 1024 * 1024
    # Uncompressed to compressed. Office files manage about 10:1; a bomb manages 1000:1.
    max_ratio: int = 100


DEFAULT_ZIP_LIMITS = ZipLimits()


class FileRefused(ValidationFailed):
    """The uploaded file is not one we accept; the message says why, for the file field."""

    def __init__(self, message: str) -> None:
        super().__init__({FILE_FIELD: message})


# --- Checking a file ----------------------------------------------------------------------

def read_limited(stream: BinaryIO, limit: int = MAX_BYTES) -> bytes:
    """The stream's bytes, read in chunks and refused as soon as they pass `limit`, so an
    oversize file is never read whole."""
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = stream.read(min(_READ_CHUNK, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise FileRefused(
            Words(N_("The selected file must be smaller than %(megabytes)sMB"),
                  megabytes=limit // (1024 * 1024)) if limit >= 1024 * 1024 else
            Words(N_("The selected file must be %(bytes)s bytes or smaller"), bytes=limit))
    if size == 0:
        raise FileRefused(N_("The selected file is empty"))
    return b"".join(chunks)


def last_path_component(filename: str) -> str:
    """The name after the last / or \\, whichever the sending system used."""
    return re.split(r"[/\\]", filename or "")[-1]


# Characters Windows forbids in names, and which mean something to shells and HTML.
_FORBIDDEN_CHARACTERS = set('<>:"|?*')


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    # Tabs and line breaks become spaces; then go control, format (e.g. right-to-left
    # override), surrogate, private-use and unassigned characters.
    text = "".join(" " if character.isspace() else character for character in text)
    text = "".join(character for character in text
                   if unicodedata.category(character)[0] != "C"
                   and character not in _FORBIDDEN_CHARACTERS)
    return re.sub(r"\s+", " ", text).strip()


def extension_of(filename: str) -> str:
    """The lower-case extension of the file's own name, or "" when it has none."""
    name = _clean(last_path_component(filename))
    stem, dot, extension = name.rpartition(".")
    return extension.strip().lower() if dot else ""


def display_filename(filename: str) -> str:
    """The uploaded file's name, safe to show and to offer for download: its last path
    component, without control or forbidden characters, spaces collapsed, at most 100
    characters with the extension kept. An empty name becomes "document.<ext>"."""
    name = _clean(last_path_component(filename))
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    extension = extension.strip()
    stem = stem.strip(" .")
    suffix = f".{extension}" if extension else ""
    if not stem:
        return f"document{suffix}"[:MAX_DISPLAY_NAME]
    stem = stem[:max(MAX_DISPLAY_NAME - len(suffix), 1)].rstrip(" .") or "document"
    return f"{stem}{suffix}"[:MAX_DISPLAY_NAME]


def format_for(filename: str) -> FileFormat:
    """The format the name claims, or FileRefused when it is not one we accept."""
    extension = extension_of(filename)
    file_format = FORMATS_BY_EXTENSION.get(extension)
    if file_format is None:
        raise FileRefused(Words(N_("The selected file must be a %(formats)s"),
                                formats=ALLOWED_TEXT))
    return file_format


def check_content(data: bytes, file_format: FileFormat,
                  limits: ZipLimits = DEFAULT_ZIP_LIMITS) -> None:
    """Refuse content that is not what the extension says."""
    if file_format is PDF:
        _require(data.startswith(_PDF_SIGNATURE), file_format)
    elif file_format is PNG:
        _require(data.startswith(_PNG_SIGNATURE), file_format)
    elif file_format is JPEG:
        _require(data.startswith(_JPEG_SIGNATURE), file_format)
    elif file_format is DOCX:
        _check_office_zip(data, file_format, ("[Content_Types].xml", "word/document.xml"),
                          limits)
    elif file_format is XLSX:
        _check_office_zip(data, file_format, ("[Content_Types].xml", "xl/workbook.xml"),
                          limits)
    elif file_format is ODT:
        _check_odt(data, limits)
    else:  # pragma: no cover - every format above has its check
        raise ValueError(f"No content check for {file_format}")


def _require(condition: bool, file_format: FileFormat) -> None:
    if not condition:
        raise FileRefused(_not_really(file_format))


def _not_really(file_format: FileFormat) -> Words:
    return Words(N_("The selected file is not a real %(format)s file, although its name says "
                    "it is. Upload a %(formats)s"), format=file_format.name, formats=ALLOWED_TEXT)


_DAMAGED = N_("The selected file is damaged and cannot be opened. Save it again and upload the "
              "new copy")


def _check_office_zip(data: bytes, file_format: FileFormat, required: Iterable[str],
                      limits: ZipLimits) -> None:
    with _open_zip(data, file_format, limits) as archive:
        names = set(archive.namelist())
        _require(all(name in names for name in required), file_format)


def _check_odt(data: bytes, limits: ZipLimits) -> None:
    with _open_zip(data, ODT, limits) as archive:
        entries = archive.infolist()
        _require(bool(entries) and entries[0].filename == "mimetype", ODT)
        with archive.open(entries[0]) as member:
            mimetype = member.read(len(_ODT_MIMETYPE) + 1)
        _require(mimetype == _ODT_MIMETYPE, ODT)


def _open_zip(data: bytes, file_format: FileFormat, limits: ZipLimits) -> zipfile.ZipFile:
    """The archive, once its directory and every entry have been checked: refused when it is
    not a ZIP, is damaged, or would unpack to far more than it weighs. Entries are read in
    memory, a chunk at a time, only after their declared sizes have passed the limits; the
    reading proves the declared sizes and checksums true."""
    if not data.startswith(b"PK\x03\x04"):
        raise FileRefused(_not_really(file_format))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise FileRefused(_DAMAGED) from None
    try:
        entries = archive.infolist()
        _check_zip_limits(entries, limits)
        for entry in entries:
            _read_through(archive, entry)
    except FileRefused:
        archive.close()
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, NotImplementedError,
            ValueError, OSError, EOFError, zlib.error):
        # RuntimeError: encrypted; NotImplementedError: an unknown compression method.
        archive.close()
        raise FileRefused(_DAMAGED) from None
    return archive


def _check_zip_limits(entries: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    too_big = N_("The selected file unpacks to far more than its size, so it cannot be checked "
                 "safely. Save it again and upload the new copy")
    if len(entries) > limits.max_entries:
        raise FileRefused(Words(N_("The selected file contains more than %(most)s parts, so it "
                                   "cannot be checked safely"), most=f"{limits.max_entries:,}"))
    total = sum(entry.file_size for entry in entries)
    compressed = sum(entry.compress_size for entry in entries)
    if total > limits.max_total_bytes:
        raise FileRefused(too_big)
    if total > limits.max_ratio * max(compressed, 1):
        raise FileRefused(too_big)


def _read_through(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> None:
    """Decompress one entry into nothing, to prove its size and checksum."""
    if entry.is_dir():
        return
    # zipfile stops at the declared size and checks the CRC at the end, so a directory that
    # lies about sizes fails here rather than unpacking without bound.
    with archive.open(entry) as member:
        while member.read(_READ_CHUNK):
            pass


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check, with what the Document row records about it."""

    data: bytes
    original_filename: str
    file_format: FileFormat
    sha256: str

    @property
    def size_bytes(self) -> int:
        return len(self.data)

    @property
    def content_type(self) -> str:
        return self.file_format.content_type


def check_file(filename: str | None, stream: BinaryIO | None, *, max_bytes: int = MAX_BYTES,
               limits: ZipLimits = DEFAULT_ZIP_LIMITS) -> CheckedFile:
    """Check an upload: a file was chosen, its extension is allowed, its size is 1 byte to the
    limit, and its content matches the extension. FileRefused says what is wrong."""
    if stream is None or not (filename or "").strip():
        raise FileRefused("Select a file to upload")
    file_format = format_for(filename)
    data = read_limited(stream, max_bytes)
    check_content(data, file_format, limits)
    return CheckedFile(data=data, original_filename=display_filename(filename),
                       file_format=file_format, sha256=hashlib.sha256(data).hexdigest())
