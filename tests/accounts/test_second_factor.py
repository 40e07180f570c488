"""A second factor: setting up an authenticator app, codes at sign-in, and staff required to."""

import re
from datetime import UTC, datetime

import pyotp
import pytest
from sqlalchemy import text

from config import TestingConfig
from grants import create_app
from grants.accounts.models import Role, User
from grants.accounts.operations.second_factor import USED_CODE, check_sign_in_code, code_is_right
from grants.core import clock
from grants.core.errors import Refusal
from grants.extensions import db, limiter
from tests.fixtures.auth import csrf_token_from, post_form, sign_in

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
SET_UP = "/account/authenticator"


def _code(secret: str = SECRET, *, seconds_from_now: int = 0) -> str:
    return pyotp.TOTP(secret).at(clock.utcnow().timestamp() + seconds_from_now)


def _setup_key(html: str) -> str:
    """The key the set-up page shows for the person to type into their app."""
    return re.search(r'<code class="app-secret" id="setup-key">([A-Z2-7]+)</code>', html).group(1)


def _wrong_code(secret: str = SECRET) -> str:
    right = {_code(secret, seconds_from_now=offset) for offset in (-30, 0, 30)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in right)


@pytest.fixture(autouse=True)
def forget_wrong_codes():
    """Wrong codes are counted in the rate limits' storage, keyed by user id, which the next
    test may reuse."""
    limiter.reset()
    yield
    limiter.reset()


@pytest.fixture
def totp_user(user_factory):
    """`totp_user(**fields)`: a user whose authenticator app is already set up."""

    def make(**fields):
        return user_factory(totp_secret=SECRET,
                            totp_confirmed_at=datetime(2026, 1, 1, tzinfo=UTC), **fields)

    return make


@pytest.fixture
def require_totp_for_staff(app, monkeypatch):
    monkeypatch.setitem(app.config, "REQUIRE_TOTP_FOR_STAFF", True)


def test_a_code_is_right_for_now_and_thirty_seconds_either_side_only(move_clock):
    assert code_is_right(SECRET, _code())
    assert code_is_right(SECRET, _code(seconds_from_now=-30))
    assert code_is_right(SECRET, " " + _code()[:3] + " " + _code()[3:])
    assert not code_is_right(SECRET, _code(seconds_from_now=-120))
    assert not code_is_right(SECRET, "12345")
    assert not code_is_right(SECRET, "abcdef")
    assert not code_is_right(SECRET, None)


def test_setting_up_shows_a_qr_code_and_the_key_as_text(sign_in_as, user_factory, db_session):
    user = user_factory(email="person@example.org")
    client = sign_in_as(user)

    html = client.get(SET_UP).get_data(as_text=True)

    secret = _setup_key(html)
    assert "<svg" in html and "QR code for your authenticator app" in html
    assert html.count("<h1") == 1
    assert client.get(SET_UP).get_data(as_text=True).count(secret) >= 1
    # Showing the page saves nothing: the account has no secret until a code confirms one.
    db_session.refresh(user)
    assert user.totp_secret is None and user.totp_confirmed_at is None


def test_a_right_code_turns_the_second_factor_on_and_is_audited(
    sign_in_as, user_factory, db_session, audit_actions
):
    user = user_factory()
    client = sign_in_as(user)
    secret = _setup_key(client.get(SET_UP).get_data(as_text=True))

    response = post_form(client, SET_UP, {"code": _code(secret)})

    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    db_session.refresh(user)
    assert user.totp_secret == secret and user.totp_confirmed_at is not None
    assert "user.second_factor_enabled" in audit_actions(user.id)
    assert "Authenticator app" in client.get("/account").get_data(as_text=True)


def test_a_wrong_code_at_set_up_is_refused_and_keeps_the_same_key(sign_in_as, user_factory,
                                                                 db_session):
    user = user_factory()
    client = sign_in_as(user)
    secret = _setup_key(client.get(SET_UP).get_data(as_text=True))

    response = post_form(client, SET_UP, {"code": _wrong_code(secret)})

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Enter the 6-digit code shown in your authenticator app now" in html
    assert "<title>Error: " in html
    assert _setup_key(html) == secret
    db_session.refresh(user)
    assert user.totp_secret is None and user.totp_confirmed_at is None


