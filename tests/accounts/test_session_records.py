"""Signed-in sessions kept on the server: a copied session cookie stops working once the session
ends, by signing out, a new password, a reset second factor or an admin."""

from sqlalchemy import select

from grants.accounts.models import Role, SignedInSession
from grants.accounts.operations import second_factor
from grants.accounts.operations import sessions as signed_in_sessions
from tests.fixtures.auth import post_form
from tests.fixtures.factories import TEST_PASSWORD

NEW_PASSWORD = "Copper-Heron-Meadow-93"


def _copy_of_the_cookie(client, new_client):
    """Another browser holding a copy of this one's session cookie (as a thief would)."""
    thief = new_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def _is_sent_to_sign_in(client) -> bool:
    response = client.get("/account")
    return response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


def _records(db_session, user) -> list[SignedInSession]:
    return list(db_session.scalars(
        select(SignedInSession).where(SignedInSession.user_id == user.id)))


def test_signing_in_keeps_a_record_of_the_session_with_its_device(
    sign_in_as, user_factory, db_session, client
):
    user = user_factory(email="amara@example.org")
    client.environ_base["HTTP_USER_AGENT"] = "Mozilla/5.0 (Windows NT 10.0) Firefox/128.0"
    sign_in_as(user)

    [record] = _records(db_session, user)
    assert record.user_agent == "Mozilla/5.0 (Windows NT 10.0) Firefox/128.0"
    with client.session_transaction() as cookie:
        assert cookie["session_id"] == record.id


def test_a_copied_cookie_gets_the_sign_in_page_after_signing_out(
    sign_in_as, user_factory, new_client, db_session
):
    user = user_factory(email="amara@example.org")
    client = sign_in_as(user)
    thief = _copy_of_the_cookie(client, new_client)
    assert thief.get("/account").status_code == 200

    post_form(client, "/sign-out", form_page="/account")

    assert _is_sent_to_sign_in(thief)
    assert _records(db_session, user) == []


def test_a_copied_cookie_gets_the_sign_in_page_after_a_password_change(
    sign_in_as, user_factory, new_client
):
    user = user_factory(email="amara@example.org")
    client = sign_in_as(user)
    thief = _copy_of_the_cookie(client, new_client)
    phone = sign_in_as(user, on=new_client())

    response = post_form(client, "/account/password", {
        "current_password": TEST_PASSWORD, "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD,
    })

    assert response.status_code == 302
    assert _is_sent_to_sign_in(thief)
    assert _is_sent_to_sign_in(phone)
    # The browser that changed it carries on, on its own record.
    assert client.get("/account").status_code == 200


def test_a_copied_cookie_gets_the_sign_in_page_after_the_second_factor_is_reset(
    sign_in_as, user_factory, new_client, db_session
):
    user = user_factory(email="amara@example.org")
    thief = _copy_of_the_cookie(sign_in_as(user), new_client)

    second_factor.reset_for_lost_device(db_session, user, actor_id=None)

    assert _is_sent_to_sign_in(thief)


def test_a_copied_cookie_gets_the_sign_in_page_after_the_admin_signs_the_person_out(
    sign_in_as, user_factory, new_client, db_session, audit_actions
):
    user = user_factory(email="amara@example.org")
    admin = user_factory(email="admin@example.org")
    thief = _copy_of_the_cookie(sign_in_as(user), new_client)
    sign_in_as(user, on=new_client())

    assert signed_in_sessions.sign_out_everywhere(db_session, user, actor_id=admin.id) == 2

    assert _is_sent_to_sign_in(thief)
    assert audit_actions(user.id)[-1] == "user.signed_out_everywhere"


def test_the_last_seen_time_is_written_at_most_once_a_minute(
    sign_in_as, user_factory, db_session, move_clock
):
    user = user_factory(email="amara@example.org")
    client = sign_in_as(user)
    [record] = _records(db_session, user)
    first_seen = record.last_seen_at

    move_clock(seconds=20)
    client.get("/account")
    db_session.refresh(record)
    assert record.last_seen_at == first_seen

    move_clock(minutes=2)
    client.get("/account")
    db_session.refresh(record)
    assert record.last_seen_at > first_seen


def test_the_account_page_lists_the_persons_sessions_and_ends_another_one(
    sign_in_as, user_factory, new_client, db_session
):
    user = user_factory(email="amara@example.org")
    laptop = new_client()
    laptop.environ_base["HTTP_USER_AGENT"] = (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0")
    phone = new_client()
    phone.environ_base["HTTP_USER_AGENT"] = (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")
    sign_in_as(user, on=laptop)
    sign_in_as(user, on=phone)

    html = laptop.get("/account").get_data(as_text=True)
    assert "Where you are signed in" in html
    assert "Firefox on Windows" in html and "Safari on an iPhone" in html
    assert html.count("This device") == 1
    with phone.session_transaction() as cookie:
        phone_session = cookie["session_id"]
    assert f'value="{phone_session}"' in html

    response = post_form(laptop, "/account/sessions/end", {"session_id": phone_session},
                         form_page="/account")

    assert response.headers["Location"] == "/account"
    assert "You have been signed out on that device" in laptop.get("/account").get_data(
        as_text=True)
    assert _is_sent_to_sign_in(phone)
    assert laptop.get("/account").status_code == 200
    assert len(_records(db_session, user)) == 1


def test_no_one_can_end_someone_elses_session(sign_in_as, user_factory, new_client):
    owner = sign_in_as(user_factory(email="amara@example.org"), on=new_client())
    with owner.session_transaction() as cookie:
        owners_session = cookie["session_id"]
    stranger = sign_in_as(user_factory(email="stranger@example.org"), on=new_client())

    post_form(stranger, "/account/sessions/end", {"session_id": owners_session},
              form_page="/account")

    assert "You were already signed out on that device" in stranger.get("/account").get_data(
        as_text=True)
    assert owner.get("/account").status_code == 200


def test_an_admin_signs_a_person_out_everywhere_from_the_people_page(
        sign_in_as, new_client, user_factory, db_session):
    person = user_factory(email="leaver@example.org", name="Lee Leaver")
    laptop, phone = sign_in_as(person, on=new_client()), sign_in_as(person, on=new_client())
    admin = sign_in_as(user_factory(roles=[Role.ADMIN]), on=new_client())

    page = admin.get("/staff/users").get_data(as_text=True)
    assert "Sign out everywhere<span class=\"govuk-visually-hidden\"> for Lee Leaver" in page
    response = post_form(admin, f"/staff/users/{person.id}/sign-out-everywhere",
                         form_page="/staff/users")

    assert response.headers["Location"] == "/staff/users"
    assert "Lee Leaver is signed out on every device: 2 sessions ended." in admin.get(
        "/staff/users").get_data(as_text=True)
    for device in (laptop, phone):
        assert device.get("/dashboard").headers["Location"].startswith("/sign-in")
