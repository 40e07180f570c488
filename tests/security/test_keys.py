"""`flask keys rotate`: every encrypted value moves to the newest key, and values under an
older key still read until then."""

from datetime import UTC, datetime

import pytest
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import text

from grants.accounts.models import User
from grants.awards.models import BankDetails
from grants.core.encryption import new_key
from grants.extensions import db
from grants.security.operations.keys import encrypted_columns
from tests.awards.paying import (  # noqa: F401  (fixtures)
    ACCOUNT_NUMBER,
    SORT_CODE,
    accepted_award_fixture,
    fixed_clock_fixture,
    give_bank_details,
    member_fixture,
    offered_award_fixture,
    organisation_fixture,
    published_round_fixture,
)
from tests.fixtures import source

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _stored(details_id: int, user_id: int) -> list[str]:
    """The tokens as the database holds them."""
    bank = db.session.execute(text(
        "SELECT account_name, sort_code, account_number FROM bank_details WHERE id = :id"),
        {"id": details_id}).one()
    totp = db.session.execute(text("SELECT totp_secret FROM user_account WHERE id = :id"),
                              {"id": user_id}).scalar_one()
    return [*bank, totp]


def _read(details_id: int, user_id: int) -> tuple:
    db.session.expire_all()
    details, user = db.session.get(BankDetails, details_id), db.session.get(User, user_id)
    return details.sort_code, details.account_number, user.totp_secret


@pytest.fixture
def use_keys(app, monkeypatch):
    def use(*keys: str) -> None:
        monkeypatch.setitem(app.config, "ENCRYPTION_KEYS", ",".join(keys))
    return use


def test_rotation_moves_every_value_to_the_newest_key_and_older_ones_read_until_then(
    use_keys, runner, user_factory, member, accepted_award
):
    old, new = new_key(), new_key()
    use_keys(old)
    user = user_factory(totp_secret=SECRET, totp_confirmed_at=datetime(2026, 1, 1, tzinfo=UTC))
    details = give_bank_details(accepted_award, member)
    under_old = _stored(details.id, user.id)

    use_keys(new, old)
    assert _read(details.id, user.id) == (SORT_CODE, ACCOUNT_NUMBER, SECRET)
    result = runner.invoke(args=["keys", "rotate"])

    assert result.exit_code == 0, result.output
    for name in ("bank_details.account_name", "bank_details.sort_code",
                 "bank_details.account_number", "user_account.totp_secret"):
        assert f"{name}: " in result.output
    under_new = _stored(details.id, user.id)
    for before, after in zip(under_old, under_new, strict=True):
        assert before != after
        with pytest.raises(InvalidToken):
            Fernet(old.encode()).decrypt(after.encode())
        assert Fernet(new.encode()).decrypt(after.encode()) == \
            Fernet(old.encode()).decrypt(before.encode())
    use_keys(new)
    assert _read(details.id, user.id) == (SORT_CODE, ACCOUNT_NUMBER, SECRET)


def test_without_the_old_key_values_under_it_cannot_be_read(use_keys, user_factory):
    old = new_key()
    use_keys(old)
    user = user_factory(totp_secret=SECRET, totp_confirmed_at=datetime(2026, 1, 1, tzinfo=UTC))

    use_keys(new_key())
    db.session.expire_all()
    with pytest.raises(InvalidToken):
        db.session.get(User, user.id).totp_secret  # noqa: B018


def test_every_secret_column_is_encrypted():
    assert {f"{column.table.name}.{column.name}" for column in encrypted_columns(db.metadata)} \
        >= {"bank_details.account_name", "bank_details.sort_code", "bank_details.account_number",
            "user_account.totp_secret"}


def test_the_new_key_command_prints_a_key_that_can_be_used(runner, use_keys, user_factory):
    result = runner.invoke(args=["keys", "new"])

    key = result.output.strip()
    assert Fernet(key.encode())
    use_keys(key)
    user = user_factory(totp_secret=SECRET)
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret == SECRET


def test_only_the_encryption_module_reads_the_keys_or_makes_a_fernet():
    """One place decides which keys encrypt: everything else asks it for the key ring."""
    found = [module.relative for module in source.modules()
             if module.path.name != "encryption.py"
             and ("Fernet(" in module.text or '"ENCRYPTION_KEYS"' in module.text)]

    assert found == ["__init__.py"]  # which copies the variable from the environment
