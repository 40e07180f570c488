"""Registrations and requests for a new confirmation link each send an email, so each is
limited per address typed (or account) and per client address."""

from sqlalchemy import func, select

from grants.records.models import OutboxMessage
from tests.accounts.test_registration import register
from tests.fixtures.auth import post_form


def test_registrations_for_one_email_are_limited(client, new_client, rate_limits):
    rate_limits(REGISTRATION_LIMIT_PER_ACCOUNT="2 per hour")
    for _ in range(2):
        assert register(new_client(), email="victim@example.org").status_code == 302
    assert register(new_client(), email="VICTIM@example.org ").status_code == 429
    assert register(new_client(), email="someone.else@example.org").status_code == 302


def test_registrations_from_one_address_are_limited(client, rate_limits):
    rate_limits(REGISTRATION_LIMIT_PER_ADDRESS="2 per hour")
    for number in range(2):
        register(client, email=f"p{number}@example.org")
    assert register(client, email="p9@example.org").status_code == 429


def test_new_confirmation_links_are_limited_per_account(user_factory, sign_in_as, rate_limits,
                                                        db_session):
    rate_limits(CONFIRMATION_EMAIL_LIMIT_PER_ACCOUNT="2 per hour")
    client = sign_in_as(user_factory(email="late@example.org", email_verified_at=None))
    for _ in range(2):
        assert post_form(client, "/account/send-verification-link",
                         form_page="/account").status_code == 302
    assert post_form(client, "/account/send-verification-link",
                     form_page="/account").status_code == 429
    assert db_session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.to_address == "late@example.org")) == 2
