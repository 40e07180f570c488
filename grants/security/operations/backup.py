"""Consistent backups: SQLite's online backup API, or pg_dump for PostgreSQL."""

import logging
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from grants.core import clock

logger = logging.getLogger(__name__)


class BackupError(Exception):
    """The backup could not be made; the message says why, for the operator."""


def default_path(folder: Path, url: URL) -> Path:
    stamp = clock.utcnow().strftime("%Y%m%dT%H%M%SZ")
    suffix = "sqlite" if url.get_backend_name() == "sqlite" else "dump"
    return folder / f"grants-{stamp}.{suffix}"


def backup_sqlite(url: URL, target: Path) -> Path:
    """Copy the database page by page while it is in use: the copy is one consistent moment."""
    database = url.database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up")
    if not Path(database).exists():
        raise BackupError(f"There is no SQLite database at {database}")
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        destination = sqlite3.connect(target)
        try:
            with destination:
                source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    return target


def backup_postgresql(url: URL, target: Path, *, pg_dump: str | None = None) -> Path:
    """pg_dump in its custom format (one transaction, so consistent), for pg_restore."""
    program = pg_dump or shutil.which("pg_dump")
    if not program:
        raise BackupError(
            "pg_dump was not found on the PATH. Install the PostgreSQL client tools "
            "(for example `apt install postgresql-client`) in the same major version as the "
            "server, or put pg_dump on the PATH"
        )
    # The password goes in the environment, not the command line that `ps` shows.
    libpq_url = url.set(drivername="postgresql", password=None).render_as_string(
        hide_password=False)
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    command = [program, "--format=custom", "--no-owner", f"--file={target}",
               f"--dbname={libpq_url}"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False,  # noqa: S603
                                timeout=3600, env=environment)
    except OSError as error:
        raise BackupError(f"Could not run pg_dump: {error}") from None
    if result.returncode != 0:
        target.unlink(missing_ok=True)
        # pg_dump's message names the problem (refused connection, wrong password...).
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return target


def backup_database(database_url: str, target: Path | None = None, *,
                    folder: Path | None = None) -> Path:
    """Write a backup of the database to target (or a dated file in folder); its path."""
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
        path = backup_sqlite(url, target)
    elif backend == "postgresql":
        path = backup_postgresql(url, target)
    else:
        raise BackupError(f"Backing up {backend} databases is not supported")
    logger.info("database backed up to %s (%d bytes)", path, path.stat().st_size)
    return path
