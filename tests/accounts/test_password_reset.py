"""Forgotten passwords: asking for a link, and setting a new password with it once."""

import re

import pytest

from grants.accounts.models import User
from grants.accounts.operations.tokens import make_password_reset_token
from tests.fixtures.auth import csrf_token_for, post_form, sign_in
from tests.fixtures.factories import TEST_PASSWORD, account_settings

NEW_PASSWORD = "Copper-Heron-Meadow-93"
LINK = re.compile(r"http://[^\s]+/reset-password/[^\s]+")


def _ask_for_link(client, email: str):
    return post_form(client, "/forgotten-password", {"email": email})


def _link_in(message) -> str:
    match = LINK.search(message.body_text)
    assert match, message.body_text
    return "/" + match.group(0).split("/", 3)[3]


def _comparable(html: str, email: str) -> str:
    """The page without what differs on every response (nonces) or by what was typed."""
    return re.sub(r'nonce="[^"]*"', "", html).replace(email, "EMAIL")


def _reset(client, path: str, password: str = NEW_PASSWORD, confirm: str | None = None):
    return post_form(client, path, {"new_password": password,
                                    "confirm_password": confirm or password})


def test_the_sign_in_page_links_to_the_forgotten_password_page(client):
    html = client.get("/sign-in").get_data(as_text=True)

    assert 'href="/forgotten-password">Forgotten your password?</a>' in html
    assert client.get("/forgotten-password").status_code == 200


def test_a_registered_email_gets_a_link_and_the_same_page_as_any_other(
    client, new_client, user_factory, emails_to, audit_actions
):
    user = user_factory(email="person@example.org")

    known = _ask_for_link(client, "Person@Example.org")
    other = new_client()
    unknown = _ask_for_link(other, "nobody@example.org")

    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    known_page = client.get(known.headers["Location"]).get_data(as_text=True)
    unknown_page = other.get(unknown.headers["Location"]).get_data(as_text=True)
    assert _comparable(known_page, "person@example.org") == _comparable(unknown_page,
                                                                        "nobody@example.org")
    [message] = emails_to("person@example.org")
    assert message.subject == "Reset your password"
    assert "works once, for 60 minutes" in message.body_text
    assert emails_to("nobody@example.org") == []
    assert audit_actions(user.id) == ["user.password_reset_requested"]


def test_an_inactive_account_gets_no_link(client, user_factory, emails_to):
    user_factory(email="gone@example.org", is_active_account=False)

    response = _ask_for_link(client, "gone@example.org")

    assert response.status_code == 302
    assert emails_to("gone@example.org") == []


def test_a_badly_formed_email_is_refused_on_its_field(client):
    response = _ask_for_link(client, "not-an-email")

    assert response.status_code == 200
    assert "Enter an email address in the correct format" in response.get_data(as_text=True)


def test_the_link_sets_a_new_password_ends_sessions_and_is_audited(
    client, new_client, sign_in_as, user_factory, emails_to, audit_actions
):
    user = user_factory(email="person@example.org")
    elsewhere = sign_in_as(user, on=new_client())
    _ask_for_link(client, "person@example.org")
    path = _link_in(emails_to("person@example.org")[0])

    assert client.get(path).status_code == 200
    response = _reset(client, path)

    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    assert "Your password has been reset" in client.get("/sign-in").get_data(as_text=True)
    assert elsewhere.get("/account").status_code == 302
    assert sign_in(new_client(), "person@example.org", TEST_PASSWORD).status_code == 200
    assert sign_in(new_client(), "person@example.org", NEW_PASSWORD).status_code == 302
    assert "user.password_reset" in audit_actions(user.id)
    assert emails_to("person@example.org")[-1].subject == "Your password has been changed"


def test_a_used_link_is_refused_with_a_clear_page(client, user_factory, emails_to):
    user_factory(email="person@example.org")
    _ask_for_link(client, "person@example.org")
    path = _link_in(emails_to("person@example.org")[0])
    _reset(client, path)

    response = client.get(path)

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "This link cannot be used" in html
    assert 'href="/forgotten-password">Ask for a new link</a>' in html


def test_a_link_made_before_another_password_change_is_refused(app, client, user_factory,
                                                               db_session):
    user = user_factory(email="person@example.org")
    with app.test_request_context():
        token = make_password_reset_token(account_settings().secret_key, user.id,
                                          user.password_hash)
        path = f"/reset-password/{token}"
    user.password_hash = "changed-elsewhere"
    db_session.commit()

    assert client.get(path).status_code == 400


def test_an_expired_link_is_refused_and_says_so(client, user_factory, emails_to, move_clock):
    user_factory(email="person@example.org")
    _ask_for_link(client, "person@example.org")
    path = _link_in(emails_to("person@example.org")[0])

    move_clock(minutes=61)
    response = client.get(path)

    assert response.status_code == 400
    assert "This link has expired" in response.get_data(as_text=True)


def test_an_expired_link_cannot_be_posted_either(client, user_factory, emails_to, move_clock,
                                                 db_session):
    user = user_factory(email="person@example.org")
    old_hash = user.password_hash
    _ask_for_link(client, "person@example.org")
    path = _link_in(emails_to("person@example.org")[0])
    token = csrf_token_for(client, path)

    move_clock(minutes=61)
    response = client.post(path, data={"csrf_token": token, "new_password": NEW_PASSWORD,
                                       "confirm_password": NEW_PASSWORD})

    assert response.status_code == 400
    db_session.expire_all()
    assert db_session.get(User, user.id).password_hash == old_hash


@pytest.mark.parametrize("tamper", [
    lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
    lambda token: "x" + token,
    lambda token: "not-a-token",
])
def test_a_tampered_link_is_refused(app, client, user_factory, tamper):
    user = user_factory()
    with app.test_request_context():
        token = make_password_reset_token(account_settings().secret_key, user.id,
                                          user.password_hash)

    response = client.get(f"/reset-password/{tamper(token)}")

    assert response.status_code == 400
    assert "This link cannot be used" in response.get_data(as_text=True)


def test_an_email_verification_link_is_not_a_reset_link(app, client, user_factory):
    from grants.accounts.operations.tokens import make_verification_token
    user = user_factory()
    with app.test_request_context():
        token = make_verification_token(account_settings().secret_key, user.id, user.email)

    assert client.get(f"/reset-password/{token}").status_code == 400


@pytest.mark.parametrize(("password", "message"), [
    ("short", "Password must be 10 characters or more"),
    ("password123", "Password is too easy to guess"),
])
def test_the_new_password_follows_the_registration_rules(client, user_factory, emails_to,
                                                         password, message):
    user_factory(email="person@example.org")
    _ask_for_link(client, "person@example.org")
    path = _link_in(emails_to("person@example.org")[0])

    response = _reset(client, path, password)

    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert client.get(path).status_code == 200  # still usable after a refused password


def test_mismatched_new_passwords_are_refused(client, user_factory, emails_to):
    user_factory(email="person@example.org")
    _ask_for_link(client, "person@example.org")
    path = _link_in(emails_to("person@example.org")[0])

    response = _reset(client, path, NEW_PASSWORD, "Something-Else-Entirely-5")

    assert response.status_code == 200
    assert "The passwords do not match" in response.get_data(as_text=True)


def test_resetting_confirms_an_unconfirmed_email(client, user_factory, emails_to, db_session):
    user = user_factory(email="person@example.org", email_verified_at=None)
    _ask_for_link(client, "person@example.org")
    _reset(client, _link_in(emails_to("person@example.org")[0]))

    db_session.expire_all()
    assert db_session.get(User, user.id).email_verified_at is not None
