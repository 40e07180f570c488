"""`flask backup`: a consistent, encrypted copy of the database that can be restored, and
`flask backup restore-check` that proves it."""

import shutil
import sqlite3
import subprocess

import pytest
from sqlalchemy import text

from grants.core.encryption import key_ring_for, new_key
from grants.extensions import db
from grants.security.operations import backup
from grants.security.operations.backup import BackupError, read_encrypted
from grants.security.operations.restore_check import restore_check

KEYS = key_ring_for({"ENCRYPTION_KEYS": new_key()})


def backup_database(*args, **kwargs):
    return backup.backup_database(*args, keys=KEYS, **kwargs)


def decrypted(path, tmp_path, name="restored"):
    """The backup at path, decrypted into a file beside it."""
    kind, chunks = read_encrypted(path, KEYS)
    target = tmp_path / f"{name}.{kind}"
    target.write_bytes(b"".join(chunks))
    return target


@pytest.fixture
def sqlite_database(tmp_path):
    path = tmp_path / "live.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE grant_row (id INTEGER PRIMARY KEY, amount_pence INTEGER)")
        conn.executemany("INSERT INTO grant_row (amount_pence) VALUES (?)",
                         [(n * 100,) for n in range(250)])
    return path


def test_a_sqlite_backup_opens_with_every_row(sqlite_database, tmp_path):
    target = tmp_path / "copy.sqlite"

    path = backup_database(f"sqlite:///{sqlite_database}", target)

    assert path == target
    with sqlite3.connect(decrypted(target, tmp_path)) as restored:
        assert restored.execute("SELECT count(*), sum(amount_pence) FROM grant_row").fetchone() \
            == (250, sum(n * 100 for n in range(250)))
        assert restored.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_sqlite_backup_is_consistent_while_another_connection_holds_a_write(
    sqlite_database, tmp_path
):
    writer = sqlite3.connect(sqlite_database)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO grant_row (amount_pence) VALUES (1)")
    try:
        backup_database(f"sqlite:///{sqlite_database}", tmp_path / "copy.sqlite")
    finally:
        writer.rollback()
        writer.close()

    with sqlite3.connect(decrypted(tmp_path / "copy.sqlite", tmp_path)) as restored:
        assert restored.execute("SELECT count(*) FROM grant_row").fetchone() == (250,)


def test_a_backup_without_a_file_name_is_dated_in_the_folder(sqlite_database, tmp_path):
    path = backup_database(f"sqlite:///{sqlite_database}", folder=tmp_path / "backups")

    assert path.parent == tmp_path / "backups"
    assert path.name.startswith("grants-") and path.name.endswith(".sqlite.enc")


def test_a_backup_never_overwrites_a_file(sqlite_database, tmp_path):
    target = tmp_path / "copy.sqlite"
    target.write_text("precious")

    with pytest.raises(BackupError, match="already exists"):
        backup_database(f"sqlite:///{sqlite_database}", target)
    assert target.read_text() == "precious"


def test_a_missing_sqlite_database_is_a_clear_error(tmp_path):
    with pytest.raises(BackupError, match="There is no SQLite database"):
        backup_database(f"sqlite:///{tmp_path / 'missing.sqlite'}", tmp_path / "copy.sqlite")


def test_without_pg_dump_the_error_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)

    with pytest.raises(BackupError, match="pg_dump was not found on the PATH"):
        backup_database("postgresql+psycopg://grants@db.internal/grants", tmp_path / "x.dump")


def test_a_failing_pg_dump_is_reported_without_the_password(tmp_path):
    if not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")

    with pytest.raises(BackupError, match="pg_dump failed") as error:
        backup_database("postgresql+psycopg://nobody:s3cret-pw@127.0.0.1:1/none",
                        tmp_path / "x.dump")
    assert "s3cret-pw" not in str(error.value)
    assert not (tmp_path / "x.dump").exists()


def test_the_backup_command_writes_an_encrypted_backup_that_restore_check_restores(
    runner, tmp_path
):
    target = tmp_path / "grants.backup"

    result = runner.invoke(args=["backup", "-o", str(target)])

    assert result.exit_code == 0, result.output
    assert f"Encrypted backup written to {target}" in result.output
    check = runner.invoke(args=["backup", "restore-check", str(target)])
    assert check.exit_code == 0, check.output
    assert "alembic_version: 1 row\n" in check.output
    assert "user_account: " in check.output and "bank_details: " in check.output
    assert "backup decrypts and restores" in check.output


