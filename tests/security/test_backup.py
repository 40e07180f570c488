"""`flask backup`: a consistent copy of the database that can be restored."""

import shutil
import sqlite3
import subprocess

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from grants.extensions import db
from grants.security.operations import backup
from grants.security.operations.backup import BackupError, backup_database


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
    with sqlite3.connect(target) as restored:
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

    with sqlite3.connect(tmp_path / "copy.sqlite") as restored:
        assert restored.execute("SELECT count(*) FROM grant_row").fetchone() == (250,)


def test_a_backup_without_a_file_name_is_dated_in_the_folder(sqlite_database, tmp_path):
    path = backup_database(f"sqlite:///{sqlite_database}", folder=tmp_path / "backups")

    assert path.parent == tmp_path / "backups"
    assert path.name.startswith("grants-") and path.suffix == ".sqlite"


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


def test_the_backup_command_writes_the_configured_database(runner, app, tmp_path):
    target = tmp_path / "grants.backup"

    result = runner.invoke(args=["backup", "-o", str(target)])

    assert result.exit_code == 0, result.output
    assert f"Backup written to {target}" in result.output
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        with sqlite3.connect(target) as restored:
            assert restored.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
    else:
        listing = subprocess.run(["pg_restore", "--list", str(target)], capture_output=True,
                                 text=True, check=True).stdout
        assert "TABLE public audit_event" in listing


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

    script = subprocess.run(["pg_restore", "--data-only", "--table=user_account", "-f", "-",
                             str(target)], capture_output=True, text=True, check=True).stdout
    assert "restore-me@example.org" in script
