"""The restore drill: a backup is decrypted and restored into a scratch database, whose rows
are counted, so an operator knows the backups can be used before the day they are needed."""

import logging
import secrets
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import MultiFernet
from sqlalchemy import create_engine, func, inspect, select, table, text
from sqlalchemy.engine import make_url

from grants.security.operations.backup import BackupError, libpq_connection, read_encrypted

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RestoreReport:
    kind: str  # "sqlite" or "postgresql"
    row_counts: dict[str, int]  # by table, in name order


def restore_check(path: Path, keys: MultiFernet, *, database_url: str | None = None,
                  pg_restore: str | None = None) -> RestoreReport:
    """Restore the backup at path into a scratch database and count each table's rows. A
    PostgreSQL backup is restored into a new database beside database_url's (the account needs
    CREATEDB), dropped afterwards; a SQLite one into a temporary file."""
    kind, chunks = read_encrypted(Path(path), keys)
    with tempfile.TemporaryDirectory(prefix="grants-restore-check-") as folder:
        plain = Path(folder) / "restored"
        with open(plain, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
        if kind == "sqlite":
            counts = _sqlite_counts(plain)
        elif kind == "postgresql":
            if not database_url or make_url(database_url).get_backend_name() != "postgresql":
                raise BackupError("A PostgreSQL backup is checked on a PostgreSQL server: "
                                  "set DATABASE_URL to one")
            counts = _postgresql_counts(plain, database_url, pg_restore)
        else:
            raise BackupError(f"The backup is of an unknown kind of database ({kind})")
    logger.info("restore check of %s: %d tables, %d rows", path, len(counts),
                sum(counts.values()))
    return RestoreReport(kind, counts)


def _sqlite_counts(database: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        try:
            verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise BackupError(f"The restored database does not open: {error}") from None
        if verdict != "ok":
            raise BackupError(f"The restored database is damaged: {verdict}")
        names = [name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name")]
        return {name: conn.execute(
                    'SELECT count(*) FROM "{}"'.format(name.replace('"', '""'))).fetchone()[0]
                for name in names}
    finally:
        conn.close()


def _postgresql_counts(dump: Path, database_url: str, pg_restore: str | None) -> dict[str, int]:
    program = pg_restore or shutil.which("pg_restore")
    if not program:
        raise BackupError("pg_restore was not found on the PATH. Install the PostgreSQL client "
                          "tools in the same major version as the server")
    given = make_url(database_url)
    scratch = given.set(database=f"{given.database}_restore_check_{secrets.token_hex(4)}")
    admin = create_engine(given, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{scratch.database}"'))
        try:
            libpq_url, environment = libpq_connection(scratch)
            result = subprocess.run(  # noqa: S603
                [program, "--no-owner", "--exit-on-error", f"--dbname={libpq_url}", str(dump)],
                capture_output=True, text=True, check=False, timeout=3600, env=environment)
            if result.returncode != 0:
                raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
            engine = create_engine(scratch)
            try:
                with engine.connect() as conn:
                    names = sorted(inspect(conn).get_table_names())
                    return {name: conn.scalar(select(func.count()).select_from(table(name)))
                            for name in names}
            finally:
                engine.dispose()
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch.database}" WITH (FORCE)'))
    finally:
        admin.dispose()
