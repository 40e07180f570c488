"""Consistent backups, encrypted: SQLite's online backup API, or pg_dump for PostgreSQL.

The copy never touches the disk in clear text: it is encrypted as it is made, with the keys of
ENCRYPTION_KEYS (the newest encrypts; any of them decrypts), in chunks of a megabyte. The file
is a first line naming the format and the database kind, then one Fernet token a line; each
token holds the chunk's number and whether it is the last, so a chunk left out, repeated or
moved, or a file cut short, is refused rather than restored.
"""

import logging
import os
import shutil
import sqlite3
import struct
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from cryptography.fernet import InvalidToken, MultiFernet
from sqlalchemy.engine import URL, make_url

from grants.core import clock

logger = logging.getLogger(__name__)


class BackupError(Exception):
    """The backup could not be made; the message says why, for the operator."""


MAGIC = b"grants-backup-1"
CHUNK_BYTES = 1024 * 1024
_CHUNK_HEADER = struct.Struct(">QB")  # the chunk's number, and 1 on the last


def default_path(folder: Path, url: URL) -> Path:
    stamp = clock.utcnow().strftime("%Y%m%dT%H%M%SZ")
    suffix = "sqlite" if url.get_backend_name() == "sqlite" else "dump"
    return folder / f"grants-{stamp}.{suffix}.enc"


def _chunks(stream: BinaryIO) -> Iterator[bytes]:
    while chunk := stream.read(CHUNK_BYTES):
        yield chunk


def write_encrypted(chunks: Iterable[bytes], target: Path, kind: str,
                    keys: MultiFernet) -> None:
    """Write the bytes to target, encrypted chunk by chunk (see the module's docstring)."""
    with open(target, "wb") as out:
        out.write(MAGIC + b" " + kind.encode() + b"\n")
        index, pending = 0, None
        for chunk in chunks:
            if pending is not None:
                out.write(keys.encrypt(_CHUNK_HEADER.pack(index, 0) + pending) + b"\n")
                index += 1
            pending = chunk
        out.write(keys.encrypt(_CHUNK_HEADER.pack(index, 1) + (pending or b"")) + b"\n")


def read_encrypted(path: Path, keys: MultiFernet) -> tuple[str, Iterator[bytes]]:
    """The database kind of an encrypted backup, and its bytes, decrypted chunk by chunk."""
    stream = open(path, "rb")  # noqa: SIM115  (closed by the generator)
    first = stream.readline().rstrip(b"\n").split(b" ")
    if len(first) != 2 or first[0] != MAGIC:
        stream.close()
        raise BackupError(f"{path} is not an encrypted backup of this service")

    def chunks() -> Iterator[bytes]:
        with stream:
            expected, last = 0, False
            for line in stream:
                if last:
                    raise BackupError("The backup goes on after its last chunk")
                try:
                    plain = keys.decrypt(line.rstrip(b"\n"))
                except InvalidToken:
                    raise BackupError("The backup cannot be decrypted with ENCRYPTION_KEYS: "
                                      "it was changed, or made under a key no longer "
                                      "listed") from None
                index, flag = _CHUNK_HEADER.unpack_from(plain)
                if index != expected:
                    raise BackupError("The backup's chunks are out of order or missing")
                expected, last = expected + 1, bool(flag)
                yield plain[_CHUNK_HEADER.size:]
            if not last:
                raise BackupError("The backup is cut short")

    return first[1].decode(), chunks()


def decrypt_backup(path: Path, target: Path, keys: MultiFernet) -> str:
    """Write the clear copy of an encrypted backup to target, readable by its owner only; the
    database kind. A backup that fails its checks leaves no file."""
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} already exists; choose another file")
    kind, chunks = read_encrypted(Path(path), keys)
    try:
        with open(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
            for chunk in chunks:
                out.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return kind


def backup_sqlite(url: URL, target: Path, keys: MultiFernet) -> Path:
    """Copy the database page by page while it is in use (the copy is one consistent moment)
    into memory, then write it encrypted."""
    database = url.database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up")
    if not Path(database).exists():
        raise BackupError(f"There is no SQLite database at {database}")
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        destination = sqlite3.connect(":memory:")
        try:
            with destination:
                source.backup(destination)
            copy = destination.serialize()
        finally:
            destination.close()
    finally:
        source.close()
    write_encrypted((copy[start:start + CHUNK_BYTES]
                     for start in range(0, len(copy), CHUNK_BYTES)), target, "sqlite", keys)
    return target


def libpq_connection(url: URL) -> tuple[str, dict[str, str]]:
    """The URL for the PostgreSQL tools, and their environment: the password goes in the
    environment, not the command line that `ps` shows."""
    libpq_url = url.set(drivername="postgresql", password=None).render_as_string(
        hide_password=False)
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    return libpq_url, environment


def backup_postgresql(url: URL, target: Path, keys: MultiFernet, *,
                      pg_dump: str | None = None) -> Path:
    """pg_dump in its custom format (one transaction, so consistent), for pg_restore, read
    from its output and encrypted as it comes."""
    program = pg_dump or shutil.which("pg_dump")
    if not program:
        raise BackupError(
            "pg_dump was not found on the PATH. Install the PostgreSQL client tools "
            "(for example `apt install postgresql-client`) in the same major version as the "
            "server, or put pg_dump on the PATH"
        )
    libpq_url, environment = libpq_connection(url)
    command = [program, "--format=custom", "--no-owner", f"--dbname={libpq_url}"]
    # Its messages go to a file, so that a full pipe of them cannot stall the dump.
    with tempfile.TemporaryFile() as messages:
        try:
            process = subprocess.Popen(command, stdout=subprocess.PIPE,  # noqa: S603
                                       stderr=messages, env=environment)
        except OSError as error:
            raise BackupError(f"Could not run pg_dump: {error}") from None
        try:
            write_encrypted(_chunks(process.stdout), target, "postgresql", keys)
            returncode = process.wait(timeout=3600)
        except BaseException:
            process.kill()
            process.wait()
            target.unlink(missing_ok=True)
            raise
        messages.seek(0)
        stderr = messages.read().decode(errors="replace")
    if returncode != 0:
        target.unlink(missing_ok=True)
        # pg_dump's message names the problem (refused connection, wrong password...).
        raise BackupError(f"pg_dump failed: {stderr.strip()}")
    return target


def backup_database(database_url: str, target: Path | None = None, *, keys: MultiFernet,
                    folder: Path | None = None) -> Path:
    """Write an encrypted backup of the database to target (or a dated file in folder)."""
    url = make_url(database_url)
    if target is None:
        folder = folder or Path.cwd()
        folder.mkdir(parents=True, exist_ok=True)
        target = default_path(folder, url)
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} already exists; choose another file")
    target.parent.mkdir(parents=True, exist_ok=True)
    backend = url.get_backend_name()
    if backend == "sqlite":
        path = backup_sqlite(url, target, keys)
    elif backend == "postgresql":
        path = backup_postgresql(url, target, keys)
    else:
        raise BackupError(f"Backing up {backend} databases is not supported")
    logger.info("database backed up to %s (%d bytes)", path, path.stat().st_size)
    return path