def test_a_backup_holds_nothing_in_clear_text(sqlite_database, tmp_path):
    with sqlite3.connect(sqlite_database) as conn:
        conn.execute("CREATE TABLE person (email TEXT, sort_code TEXT)")
        conn.execute("INSERT INTO person VALUES ('secret.person@example.org', '309430')")
    target = tmp_path / "copy.sqlite"

    backup_database(f"sqlite:///{sqlite_database}", target)

    stored = target.read_bytes()
    for clear in (b"SQLite format", b"secret.person", b"309430", b"CREATE TABLE", b"grant_row"):
        assert clear not in stored
    with sqlite3.connect(decrypted(target, tmp_path)) as restored:
        assert restored.execute("SELECT sort_code FROM person").fetchone() == ("309430",)


def test_restore_check_restores_a_backup_and_counts_its_rows(sqlite_database, tmp_path):
    target = backup_database(f"sqlite:///{sqlite_database}", tmp_path / "copy.sqlite")

    report = restore_check(target, KEYS)

    assert report.kind == "sqlite"
    assert report.row_counts == {"grant_row": 250}


def test_restore_check_refuses_a_backup_under_a_key_no_longer_listed(sqlite_database,
                                                                     tmp_path):
    target = backup_database(f"sqlite:///{sqlite_database}", tmp_path / "copy.sqlite")

    with pytest.raises(BackupError, match="cannot be decrypted with ENCRYPTION_KEYS"):
        restore_check(target, key_ring_for({"ENCRYPTION_KEYS": new_key()}))


def test_restore_check_refuses_a_backup_cut_short_or_reordered(sqlite_database, tmp_path,
                                                              monkeypatch):
    monkeypatch.setattr(backup, "CHUNK_BYTES", 1024)
    target = backup_database(f"sqlite:///{sqlite_database}", tmp_path / "copy.sqlite")
    header, *tokens = target.read_bytes().splitlines(keepends=True)
    assert len(tokens) > 2

    target.write_bytes(header + b"".join(tokens[:-1]))
    with pytest.raises(BackupError, match="cut short"):
        restore_check(target, KEYS)
    target.write_bytes(header + b"".join([tokens[1], tokens[0], *tokens[2:]]))
    with pytest.raises(BackupError, match="out of order"):
        restore_check(target, KEYS)


def test_restore_check_refuses_a_file_that_is_not_a_backup(runner, tmp_path):
    other = tmp_path / "notes.txt"
    other.write_text("not a backup")

    result = runner.invoke(args=["backup", "restore-check", str(other)])

    assert result.exit_code != 0
    assert "is not an encrypted backup of this service" in result.output


def test_the_backup_command_refuses_clearly(runner, tmp_path):
    target = tmp_path / "exists.backup"
    target.write_text("x")

    result = runner.invoke(args=["backup", "-o", str(target)])

    assert result.exit_code != 0
    assert "already exists" in result.output


@pytest.mark.committing
def test_a_postgresql_backup_restores_the_committed_rows(postgresql_only, tmp_path, app):
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO user_account (email, name, password_hash, is_active_account, "
            "created_at) VALUES ('restore-me@example.org', 'Restore Me', 'x', true, now())"))
    target = tmp_path / "grants.dump"

    backup_database(app.config["SQLALCHEMY_DATABASE_URI"], target)

    assert b"restore-me@example.org" not in target.read_bytes()
    script = subprocess.run(["pg_restore", "--data-only", "--table=user_account", "-f", "-",
                             str(decrypted(target, tmp_path))], capture_output=True, text=True,
                            check=True).stdout
    assert "restore-me@example.org" in script
    report = restore_check(target, KEYS, database_url=app.config["SQLALCHEMY_DATABASE_URI"])
    assert report.kind == "postgresql"
    assert report.row_counts["user_account"] == 1


def test_the_decrypt_command_gives_the_clear_copy_to_restore(runner, app, tmp_path):
    target = tmp_path / "grants.backup"
    assert runner.invoke(args=["backup", "-o", str(target)]).exit_code == 0
    clear = tmp_path / "clear"

    result = runner.invoke(args=["backup", "decrypt", str(target), "-o", str(clear)])

    assert result.exit_code == 0, result.output
    assert f"decrypted to {clear}" in result.output
    assert clear.stat().st_mode & 0o077 == 0
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with sqlite3.connect(clear) as restored:
            assert restored.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
    else:
        listing = subprocess.run(["pg_restore", "--list", str(clear)], capture_output=True,
                                 text=True, check=True).stdout
        assert "TABLE public audit_event" in listing
