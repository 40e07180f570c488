"""Sign-in, second-factor and password-reset forms are rate limited per account and per address."""

import threading
import time

import pytest

from config import TestingConfig
from grants import create_app
from grants.accounts.views import signing_in
from grants.core.errors import Refusal
from grants.core.limits import address_key
from tests.fixtures.auth import csrf_token_for, post_form, sign_in
from tests.fixtures.factories import TEST_PASSWORD

WRONG = "Not-The-Right-Password-1"


def _429_page(response) -> str:
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "Sorry, there have been too many attempts" in html
    assert 'href="/accessibility"' in html  # the service's layout
    return html


def test_refused_sign_ins_for_one_account_are_limited_with_a_clear_page(
    client, user_factory, rate_limits
):
    rate_limits(SIGN_IN_LIMIT_PER_ACCOUNT_AND_ADDRESS="3 per 15 minutes")
    user_factory(email="target@example.org")
    for _ in range(3):
        assert sign_in(client, "target@example.org", WRONG).status_code == 200

    response = sign_in(client, "target@example.org", TEST_PASSWORD)

    html = _429_page(response)
    assert "Too many attempts. Wait 15 minutes and try again." in html
    assert 840 <= int(response.headers["Retry-After"]) <= 900
    assert client.get("/account").status_code == 302


def test_the_account_limit_counts_the_email_whatever_its_case(client, user_factory, rate_limits):
    rate_limits(SIGN_IN_LIMIT_PER_ACCOUNT_AND_ADDRESS="2 per 15 minutes")
    user_factory(email="target@example.org")
    sign_in(client, "target@example.org", WRONG)
    sign_in(client, " TARGET@example.org", WRONG)

    assert sign_in(client, "Target@Example.org", TEST_PASSWORD).status_code == 429


def test_the_account_limit_does_not_stop_other_accounts(client, new_client, user_factory,
                                                        rate_limits):
    rate_limits(SIGN_IN_LIMIT_PER_ACCOUNT_AND_ADDRESS="2 per 15 minutes")
    user_factory(email="target@example.org")
    user_factory(email="someone-else@example.org")
    for _ in range(2):
        sign_in(client, "target@example.org", WRONG)

    assert sign_in(new_client(), "someone-else@example.org").status_code == 302


def test_an_attacker_locked_out_does_not_lock_out_the_owner_signing_in_elsewhere(
    client, new_client, user_factory, rate_limits
):
    rate_limits(SIGN_IN_LIMIT_PER_ACCOUNT_AND_ADDRESS="3 per 15 minutes")
    user_factory(email="staff.member@example.org")
    attacker = {"REMOTE_ADDR": "203.0.113.66"}
    for _ in range(3):
        assert sign_in(client, "staff.member@example.org", WRONG,
                       environ_base=attacker).status_code == 200
    _429_page(sign_in(client, "staff.member@example.org", WRONG, environ_base=attacker))

    owner = sign_in(new_client(), "staff.member@example.org",
                    environ_base={"REMOTE_ADDR": "198.51.100.20"})

    assert owner.status_code == 302
    # Still locked for the attacker, even with the right password.
    _429_page(sign_in(client, "staff.member@example.org", TEST_PASSWORD, environ_base=attacker))


