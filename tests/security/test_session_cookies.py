"""The session cookie's flags, CSRF protection and a fresh session on signing in."""

from http.cookies import SimpleCookie

import pytest

from config import ProductionConfig, TestingConfig
from tests.fixtures.auth import csrf_token_for, sign_in


def _session_cookie_attributes(response) -> str:
    cookies = [value for value in response.headers.getlist("Set-Cookie")
               if value.startswith("session=")]
    assert cookies, "no session cookie was set"
    return cookies[-1].lower()


def test_the_session_cookie_is_http_only_and_same_site_lax(client, user_factory):
    user_factory(email="person@example.org")

    response = sign_in(client, "person@example.org")

    attributes = _session_cookie_attributes(response)
    assert "; httponly" in attributes
    assert "; samesite=lax" in attributes


def test_production_sends_the_session_cookie_only_over_https(app, client, user_factory,
                                                             monkeypatch):
    # The production class's settings, applied to the test app: a second app would reconfigure
    # the shared extensions (Talisman) for every later test.
    for name in ("SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE"):
        monkeypatch.setitem(app.config, name, getattr(ProductionConfig, name))
    user_factory(email="person@example.org")

    response = sign_in(client, "person@example.org")

    attributes = _session_cookie_attributes(response)
    assert "; secure" in attributes
    assert "; httponly" in attributes
    assert "; samesite=lax" in attributes
    assert ProductionConfig.REMEMBER_COOKIE_SECURE is True
    assert ProductionConfig.REQUIRE_TOTP_FOR_STAFF is True


def test_tests_run_with_csrf_protection_on(app):
    assert getattr(TestingConfig, "WTF_CSRF_ENABLED", True) is True
    assert app.config.get("WTF_CSRF_ENABLED", True) is True


@pytest.mark.parametrize("path", ["/sign-in", "/register", "/forgotten-password"])
def test_the_sign_in_forms_refuse_a_post_without_a_csrf_token(client, path):
    response = client.post(path, data={"email": "person@example.org", "password": "x"})

    assert response.status_code == 400
    assert "Your form expired or was sent from elsewhere" in response.get_data(as_text=True)


def test_a_session_planted_before_sign_in_is_not_the_one_signed_in(client, user_factory):
    user_factory(email="person@example.org")
    csrf_token_for(client, "/sign-in")
    with client.session_transaction() as planted:
        planted["planted_by_attacker"] = "value"
        before = dict(planted)

    response = sign_in(client, "person@example.org")

    with client.session_transaction() as after:
        assert "planted_by_attacker" not in after
        assert after.get("csrf_token") != before.get("csrf_token")
        assert after["_user_id"]
    cookie = SimpleCookie(response.headers.get("Set-Cookie"))
    assert cookie["session"].value


def test_the_session_cookie_changes_when_signing_in(client, user_factory):
    user_factory(email="person@example.org")
    csrf_token_for(client, "/sign-in")
    before = client.get_cookie("session").value
    sign_in(client, "person@example.org")

    assert client.get_cookie("session").value != before
