"""seed-demo's command and its refusals, each from an empty database."""

import pytest

from grants.core.errors import Refusal
from grants.demo.operations.seed import seed_demo
from grants.reference.operations.seed import seed_reference
from tests.fixtures.factories import account_settings


def test_seed_demo_refuses_where_demo_data_is_not_allowed(db_session):
    seed_reference(db_session)

    with pytest.raises(Refusal, match="not allowed"):
        seed_demo(db_session, account_settings(), allowed=False)


def test_seed_demo_asks_for_reference_data_first(db_session):
    with pytest.raises(Refusal, match="seed-reference"):
        seed_demo(db_session, account_settings(), allowed=True)


def test_seed_demo_command_prints_the_demo_sign_ins(runner):
    runner.invoke(args=["seed-reference"])
    result = runner.invoke(args=["seed-demo"])

    assert result.exit_code == 0, result.output
    assert "staff@example.org" in result.output
    assert "Staff-Meadow-Compass-52" in result.output
    # One column each for emails, passwords and roles, however long the longest email.
    rows = [line for line in result.output.splitlines() if "@example.org" in line]
    assert len({row.index(row.split()[1]) for row in rows}) == 1, rows


def test_seed_demo_command_refuses_in_production(app, runner, monkeypatch):
    monkeypatch.setitem(app.config, "DEMO_DATA_ALLOWED", False)
    runner.invoke(args=["seed-reference"])
    result = runner.invoke(args=["seed-demo"])

    assert result.exit_code != 0
    assert "not allowed" in result.output