# Simultaneous requests, each on a connection of its own (every page reads the database for the
# office it speaks for), as in production: not inside the test's one transaction.
@pytest.mark.committing
def test_simultaneous_wrong_passwords_are_never_checked_beyond_the_limit(
    app, new_client, rate_limits, monkeypatch
):
    rate_limits(SIGN_IN_LIMIT_PER_ACCOUNT_AND_ADDRESS="10 per 15 minutes")
    checked = []

    def slow_wrong_password(session, settings, *, email, password):
        # A password check takes a while (argon2): long enough for every request to arrive.
        checked.append(email)
        time.sleep(0.5)
        raise Refusal("Enter a correct email address and password", field="email")

    monkeypatch.setattr(signing_in, "check_credentials", slow_wrong_password)
    attempts = 14
    clients = [new_client() for _ in range(attempts)]
    tokens = [csrf_token_for(each, "/sign-in") for each in clients]
    all_ready = threading.Barrier(attempts)
    statuses = []

    def post(each, token):
        all_ready.wait(timeout=10)
        with app.app_context():
            statuses.append(each.post("/sign-in", data={
                "email": "target@example.org", "password": WRONG, "csrf_token": token,
            }).status_code)

    threads = [threading.Thread(target=post, args=pair)
               for pair in zip(clients, tokens, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(checked) == 10
    assert sorted(statuses) == [200] * 10 + [429] * 4


def test_addresses_in_one_ipv6_network_share_a_count(client, new_client, user_factory,
                                                     rate_limits):
    # One household or server gets a whole /64: its addresses are one client.
    rate_limits(SIGN_IN_LIMIT_PER_ADDRESS="2 per 15 minutes")
    user_factory(email="target@example.org")
    for host in ("1", "2"):
        sign_in(new_client(), f"guess{host}@example.org", WRONG,
                environ_base={"REMOTE_ADDR": f"2001:db8:1:2::{host}"})

    _429_page(sign_in(new_client(), "target@example.org",
                      environ_base={"REMOTE_ADDR": "2001:db8:1:2::ffff"}))
    assert sign_in(new_client(), "target@example.org",
                   environ_base={"REMOTE_ADDR": "2001:db8:1:3::1"}).status_code == 302


def test_an_unknown_email_is_limited_exactly_like_a_registered_one(client, rate_limits):
    rate_limits(SIGN_IN_LIMIT_PER_ACCOUNT_AND_ADDRESS="2 per 15 minutes")
    for _ in range(2):
        assert sign_in(client, "nobody@example.org", WRONG).status_code == 200

    _429_page(sign_in(client, "nobody@example.org", WRONG))


def test_signing_in_successfully_does_not_use_up_the_limit(client, new_client, user_factory,
                                                           rate_limits):
    rate_limits(SIGN_IN_LIMIT_PER_ACCOUNT_AND_ADDRESS="2 per 15 minutes")
    user_factory(email="regular@example.org")

    for _ in range(4):
        assert sign_in(new_client(), "regular@example.org").status_code == 302


def test_refused_sign_ins_from_one_address_are_limited_across_accounts(
    client, user_factory, rate_limits
):
    rate_limits(SIGN_IN_LIMIT_PER_ADDRESS="3 per 15 minutes")
    user_factory(email="target@example.org")
    for number in range(3):
        assert sign_in(client, f"guess{number}@example.org", WRONG).status_code == 200

    _429_page(sign_in(client, "target@example.org", TEST_PASSWORD))


def test_another_address_is_not_limited_by_the_first(client, new_client, user_factory,
                                                    rate_limits):
    rate_limits(SIGN_IN_LIMIT_PER_ADDRESS="2 per 15 minutes")
    user_factory(email="target@example.org")
    for number in range(2):
        sign_in(client, f"guess{number}@example.org", WRONG)

    other = new_client()
    response = sign_in(other, "target@example.org",
                       environ_base={"REMOTE_ADDR": "192.0.2.44"})

    assert response.status_code == 302


def test_the_sign_in_page_itself_is_never_limited(client, rate_limits):
    rate_limits(SIGN_IN_LIMIT_PER_ADDRESS="1 per 15 minutes")
    sign_in(client, "nobody@example.org", WRONG)

    for _ in range(3):
        assert client.get("/sign-in").status_code == 200


def test_password_reset_requests_are_limited_per_account_with_the_same_answer(
    client, user_factory, rate_limits, db_session
):
    rate_limits(PASSWORD_RESET_LIMIT_PER_ACCOUNT="2 per hour")
    user_factory(email="target@example.org")
    for _ in range(2):
        response = post_form(client, "/forgotten-password", {"email": "target@example.org"})
        assert response.status_code == 302

    html = _429_page(post_form(client, "/forgotten-password",
                               {"email": "target@example.org"}))
    assert "Wait 60 minutes" in html


def test_password_reset_requests_are_limited_per_address(client, rate_limits):
    rate_limits(PASSWORD_RESET_LIMIT_PER_ADDRESS="2 per hour")
    for number in range(2):
        post_form(client, "/forgotten-password", {"email": f"p{number}@example.org"})

    _429_page(post_form(client, "/forgotten-password", {"email": "p9@example.org"}))


@pytest.mark.parametrize("setting", ["SIGN_IN_LIMIT_PER_ACCOUNT_AND_ADDRESS",
                                     "SIGN_IN_LIMIT_PER_ADDRESS"])
def test_limits_are_off_when_the_setting_says_so(client, app, user_factory, rate_limits,
                                                 monkeypatch, setting):
    rate_limits(**{setting: "1 per hour"})
    monkeypatch.setitem(app.config, "RATE_LIMITS_APPLY", False)
    for _ in range(3):
        assert sign_in(client, "nobody@example.org", WRONG).status_code == 200


def test_the_testing_configuration_leaves_limits_off_and_storage_in_memory(app):
    assert app.config["RATE_LIMITS_APPLY"] is False
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"


class BehindOneProxyConfig(TestingConfig):
    TRUSTED_PROXY_COUNT = 1


def _address_seen(app, **headers) -> str:
    return app.test_client().get("/test/address", headers=headers).get_data(as_text=True)


def test_behind_a_trusted_proxy_the_client_address_is_counted_not_the_proxys():
    app = create_app(BehindOneProxyConfig)
    app.add_url_rule("/test/address", "test_address", address_key)

    assert _address_seen(app, **{"X-Forwarded-For": "198.51.100.7"}) == "address:198.51.100.7"
    # Only the last entry is our proxy's to vouch for; an address the client wrote is not.
    assert _address_seen(app, **{"X-Forwarded-For": "10.9.9.9, 198.51.100.7"}) == (
        "address:198.51.100.7")


def test_without_a_trusted_proxy_a_forwarded_address_is_ignored():
    app_without = create_app(TestingConfig)
    app_without.add_url_rule("/test/address", "test_address", address_key)

    assert _address_seen(app_without, **{"X-Forwarded-For": "198.51.100.7"}) == (
        "address:127.0.0.1")