def test_sign_in_asks_for_the_code_after_the_password_before_signing_in(
    client, totp_user, audit_actions
):
    user = totp_user(email="person@example.org")

    response = sign_in(client, "person@example.org", next_url="/account")

    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in/code"
    assert client.get("/account").status_code == 302  # not signed in yet
    assert "user.signed_in" not in audit_actions(user.id)

    done = post_form(client, "/sign-in/code", {"code": _code()})

    assert done.status_code == 302
    assert done.headers["Location"] == "/account"
    assert client.get("/account").status_code == 200
    assert audit_actions(user.id)[-1] == "user.signed_in"


def test_a_wrong_code_at_sign_in_is_refused_and_nobody_is_signed_in(client, totp_user):
    totp_user(email="person@example.org")
    sign_in(client, "person@example.org")

    response = post_form(client, "/sign-in/code", {"code": _wrong_code()})

    assert response.status_code == 200
    assert "Enter the 6-digit code shown in your authenticator app now" in response.get_data(
        as_text=True)
    assert client.get("/account").status_code == 302


def test_the_code_step_needs_the_password_step_first(client):
    response = client.get("/sign-in/code")

    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"


def test_the_code_step_expires_after_five_minutes(client, totp_user, move_clock):
    totp_user(email="person@example.org")
    sign_in(client, "person@example.org")
    token = csrf_token_from(client.get("/sign-in/code").get_data(as_text=True))

    move_clock(minutes=6)
    response = client.post("/sign-in/code", data={"code": _code(), "csrf_token": token})

    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    assert client.get("/account").status_code == 302


def test_wrong_codes_are_rate_limited(client, totp_user, app, monkeypatch):
    monkeypatch.setitem(app.config, "RATE_LIMITS_APPLY", True)
    monkeypatch.setitem(app.config, "SIGN_IN_CODE_LIMIT_PER_ACCOUNT", "2 per 15 minutes")
    limiter.reset()
    try:
        totp_user(email="person@example.org")
        sign_in(client, "person@example.org")
        for _ in range(2):
            assert post_form(client, "/sign-in/code",
                             {"code": _wrong_code()}).status_code == 200

        response = post_form(client, "/sign-in/code", {"code": _code()})

        assert response.status_code == 429
        assert "Too many attempts. Wait 15 minutes" in response.get_data(as_text=True)
    finally:
        limiter.reset()


def test_turning_the_second_factor_off_needs_a_right_code(sign_in_as, totp_user, db_session,
                                                         new_client):
    user = totp_user(email="person@example.org")
    client = new_client()
    sign_in(client, "person@example.org")
    post_form(client, "/sign-in/code", {"code": _code()})

    refused = post_form(client, "/account/authenticator/turn-off", {"code": _wrong_code()})
    assert refused.status_code == 200
    done = post_form(client, "/account/authenticator/turn-off", {"code": _code()})

    assert done.status_code == 302
    db_session.refresh(user)
    assert user.totp_secret is None and user.totp_confirmed_at is None


def test_staff_without_a_second_factor_are_sent_to_set_one_up_when_required(
    sign_in_as, user_factory, require_totp_for_staff
):
    client = sign_in_as(user_factory(roles=[Role.STAFF]))

    response = client.get("/staff/")

    assert response.status_code == 302
    assert response.headers["Location"] == SET_UP
    html = client.get(SET_UP).get_data(as_text=True)
    assert "Staff accounts need a code from an authenticator app" in html
    assert client.get("/account").status_code == 200


def test_staff_who_set_up_the_second_factor_reach_staff_pages(
    client, totp_user, require_totp_for_staff
):
    totp_user(email="officer@example.org", roles=[Role.ADMIN])
    sign_in(client, "officer@example.org")
    post_form(client, "/sign-in/code", {"code": _code()})

    assert client.get("/staff/").status_code == 200


