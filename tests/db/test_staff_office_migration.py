"""5e1d0a7c3b42: every staff-side role a database holds becomes the first office's; an
applicant's role is held for no office."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from grants.demo.operations.seed import seed_demo
from grants.extensions import db
from grants.reference.operations.seed import seed_reference
from tests.db.test_migrations import _app_on, _empty_database, _revision_before
from tests.fixtures.factories import account_settings

pytestmark = pytest.mark.own_database

REVISION = "5e1d0a7c3b42"


@pytest.fixture
def fresh_app(app, tmp_path, monkeypatch):
    """An app on a new, empty database (as tests/db/test_migrations.py's)."""
    for url in _empty_database(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path):
        yield from _app_on(url, monkeypatch)


def _roles() -> list[tuple[int, str, int | None]]:
    with db.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(
            "SELECT user_id, role, office_id FROM user_role ORDER BY user_id, role"))]


def test_the_demos_staff_reviewers_and_high_sheriffs_become_the_first_offices(fresh_app):
    upgrade()
    seed_reference(db.session)
    seed_demo(db.session, account_settings(), allowed=True)
    db.session.commit()
    db.session.remove()
    before = _roles()
    downgrade(revision=_revision_before(REVISION))

    upgrade()

    with db.engine.connect() as conn:
        office_id = conn.scalar(text("SELECT id FROM office WHERE slug = 'thames-valley'"))
    after = _roles()
    assert after == before
    assert {role for _, role, _ in after} >= {"applicant", "staff", "admin", "reviewer"}
    assert all((office is None) == (role == "applicant") for _, role, office in after)
    assert {office for _, _, office in after} == {None, office_id}


def test_staff_made_before_any_office_become_the_first_offices(fresh_app):
    upgrade(revision=_revision_before(REVISION))
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO user_account (id, email, name, password_hash, is_active_account, "
            "created_at) VALUES (1, 'lead@example.org', 'Lead', 'x', true, "
            "'2026-12-01 09:00:00')"))
        conn.execute(text("INSERT INTO user_role (user_id, role) VALUES (1, 'admin')"))

    upgrade()

    with db.engine.connect() as conn:
        office_id = conn.scalar(text("SELECT id FROM office WHERE slug = 'thames-valley'"))
    assert office_id is not None
    assert _roles() == [(1, "admin", office_id)]
