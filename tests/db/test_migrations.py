"""The migrations build exactly the schema the models describe, and undo cleanly."""

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from config import TestingConfig
from grants import create_app
from grants.db import is_own_table
from grants.extensions import db

pytestmark = pytest.mark.own_database


def _empty_database(url_of_suite: str, folder: Path):
    """A new, empty database of the same kind as the suite's (a generator: dropped after)."""
    url = make_url(url_of_suite)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{folder / 'migrations.sqlite'}"
        return
    name = f"{url.database}_migrations_{folder.name}"[:63]
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _app_on(database_url: str, patch: pytest.MonkeyPatch):
    patch.setenv("DATABASE_URL", database_url)
    app = create_app(TestingConfig)
    with app.app_context():
        yield app
        db.engine.dispose()


@pytest.fixture
def fresh_app(app, tmp_path, monkeypatch):
    """An app on a new, empty database, for a test that walks the migrations its own way."""
    for url in _empty_database(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path):
        yield from _app_on(url, monkeypatch)


@pytest.fixture(scope="module")
def upgraded_app(app, tmp_path_factory):
    """An app on a new database upgraded once to the newest revision, for the tests that only
    read what the migrations built."""
    folder = tmp_path_factory.mktemp("upgraded")
    with pytest.MonkeyPatch.context() as patch:
        for url in _empty_database(app.config["SQLALCHEMY_DATABASE_URI"], folder):
            for upgraded in _app_on(url, patch):
                upgrade()
                yield upgraded


def schema_differences():
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                         "include_name": is_own_table})
        return compare_metadata(context, db.metadata)


def test_upgrading_an_empty_database_gives_exactly_the_models_schema(upgraded_app):
    assert schema_differences() == []


def test_flask_db_check_finds_nothing_to_migrate(upgraded_app):
    result = upgraded_app.test_cli_runner().invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output


def test_downgrading_to_base_then_upgrading_again_works(fresh_app):
    upgrade()
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()
    assert schema_differences() == []


def test_the_job_queue_is_built_on_postgresql_and_left_out_of_the_models_comparison(
        upgraded_app):
    tables = set(inspect(db.engine).get_table_names())
    if db.engine.dialect.name == "postgresql":
        assert {"procrastinate_jobs", "procrastinate_periodic_defers"} <= tables
    else:  # SQLite has no worker
        assert not any(name.startswith("procrastinate") for name in tables)
    assert schema_differences() == []


def test_the_job_queue_schema_we_keep_is_the_installed_procrastinates():
    """A procrastinate release that changes its schema needs a migration of ours applying its
    new files from procrastinate/sql/migrations/ (then keep its schema.sql here)."""
    from procrastinate.schema import SchemaManager

    kept = (Path(__file__).resolve().parents[2] / "migrations" / "procrastinate"
            / "schema-3.10.0.sql")

    assert kept.read_text(encoding="utf-8") == SchemaManager.get_schema()


def _revision_before(revision: str) -> str:
    """The revision a migration follows, wherever merging branches put it."""
    config = current_app.extensions["migrate"].migrate.get_config()
    return ScriptDirectory.from_config(config).get_revision(revision).down_revision


def test_nomination_rounds_made_before_get_the_types_their_fund_may_award(fresh_app):
    """a7c3e91d5b20: a nomination round with no types gets its fund's default (councils left
    out of the Police Property Act Fund's); one with types, and open rounds, keep theirs."""
    upgrade(revision=_revision_before("a7c3e91d5b20"))
    round_columns = ("id, fund_id, code, title, kind, opens_at, closes_at, financial_year, "
                     "budget_pence, guidance, disagreement_threshold, monitoring, created_at")
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO fund (id, code, name, description, eligible_recipients, "
                          "legal_basis) VALUES (1, 'PPAF', 'PPAF', '', '', ''), "
                          "(2, 'CSF', 'CSF', '', '', '')"))
        for round_id, fund_id, kind in ((1, 1, "nomination"), (2, 2, "nomination"),
                                        (3, 1, "nomination"), (4, 1, "open")):
            conn.execute(text(
                f"INSERT INTO funding_round ({round_columns}) VALUES (:id, :fund, :code, 'R', "
                ":kind, '2026-04-01 09:00:00+00', '2026-05-01 12:00:00+00', '2026/27', 100, "
                "'', 25, 'end_of_grant', '2026-03-01 09:00:00+00')"),
                {"id": round_id, "fund": fund_id, "code": f"R-{round_id}", "kind": kind})
        conn.execute(text("INSERT INTO round_organisation_type (round_id, organisation_type) "
                          "VALUES (3, 'school')"))

    upgrade()

    with db.engine.connect() as conn:
        types = {round_id: set() for round_id in (1, 2, 3, 4)}
        for round_id, kind in conn.execute(text(
                "SELECT round_id, organisation_type FROM round_organisation_type")):
            types[round_id].add(kind)
        funds = dict(conn.execute(text("SELECT code, for_councils FROM fund")).all())
    councils = {"local_authority", "community_safety_partnership"}
    assert len(types[1]) == 8 and not types[1] & councils
    assert len(types[2]) == 10 and councils <= types[2]
    assert types[3] == {"school"} and types[4] == set()
    assert {code: bool(value) for code, value in funds.items()} == {"PPAF": False, "CSF": True}
