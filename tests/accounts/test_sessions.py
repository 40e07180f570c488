"""Session limits: idle and absolute timeouts, and sessions ended by a password change."""

from flask import session
from flask_login import current_user, login_user

from grants.accounts.views.sessions import LAST_SEEN_AT, SIGNED_IN_AT, user_for_login_id
from tests.fixtures.auth import csrf_token_from, post_form, sign_in
from tests.fixtures.factories import TEST_PASSWORD

NEW_PASSWORD = "Copper-Heron-Meadow-93"


def test_a_session_idle_for_longer_than_the_limit_is_signed_out_and_sent_back(
    sign_in_as, user_factory, move_clock
):
    client = sign_in_as(user_factory(email="idle@example.org"))
    assert client.get("/account").status_code == 200

    move_clock(minutes=31)
    response = client.get("/account?tab=roles")

    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in?next=%2Faccount%3Ftab%3Droles"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You were signed out because you were inactive for 30 minutes." in html
    assert "Sign in to carry on from where you were." in html
    assert 'value="/account?tab=roles"' in html


def test_signing_in_again_after_the_idle_timeout_returns_to_the_page(
    sign_in_as, user_factory, move_clock
):
    client = sign_in_as(user_factory(email="idle@example.org"))
    move_clock(minutes=31)
    redirect = client.get("/account")

    response = sign_in(client, "idle@example.org", form_page=redirect.headers["Location"],
                       next_url="/account")

    assert response.headers["Location"] == "/account"
    assert client.get("/account").status_code == 200


def test_activity_within_the_idle_limit_keeps_the_session(sign_in_as, user_factory, move_clock):
    client = sign_in_as(user_factory())

    for _ in range(3):
        move_clock(minutes=25)
        assert client.get("/account").status_code == 200


def test_a_session_older_than_the_absolute_limit_is_signed_out_even_when_busy(
    app, sign_in_as, user_factory, move_clock
):
    client = sign_in_as(user_factory())
    hours = app.config["SESSION_ABSOLUTE_TIMEOUT_HOURS"]
    for _ in range(hours * 60 // 25):
        move_clock(minutes=25)
        assert client.get("/account").status_code == 200

    move_clock(minutes=25)
    response = client.get("/account")

    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in?next=%2Faccount"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"you had been signed in for {hours} hours" in html
    assert client.get("/account").status_code == 302


def test_an_expired_post_is_sent_to_sign_in_without_a_next_page(
    sign_in_as, user_factory, move_clock
):
    client = sign_in_as(user_factory())
    token_page = client.get("/account/password").get_data(as_text=True)
    token = csrf_token_from(token_page)

    move_clock(hours=1)
    response = client.post("/account/password", data={"csrf_token": token})

    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"


def test_the_session_times_are_set_at_sign_in_and_on_each_request(
    sign_in_as, user_factory, move_clock
):
    client = sign_in_as(user_factory())
    with client.session_transaction() as saved:
        signed_in_at = saved[SIGNED_IN_AT]
        assert saved[LAST_SEEN_AT] == signed_in_at

    move_clock(minutes=10)
    client.get("/account")

    with client.session_transaction() as saved:
        assert saved[SIGNED_IN_AT] == signed_in_at
        assert 599 <= saved[LAST_SEEN_AT] - signed_in_at <= 601


def test_changing_the_password_ends_other_sessions_but_keeps_this_one(
    sign_in_as, user_factory, new_client
):
    user = user_factory()
    laptop = sign_in_as(user, on=new_client())
    phone = sign_in_as(user, on=new_client())

    response = post_form(laptop, "/account/password", {
        "current_password": TEST_PASSWORD,
        "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD,
    })

    assert response.status_code == 302
    assert laptop.get("/account").status_code == 200
    assert phone.get("/account").status_code == 302


def test_the_user_loader_refuses_a_stale_password_stamp(app, user_factory):
    user = user_factory()
    user_id = user.get_id()

    assert user_for_login_id(user_id) is user
    assert user_for_login_id(f"{user.id}:12345") is None
    assert user_for_login_id("not-a-number:0") is None
    assert user_for_login_id("999999:0") is None


def test_the_user_loader_refuses_an_inactive_account(app, user_factory):
    user = user_factory(is_active_account=False)

    assert user_for_login_id(user.get_id()) is None


def test_signing_in_records_the_session_start_in_the_cookie(app, user_factory):
    user = user_factory()
    with app.test_request_context("/"):
        login_user(user)
        assert current_user.id == user.id
        assert session[SIGNED_IN_AT] == session[LAST_SEEN_AT]
