"""Checking uploaded files (pure functions) and storing them (the local folder storage).

The files are small real ones made here: a PDF header, PNG and JPEG signatures, and DOCX, XLSX
and ODT archives built with zipfile in memory.
"""

import hashlib
import io
import struct
import zipfile
import zlib

import pytest

from grants.documents.operations import checks as documents
from grants.documents.operations.checks import FileRefused, ZipLimits, check_file, display_filename
from grants.documents.operations.storage import (
    InvalidKey,
    LocalFolderStorage,
    MissingFile,
    delete_unless_committed,
    delete_when_committed,
    storage_for,
)

MB = 1024 * 1024


# --- Small real files ---------------------------------------------------------------------

def make_pdf(padding: int = 0) -> bytes:
    return (b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\n" + b" " * padding
            + b"trailer <</Root 1 0 R>>\n%%EOF\n")


def make_png() -> bytes:
    """A 1x1 white PNG."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


def make_jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def make_zip(entries: dict[str, bytes | str], *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


CONTENT_TYPES = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/"/>'


def make_docx(**extra: bytes) -> bytes:
    return make_zip({"[Content_Types].xml": CONTENT_TYPES,
                     "_rels/.rels": "<Relationships/>",
                     "word/document.xml": "<w:document><w:body>Safeguarding</w:body></w:document>",
                     **extra})


def make_xlsx() -> bytes:
    return make_zip({"[Content_Types].xml": CONTENT_TYPES,
                     "xl/workbook.xml": "<workbook><sheets/></workbook>",
                     "xl/worksheets/sheet1.xml": "<worksheet/>"})


def make_odt(mimetype: bytes = b"application/vnd.oasis.opendocument.text",
             mimetype_first: bool = True) -> bytes:
    entries = {"content.xml": "<office:document-content/>",
               "META-INF/manifest.xml": "<manifest:manifest/>"}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if mimetype_first:
            archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)  # stored, as ODF says
        for name, content in entries.items():
            archive.writestr(name, content)
        if not mimetype_first:
            archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)
    return buffer.getvalue()


def make_zip_bomb_docx(megabytes: int) -> bytes:
    """A DOCX with one entry of `megabytes` of zeros, streamed through the compressor."""
    buffer = io.BytesIO()
    zeros = bytes(MB)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/image1.png", "w", force_zip64=True) as entry:
            for _ in range(megabytes):
                entry.write(zeros)
    return buffer.getvalue()


def check(filename: str, data: bytes, **kwargs) -> documents.CheckedFile:
    return check_file(filename, io.BytesIO(data), **kwargs)


def refusal(filename: str | None, data: bytes | None, **kwargs) -> str:
    stream = io.BytesIO(data) if data is not None else None
    with pytest.raises(FileRefused) as refused:
        check_file(filename, stream, **kwargs)
    return refused.value.errors[documents.FILE_FIELD]


# --- Formats ------------------------------------------------------------------------------

@pytest.mark.parametrize("filename,make,content_type", [
    ("policy.pdf", make_pdf, "application/pdf"),
    ("POLICY.PDF", make_pdf, "application/pdf"),
    ("logo.png", make_png, "image/png"),
    ("scan.jpg", make_jpeg, "image/jpeg"),
    ("scan.JPEG", make_jpeg, "image/jpeg"),
    ("constitution.docx", make_docx,
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("accounts.xlsx", make_xlsx,
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("constitution.odt", make_odt, "application/vnd.oasis.opendocument.text"),
])
def test_each_allowed_format_is_accepted_with_the_content_type_its_content_shows(
    filename, make, content_type
):
    data = make()

    checked = check(filename, data)

    assert checked.content_type == content_type
    assert checked.size_bytes == len(data)
    assert checked.data == data
    assert checked.original_filename == filename


def test_the_checked_file_carries_its_sha256():
    checked = check("policy.pdf", make_pdf())

    assert checked.sha256 == hashlib.sha256(make_pdf()).hexdigest()


@pytest.mark.parametrize("filename,make", [
    ("policy.pdf", make_png),  # a PNG renamed .pdf
    ("logo.png", make_pdf),
    ("scan.jpg", make_png),
    ("policy.pdf", lambda: b"Just some text, not a PDF"),
    ("constitution.docx", make_pdf),
    ("constitution.docx", make_xlsx),  # a real ZIP, but a spreadsheet
    ("accounts.xlsx", make_docx),
    ("constitution.odt", make_docx),
    ("constitution.docx", lambda: make_zip({"readme.txt": "hello"})),
])
def test_content_that_does_not_match_the_extension_is_refused(filename, make):
    message = refusal(filename, make())

    assert "although its name says it is" in message


@pytest.mark.parametrize("filename", [
    "policy.exe", "policy.txt", "policy.pdf.exe", "policy", "policy.", "policy.html", ".pdf.js",
])
def test_files_whose_extension_is_not_allowed_are_refused(filename):
    assert refusal(filename, make_pdf()) == (
        "The selected file must be a PDF, DOCX, XLSX, ODT, PNG or JPG")


def test_an_odt_whose_mimetype_is_another_kind_of_document_is_refused():
    spreadsheet = make_odt(mimetype=b"application/vnd.oasis.opendocument.spreadsheet")

    assert "is not a real ODT file" in refusal("accounts.odt", spreadsheet)


def test_an_odt_whose_first_entry_is_not_its_mimetype_is_refused():
    assert "although its name says it is" in refusal("a.odt", make_odt(mimetype_first=False))


# --- Size ---------------------------------------------------------------------------------

def test_a_file_of_exactly_10mb_is_accepted():
    data = make_pdf(padding=10 * MB - len(make_pdf()))
    assert len(data) == 10 * MB

    assert check("policy.pdf", data).size_bytes == 10 * MB


def test_a_file_one_byte_over_10mb_is_refused():
    data = make_pdf(padding=10 * MB + 1 - len(make_pdf()))

    assert refusal("policy.pdf", data) == "The selected file must be smaller than 10MB"


def test_an_empty_file_is_refused():
    assert refusal("policy.pdf", b"") == "The selected file is empty"


@pytest.mark.parametrize("filename,data", [(None, None), ("", b""), ("   ", b"x")])
def test_no_file_chosen_is_refused(filename, data):
    assert refusal(filename, data) == "Select a file to upload"


class EndlessZeros(io.RawIOBase):
    """A stream that never ends, counting what is read from it."""

    def __init__(self) -> None:
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        assert size > 0, "an oversize upload must be read in chunks, never whole"
        self.bytes_read += size
        return bytes(size)


def test_an_oversize_file_is_refused_without_reading_it_all():
    stream = EndlessZeros()

    with pytest.raises(FileRefused):
        documents.read_limited(stream, 10 * MB)

    assert stream.bytes_read == 10 * MB + 1


# --- ZIP archives -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def big_zip_bomb():
    return make_zip_bomb_docx(200)


def test_a_zip_bomb_named_docx_is_refused(big_zip_bomb):
    assert len(big_zip_bomb) < MB  # 200MB of zeros, compressed

    assert "unpacks to far more than its size" in refusal("constitution.docx", big_zip_bomb)


def test_a_small_zip_bomb_is_refused_by_its_compression_ratio():
    bomb = make_zip_bomb_docx(5)  # well under the total limit, at about 1000:1

    assert "unpacks to far more than its size" in refusal("constitution.docx", bomb)


def test_an_archive_that_unpacks_past_the_total_limit_is_refused():
    docx = make_docx(**{"word/media/image1.png": bytes(range(256)) * 8})  # 2KB, ratio ~ 1

    assert check("a.docx", docx, limits=ZipLimits(max_total_bytes=3000))
    assert "unpacks to far more" in refusal("a.docx", docx, limits=ZipLimits(max_total_bytes=2000))


def test_an_archive_with_too_many_entries_is_refused():
    entries = {f"word/part{number}.xml": "" for number in range(2_000)}
    docx = make_docx(**entries)  # 2,003 entries

    assert "contains more than 2,000 parts" in refusal("constitution.docx", docx)


def test_a_truncated_archive_is_refused_as_damaged():
    docx = make_docx()

    assert "is damaged" in refusal("constitution.docx", docx[: len(docx) // 2])


def test_an_archive_whose_content_fails_its_checksum_is_refused_as_damaged():
    text = b"Safeguarding policy " * 20
    docx = bytearray(make_zip({"[Content_Types].xml": CONTENT_TYPES,
                               "word/document.xml": text}, method=zipfile.ZIP_STORED))
    position = docx.index(text)
    docx[position] ^= 0xFF  # one corrupted byte inside the stored document

    assert "is damaged" in refusal("constitution.docx", bytes(docx))


def test_an_archive_whose_directory_understates_its_sizes_is_refused():
    """A bomb that lies about its sizes passes the declared limits, then fails when read."""
    bomb = bytearray(make_docx(**{"word/media/image1.png": bytes(2 * MB)}))
    directory = bomb.rindex(b"PK\x01\x02")  # the central directory record of the last entry
    assert bomb[directory + 46:].startswith(b"word/media/image1.png")
    struct.pack_into("<I", bomb, directory + 24, 1024)  # its uncompressed size: 1KB, not 2MB
    with zipfile.ZipFile(io.BytesIO(bytes(bomb))) as archive:
        assert archive.getinfo("word/media/image1.png").file_size == 1024

    assert "is damaged" in refusal("constitution.docx", bytes(bomb))


# --- Names --------------------------------------------------------------------------------

@pytest.mark.parametrize("filename,shown", [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\x.pdf", "x.pdf"),
    ("C:\\Users\\Jo\\Documents\\Safeguarding   policy\t2026.pdf",
     "Safeguarding policy 2026.pdf"),
    ("poli\x00cy\x1b\x7f.pdf", "policy.pdf"),
    ("line\nbreak.pdf", "line break.pdf"),
    ('Report: "final" <v2> | ok? *.pdf', "Report final v2 ok.pdf"),
    ("\u202egpj.pdf", "gpj.pdf"),  # a right-to-left override hiding the real extension
    ("Politique de sécurité.pdf", "Politique de sécurité.pdf"),
    (".pdf", "document.pdf"),
    ("\x00\x01.pdf", "document.pdf"),
    ("  ...  .pdf", "document.pdf"),
])
def test_the_name_shown_is_the_last_path_component_without_dangerous_characters(filename, shown):
    assert display_filename(filename) == shown


def test_a_very_long_name_is_cut_to_100_characters_keeping_its_extension():
    shown = display_filename("a" * 300 + ".docx")

    assert len(shown) == 100
    assert shown == "a" * 95 + ".docx"


def test_a_path_traversal_name_is_accepted_as_its_last_component_only():
    checked = check("../../etc/passwd.pdf", make_pdf())

    assert checked.original_filename == "passwd.pdf"


def test_the_extension_is_read_from_the_last_path_component():
    assert refusal("policy.pdf/../evil", make_pdf()).startswith("The selected file must be a")


# --- Storage ------------------------------------------------------------------------------

def test_local_storage_saves_opens_and_deletes_under_random_keys(tmp_path):
    storage = LocalFolderStorage(tmp_path / "uploads")  # created when first needed

    first = storage.save(b"first file")
    second = storage.save(io.BytesIO(b"second file"))

    assert first != second
    assert all(len(key) == 32 and int(key, 16) >= 0 for key in (first, second))
    with storage.open(first) as file:
        assert file.read() == b"first file"
    assert (tmp_path / "uploads" / second[:2] / second).read_bytes() == b"second file"
    storage.delete(first)
    storage.delete(first)  # twice is harmless
    with pytest.raises(MissingFile):
        storage.open(first)
    assert storage.exists(second)


@pytest.mark.parametrize("key", [
    "../../etc/passwd", "..", "", "ABCDEF0123456789ABCDEF0123456789",
    "0123456789abcdef0123456789abcde/", "0123456789abcdef0123456789abcdef0",
    "/etc/passwd", "0123456789abcdef0123456789abcdef\n", None,
])
def test_local_storage_refuses_keys_it_could_not_have_made(tmp_path, key):
    storage = LocalFolderStorage(tmp_path)

    for operation in (storage.open, storage.delete, storage.exists):
        with pytest.raises(InvalidKey):
            operation(key)


def test_the_storage_comes_from_the_upload_folder_setting(tmp_path):
    storage = storage_for({"UPLOAD_FOLDER": str(tmp_path)})

    key = storage.save(b"data")

    assert (tmp_path / key[:2] / key).exists()


def test_files_are_deleted_when_the_transaction_commits_or_kept_when_it_rolls_back(
    tmp_path, db_session
):
    storage = LocalFolderStorage(tmp_path)
    replaced, added = storage.save(b"old"), storage.save(b"new")

    delete_when_committed(db_session, storage, replaced)
    delete_unless_committed(db_session, storage, added)
    db_session.rollback()

    assert storage.exists(replaced) and not storage.exists(added)

    added = storage.save(b"new")
    delete_when_committed(db_session, storage, replaced)
    delete_unless_committed(db_session, storage, added)
    with db_session.begin_nested():  # a savepoint's end decides nothing
        pass
    assert storage.exists(replaced) and storage.exists(added)
    db_session.commit()

    assert not storage.exists(replaced) and storage.exists(added)
