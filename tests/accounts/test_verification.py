"""Confirming an email address with a signed link."""

import re

from flask_login import AnonymousUserMixin

from grants.accounts.operations.tokens import make_verification_token
from grants.auth.permissions import may_submit_applications
from tests.fixtures.auth import post_form
from tests.fixtures.factories import account_settings


def verify_path(user) -> str:
    token = make_verification_token(account_settings().secret_key, user.id, user.email)
    return f"/account/verify/{token}"


def test_opening_the_link_asks_to_confirm_and_changes_nothing(client, user_factory,
                                                              audit_actions):
    """A mail scanner following the link confirms no one's address."""
    user = user_factory(email="jo@example.org", email_verified_at=None)

    response = client.get(verify_path(user))

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Confirm that jo@example.org is your email address." in html
    assert "Confirm email address" in html
    assert not user.email_verified
    assert audit_actions(user.id) == []


def test_a_good_link_confirms_the_email_address(client, user_factory, audit_actions):
    user = user_factory(email_verified_at=None)

    response = post_form(client, verify_path(user))

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Email address confirmed" in html
    assert html.count("<h1") == 1
    assert user.email_verified
    assert audit_actions(user.id) == ["user.email_verified"]


def test_the_link_in_the_registration_email_confirms_the_address(client, emails_to, db_session):
    post_form(client, "/register", {
        "name": "Rosalind Okafor", "email": "rosalind@example.org",
        "password": "Blue-Lantern-Orchard-47", "confirm_password": "Blue-Lantern-Orchard-47",
    })
    [message] = emails_to("rosalind@example.org")
    link = re.search(r"https?://\S+(/account/verify/\S+)", message.body_text)

    response = post_form(client, link.group(1))

    assert response.status_code == 200
    assert "Email address confirmed" in response.get_data(as_text=True)
    html = client.get("/account").get_data(as_text=True)
    assert "Send the link again" not in html


def test_the_link_works_for_someone_signed_in_as_another_user(
    sign_in_as, user_factory
):
    other = user_factory()
    user = user_factory(email_verified_at=None)
    client = sign_in_as(other)

    post_form(client, verify_path(user))

    assert user.email_verified


def test_an_expired_link_shows_a_clear_page_with_a_way_to_get_a_new_one(
    client, user_factory, move_clock
):
    user = user_factory(email_verified_at=None)
    path = verify_path(user)

    move_clock(hours=73)
    response = client.get(path)

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This link has expired" in html
    assert re.search(r'href="/sign-in\?next=(/|%2F)account"', html)
    assert not user.email_verified


def test_a_link_just_inside_its_age_limit_still_works(client, user_factory, move_clock):
    user = user_factory(email_verified_at=None)
    path = verify_path(user)

    move_clock(hours=71)
    post_form(client, path)

    assert user.email_verified


def test_an_expired_link_offers_a_signed_in_user_a_new_link(
    sign_in_as, user_factory, move_clock
):
    user = user_factory(email_verified_at=None)
    path = verify_path(user)
    move_clock(hours=73)
    client = sign_in_as(user)

    html = client.get(path).get_data(as_text=True)

    assert "This link has expired" in html
    assert 'action="/account/send-verification-link"' in html


def test_a_tampered_link_is_not_valid(client, user_factory):
    user = user_factory(email_verified_at=None)
    path = verify_path(user)
    tampered = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")

    response = client.get(tampered)

    assert response.status_code == 400
    assert "This link is not valid" in response.get_data(as_text=True)
    assert not user.email_verified


def test_a_link_for_an_address_since_changed_is_not_valid(client, user_factory, db_session):
    user = user_factory(email="old@example.org", email_verified_at=None)
    path = verify_path(user)
    user.email = "new@example.org"
    db_session.flush()

    response = client.get(path)

    assert response.status_code == 400
    assert "This link is not valid" in response.get_data(as_text=True)
    assert not user.email_verified


def test_sending_the_link_again_queues_a_new_email(sign_in_as, user_factory, emails_to):
    user = user_factory(email="late@example.org", email_verified_at=None)
    client = sign_in_as(user)

    response = post_form(client, "/account/send-verification-link", form_page="/account")

    assert response.status_code == 302
    [message] = emails_to("late@example.org")
    assert "/account/verify/" in message.body_text
    assert "We have sent a new link to late@example.org" in client.get("/account").get_data(
        as_text=True)


def test_sending_the_link_again_needs_a_signed_in_user(client):
    response = post_form(client, "/account/send-verification-link", form_page="/sign-in")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=")


def test_an_unverified_user_may_not_submit_applications(user_factory):
    assert not may_submit_applications(user_factory(email_verified_at=None))


def test_a_verified_user_may_submit_applications(user_factory):
    assert may_submit_applications(user_factory())


def test_nobody_signed_out_may_submit_applications(app):
    assert not may_submit_applications(None)
    assert not may_submit_applications(AnonymousUserMixin())
