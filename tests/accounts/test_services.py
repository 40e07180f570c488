"""The account operations called directly, for the rules no page reaches easily."""

import pytest

from grants.accounts.models import Role
from grants.accounts.operations import registration, signing_in, users
from grants.core.errors import Refusal
from tests.fixtures.factories import TEST_PASSWORD, account_settings


def test_an_unknown_email_is_checked_against_a_dummy_hash_so_timing_tells_nothing(
    app, monkeypatch, db_session
):
    checked = []
    monkeypatch.setattr(signing_in, "verify_dummy_password",
                        lambda password, settings: checked.append(password))

    with pytest.raises(Refusal) as refusal:
        signing_in.check_credentials(db_session, account_settings(), email="nobody@example.org",
                                password="Anything-9")

    assert checked == ["Anything-9"]
    assert refusal.value.message == signing_in.SIGN_IN_REFUSED
    assert refusal.value.field == "email"


def test_registering_when_another_request_takes_the_email_first_tells_the_owner(
    app, monkeypatch, db_session, user_factory, emails_to
):
    owner = user_factory(email="race@example.org")
    real_find = users.find_user_by_email
    calls = []

    def find_missing_first_time(session, email):
        calls.append(email)
        return None if len(calls) == 1 else real_find(session, email)

    monkeypatch.setattr(users, "find_user_by_email", find_missing_first_time)

    registered = registration.register_applicant(
        db_session, account_settings(), name="Second Person", email="race@example.org",
        password=TEST_PASSWORD,
    )

    assert not registered.created
    assert registered.user is owner
    assert [m.subject for m in emails_to("race@example.org")] == [
        "Someone tried to register with your email address"
    ]


def test_a_term_year_for_someone_who_is_not_a_high_sheriff_is_refused(app, db_session):
    with pytest.raises(Refusal) as refusal:
        users.create_user(db_session, account_settings(), email="a@example.org", name="A Person",
                          roles=[Role.STAFF], password=TEST_PASSWORD, term_year=2026)

    assert refusal.value.field == "term_year"


def test_a_high_sheriffs_term_year_must_be_plausible(app, db_session, county_factory):
    county_factory(name="Berkshire")

    with pytest.raises(Refusal) as refusal:
        users.create_user(db_session, account_settings(), email="a@example.org", name="A Person",
                          roles=["high_sheriff"], password=TEST_PASSWORD,
                          county_name="Berkshire", term_year=26)

    assert refusal.value.field == "term_year"


def test_a_user_needs_at_least_one_role(app, db_session):
    with pytest.raises(Refusal) as refusal:
        users.create_user(db_session, account_settings(), email="a@example.org", name="A Person",
                          roles=[], password=TEST_PASSWORD)

    assert refusal.value.field == "role"


def test_a_badly_formed_email_is_refused_by_create_user(app, db_session):
    with pytest.raises(Refusal) as refusal:
        users.create_user(db_session, account_settings(), email="not-an-email", name="A Person",
                          roles=[Role.STAFF], password=TEST_PASSWORD)

    assert refusal.value.field == "email"


def test_a_user_created_unverified_has_no_confirmed_email(app, db_session, office_factory):
    office_factory()
    user = users.create_user(db_session, account_settings(), email="a@example.org",
                             name="A Person", roles=[Role.REVIEWER], password=TEST_PASSWORD,
                             verified=False)

    assert not user.email_verified
