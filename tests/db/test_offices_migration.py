"""bec3ba9e98a3: a database of one office's data (the demo's) becomes Thames Valley's, the first
office, with nothing lost."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from grants.demo.operations.seed import seed_demo
from grants.extensions import db
from grants.reference.operations.seed import seed_reference
from tests.db.test_migrations import _app_on, _empty_database, _revision_before
from tests.fixtures.factories import account_settings

pytestmark = pytest.mark.own_database

OWNED = ("fund", "plan", "county", "local_authority", "community_safety_partnership")
# What hangs under them, which the migration must leave as it was.
BENEATH = ("funding_round", "priority", "key_aim", "csp_local_authority", "organisation",
           "application", "award", "user_account")


@pytest.fixture
def fresh_app(app, tmp_path, monkeypatch):
    """An app on a new, empty database (as tests/db/test_migrations.py's)."""
    for url in _empty_database(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path):
        yield from _app_on(url, monkeypatch)


def _counts() -> dict[str, int]:
    with db.engine.connect() as conn:
        return {table: conn.scalar(text(f'SELECT count(*) FROM "{table}"'))  # noqa: S608
                for table in OWNED + BENEATH}


def _demo_at_the_revision_before_offices() -> dict[str, int]:
    """The demo, seeded by today's code, then the database taken back to the revision before
    offices: what a database of the service had the day offices came."""
    upgrade()
    seed_reference(db.session)
    seed_demo(db.session, account_settings(), allowed=True)
    db.session.commit()
    db.session.remove()
    before = _counts()
    downgrade(revision=_revision_before("bec3ba9e98a3"))
    with db.engine.connect() as conn:
        assert "office" not in {name for (name,) in conn.execute(text(
            "SELECT table_name FROM information_schema.tables" if conn.dialect.name ==
            "postgresql" else "SELECT name FROM sqlite_master WHERE type = 'table'"))}
    return before


def test_a_database_with_the_demo_becomes_thames_valleys_with_nothing_lost(fresh_app,
                                                                           monkeypatch):
    for name in ("FUNDER_NAME", "FUNDER_ORG_ID", "GRANT_ID_PREFIX", "CONTACT_EMAIL"):
        monkeypatch.delenv(name, raising=False)
    before = _demo_at_the_revision_before_offices()

    upgrade()

    assert _counts() == before
    with db.engine.connect() as conn:
        offices = conn.execute(text(
            "SELECT id, slug, short_name, funder_org_id, grant_id_prefix, funder_name, "
            "contact_email, financial_year_start_month, financial_year_start_day "
            "FROM office")).all()
        assert len(offices) == 1
        office_id, *details = offices[0]
        assert details == [
            "thames-valley", "Thames Valley", "GB-GOR-PC000117", "360G-tvopcc",
            "Office of the Police and Crime Commissioner for Thames Valley",
            "grants@thamesvalley.pcc.police.uk", 4, 1]
        for table in OWNED:
            owners = conn.execute(text(
                f'SELECT DISTINCT office_id FROM "{table}"')).scalars().all()  # noqa: S608
            assert owners == [office_id], table


def test_a_deployments_own_settings_make_its_first_office(fresh_app, monkeypatch):
    """The migration reads the settings as config.py did: a deployment that set them keeps
    them."""
    _demo_at_the_revision_before_offices()
    monkeypatch.setenv("FUNDER_ORG_ID", "GB-GOR-PC000999")
    monkeypatch.setenv("CONTACT_EMAIL", "grants@example.org")

    upgrade()

    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT funder_org_id, contact_email FROM office")).one() == (
            "GB-GOR-PC000999", "grants@example.org")


def test_an_empty_database_gets_no_office(fresh_app):
    upgrade()

    with db.engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM office")) == 0