def test_staff_cannot_turn_off_a_required_second_factor(client, totp_user, db_session,
                                                       require_totp_for_staff):
    user = totp_user(email="officer@example.org", roles=[Role.STAFF])
    sign_in(client, "officer@example.org")
    post_form(client, "/sign-in/code", {"code": _code()})

    response = client.get("/account/authenticator/turn-off")

    assert response.status_code == 302
    assert db_session.get(User, user.id).totp_confirmed_at is not None


def test_applicants_are_not_required_to_use_a_second_factor(sign_in_as, user_factory,
                                                           require_totp_for_staff):
    client = sign_in_as(user_factory())

    assert client.get("/dashboard").status_code == 200


def test_without_the_setting_staff_reach_staff_pages_without_a_second_factor(
    sign_in_as, user_factory
):
    client = sign_in_as(user_factory(roles=[Role.STAFF]))

    assert client.get("/staff/").status_code == 200


def test_the_reset_command_forgets_a_lost_authenticator_and_records_it(
    runner, totp_user, db_session, audit_actions
):
    user = totp_user(email="lost-phone@example.org")

    result = runner.invoke(args=["users", "reset-second-factor", "--email",
                                 "Lost-Phone@example.org"])

    assert result.exit_code == 0, result.output
    db_session.expire_all()
    user = db_session.get(User, user.id)
    assert user.totp_secret is None and user.totp_confirmed_at is None
    assert audit_actions(user.id)[-1] == "user.second_factor_reset"
    unknown = runner.invoke(args=["users", "reset-second-factor", "--email", "x@example.org"])
    assert unknown.exit_code != 0 and "no user with that email" in unknown.output


def test_a_code_that_signed_in_once_cannot_sign_in_again(client, new_client, totp_user):
    totp_user(email="person@example.org")
    code = _code()
    sign_in(client, "person@example.org")
    assert post_form(client, "/sign-in/code", {"code": code}).status_code == 302

    onlooker = new_client()
    sign_in(onlooker, "person@example.org")
    response = post_form(onlooker, "/sign-in/code", {"code": code})

    assert response.status_code == 200
    assert "That code has already been used" in response.get_data(as_text=True)
    assert onlooker.get("/account").status_code == 302


def test_a_code_at_or_before_the_last_accepted_step_is_refused(totp_user, db_session):
    user = totp_user(email="person@example.org")
    check_sign_in_code(db_session, user, code=_code())
    accepted_step = user.totp_last_step

    for earlier in (_code(), _code(seconds_from_now=-30)):
        with pytest.raises(Refusal, match=USED_CODE[:30]):
            check_sign_in_code(db_session, user, code=earlier)
    check_sign_in_code(db_session, user, code=_code(seconds_from_now=30))

    assert db_session.get(User, user.id).totp_last_step == accepted_step + 1


@pytest.mark.committing
def test_a_code_used_on_one_server_is_refused_on_another(app, totp_user):
    """Two app instances share only the database (the rate limits' storage is emptied between
    them, as two servers with in-memory storage would have their own)."""
    totp_user(email="two-servers@example.org")
    code = _code()
    first = app.test_client()
    sign_in(first, "two-servers@example.org")
    assert post_form(first, "/sign-in/code", {"code": code}).status_code == 302

    other_server = create_app(TestingConfig)
    limiter.reset()
    second = other_server.test_client()
    try:
        sign_in(second, "two-servers@example.org")
        response = post_form(second, "/sign-in/code", {"code": code})
        assert second.get("/account").status_code == 302
    finally:
        with other_server.app_context():
            db.engine.dispose()

    assert response.status_code == 200
    assert "That code has already been used" in response.get_data(as_text=True)


def test_the_database_row_holds_no_second_factor_secret_in_clear_text(
    sign_in_as, user_factory, db_session
):
    user = user_factory()
    client = sign_in_as(user)
    secret = _setup_key(client.get(SET_UP).get_data(as_text=True))
    post_form(client, SET_UP, {"code": _code(secret)})

    stored = db_session.execute(text("SELECT totp_secret FROM user_account WHERE id = :id"),
                                {"id": user.id}).scalar_one()
    assert stored and secret not in stored and secret.lower() not in stored.lower()
    db_session.refresh(user)
    assert user.totp_secret == secret
