"""Welsh for the account pages an applicant uses (issue 25, point 5): the account page, changing
the password, a forgotten password and its reset, confirming an email address, and setting up,
using and turning off an authenticator app, with their messages. What the person typed (their
name and email address) stays as typed."""

import re
from datetime import UTC, datetime

import pyotp
import pytest

from grants.accounts.operations.tokens import make_password_reset_token, make_verification_token
from grants.accounts.views.common import account_settings
from tests.core.test_welsh import (  # noqa: F401  (fixtures)
    _assert_welsh,
    _both,
    _in_welsh,
    _office_data,
    compiled_welsh,
    welsh_office,
)
from tests.fixtures.auth import TEST_PASSWORD, csrf_token_for, post_form, sign_in

FIREFOX = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 "
           "Firefox/133.0")


@pytest.fixture
def person(user_factory, welsh_office):  # noqa: F811
    user = user_factory(name="Dai Jones", email="dai@example.org")
    data = _office_data(welsh_office) | {user.name, user.email, "Firefox", "Microsoft "
                                         "Authenticator", "Google Authenticator"}
    return user, data


def _token(app, make, *values) -> str:
    with app.test_request_context():
        return make(account_settings().secret_key, *values)


def test_the_account_pages_are_in_welsh(client, sign_in_as, person):
    user, data = person
    sign_in_as(user)

    for path in ("/account", "/account/password", "/account/authenticator"):
        english, welsh = _both(client, path, headers={"User-Agent": FIREFOX})
        # The key to type into the app is the same in any language.
        key = re.search(r'id="setup-key">(\w+)<', english)
        _assert_welsh(english, welsh, data | ({key.group(1)} if key else set()), path)
    account = _both(client, "/account")[1]
    assert "Rôl" in account and "Ymgeisydd" in account
    assert "Y ddyfais hon" in account
    set_up = _both(client, "/account/authenticator")[1]
    assert "Cod QR ar gyfer eich ap dilysu" in set_up


def test_the_devices_signed_in_are_named_in_welsh(client, sign_in_as, person):
    user, data = person
    sign_in_as(user, on=client)
    elsewhere = client.application.test_client()
    elsewhere.environ_base["HTTP_USER_AGENT"] = FIREFOX
    sign_in_as(user, on=elsewhere)
    _in_welsh(client)

    html = client.get("/account").get_data(as_text=True)

    assert "Firefox ar Windows" in html
    assert "Allgofnodi<span class=\"govuk-visually-hidden\"> ar Firefox ar Windows" in html


def test_an_unconfirmed_email_address_is_explained_in_welsh(client, sign_in_as, person,
                                                             db_session):
    user, data = person
    user.email_verified_at = None
    db_session.commit()
    sign_in_as(user)

    english, welsh = _both(client, "/account")

    _assert_welsh(english, welsh, data, "/account, unconfirmed")
    assert "Nid ydych chi wedi cadarnhau eich cyfeiriad e-bost eto" in welsh
    dashboard = client.get("/dashboard", follow_redirects=True).get_data(as_text=True)
    assert "Cadarnhewch eich cyfeiriad e-bost yn gyntaf" in dashboard


def test_changing_the_password_says_what_is_wrong_and_done_in_welsh(client, sign_in_as,
                                                                     person):
    sign_in_as(person[0])
    _in_welsh(client)
    token = csrf_token_for(client, "/account/password")

    empty = client.post("/account/password", data={"csrf_token": token}).get_data(as_text=True)
    wrong = client.post("/account/password", data={
        "csrf_token": token, "current_password": "not mine", "new_password": "a new one",
        "confirm_password": "another"}).get_data(as_text=True)
    refused = client.post("/account/password", data={
        "csrf_token": token, "current_password": "not mine",
        "new_password": "correct horse battery staple",
        "confirm_password": "correct horse battery staple"}).get_data(as_text=True)
    changed = client.post("/account/password", data={
        "csrf_token": token, "current_password": TEST_PASSWORD,
        "new_password": "correct horse battery staple",
        "confirm_password": "correct horse battery staple"}, follow_redirects=True)

    assert "Rhowch eich cyfrinair presennol" in empty and "Rhowch gyfrinair newydd" in empty
    assert "Rhowch yr un cyfrinair newydd ddwywaith" in wrong
    assert "Nid yw eich cyfrinair presennol yn gywir" in refused
    assert "Mae eich cyfrinair wedi’i newid" in changed.get_data(as_text=True)


def test_a_forgotten_password_and_its_reset_are_in_welsh(app, client, person):
    user, data = person
    reset = "/reset-password/" + _token(app, make_password_reset_token, user.id,
                                        user.password_hash)

    for path in ("/forgotten-password", "/forgotten-password/check-your-email", reset,
                 "/reset-password/not-a-token"):
        english, welsh = _both(client, path)
        _assert_welsh(english, welsh, data, path)
    post_form(client, "/forgotten-password", {"email": user.email})
    sent = _both(client, "/forgotten-password/check-your-email")
    _assert_welsh(*sent, data, "reset link sent")
    assert "Os oes gan <strong>dai@example.org</strong> gyfrif" in sent[1]


def test_confirming_an_email_address_is_in_welsh(app, client, user_factory, person):
    user, data = person
    unconfirmed = user_factory(name="Siân Evans", email="sian@example.org",
                               email_verified_at=None)
    verify = "/account/verify/" + _token(app, make_verification_token, unconfirmed.id,
                                         unconfirmed.email)

    for path in ("/register/check-your-email", verify, "/account/verify/not-a-token"):
        english, welsh = _both(client, path)
        _assert_welsh(english, welsh, data | {unconfirmed.email}, path)
    _in_welsh(client)
    done = post_form(client, verify, {}).get_data(as_text=True)
    assert "Cyfeiriad e-bost wedi’i gadarnhau" in done


def test_a_page_that_needs_signing_in_says_so_in_welsh(client, welsh_office):  # noqa: F811
    _in_welsh(client)

    html = client.get("/account", follow_redirects=True).get_data(as_text=True)

    assert "Mewngofnodwch i weld y dudalen honno" in html


def test_signing_out_says_so_in_welsh(client, sign_in_as, person):
    sign_in_as(person[0])
    _in_welsh(client)

    html = post_form(client, "/sign-out", {}, follow_redirects=True).get_data(as_text=True)

    assert "Rydych chi wedi allgofnodi" in html


def test_the_authenticator_code_pages_are_in_welsh(client, user_factory, person, db_session):
    _, data = person
    secret = pyotp.random_base32()
    user = user_factory(name="Siân Evans", email="sian@example.org", totp_secret=secret,
                        totp_confirmed_at=datetime(2026, 1, 1, tzinfo=UTC))
    sign_in(client, user.email)  # the password: the code is still owed
    english, welsh = _both(client, "/sign-in/code")
    _assert_welsh(english, welsh, data, "/sign-in/code")
    wrong = post_form(client, "/sign-in/code", {"code": "000000"}).get_data(as_text=True)
    assert "Rhowch y cod 6 digid sydd i’w weld yn eich ap dilysu nawr" in wrong

    client.delete_cookie("language")
    assert post_form(client, "/sign-in/code",
                     {"code": pyotp.TOTP(secret).now()}).status_code == 302
    english, welsh = _both(client, "/account/authenticator/turn-off")
    _assert_welsh(english, welsh, data, "turn off")
    assert "Diffodd codau o ap dilysu" in welsh
