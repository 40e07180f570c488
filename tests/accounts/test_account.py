"""The account page and changing a password."""

from grants.accounts.models import Role
from grants.accounts.operations.passwords import verify_password
from tests.fixtures.auth import post_form, sign_in
from tests.fixtures.factories import TEST_PASSWORD

NEW_PASSWORD = "Copper-Heron-Meadow-93"


def change_password(client, **answers):
    data = {
        "current_password": TEST_PASSWORD,
        "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD,
    }
    data.update(answers)
    return post_form(client, "/account/password", data)


def test_the_account_page_shows_name_email_and_roles(sign_in_as, user_factory):
    client = sign_in_as(user_factory(name="Amara Lewis", email="amara@example.org",
                                     roles=[Role.STAFF, Role.REVIEWER]))

    html = client.get("/account").get_data(as_text=True)

    assert html.count("<h1") == 1
    assert "Amara Lewis" in html
    assert "amara@example.org" in html
    assert "Reviewer, Staff" in html
    assert 'href="/account/password"' in html
    assert "Send the link again" not in html


def test_the_account_page_offers_a_new_link_when_the_email_is_not_confirmed(
    sign_in_as, user_factory
):
    client = sign_in_as(user_factory(email_verified_at=None))

    html = client.get("/account").get_data(as_text=True)

    assert "Not confirmed" in html
    assert "Send the link again" in html
    assert 'action="/account/send-verification-link"' in html


def test_the_account_page_shows_a_high_sheriffs_county_and_term_year(
    sign_in_as, user_factory, county_factory
):
    county = county_factory(name="Oxfordshire")
    client = sign_in_as(user_factory(roles=[Role.HIGH_SHERIFF], county=county, term_year=2026))

    html = client.get("/account").get_data(as_text=True)

    assert "High Sheriff of" in html
    assert "Oxfordshire" in html
    assert "2026" in html


def test_the_account_page_needs_a_signed_in_user(client):
    response = client.get("/account")

    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in?next=%2Faccount"


def test_changing_the_password_sets_the_new_one_and_records_when(
    sign_in_as, user_factory, audit_actions, emails_to
):
    user = user_factory(email="amara@example.org")
    client = sign_in_as(user)

    response = change_password(client)

    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    assert verify_password(user.password_hash, NEW_PASSWORD)
    assert user.password_changed_at is not None
    assert "Your password has been changed" in client.get("/account").get_data(as_text=True)
    assert audit_actions(user.id)[-1] == "user.password_changed"
    assert [m.subject for m in emails_to("amara@example.org")] == [
        "Your password has been changed"
    ]


def test_the_new_password_signs_in_and_the_old_one_no_longer_does(
    sign_in_as, user_factory, new_client
):
    user = user_factory(email="amara@example.org")
    change_password(sign_in_as(user))

    assert sign_in(new_client(), "amara@example.org", TEST_PASSWORD).status_code == 200
    assert sign_in(new_client(), "amara@example.org", NEW_PASSWORD).status_code == 302


def test_a_wrong_current_password_is_refused_on_its_field(sign_in_as, user_factory):
    user = user_factory()
    client = sign_in_as(user)

    response = change_password(client, current_password="Not-My-Password-22")

    html = response.get_data(as_text=True)
    assert 'id="current_password-error"' in html
    assert "Your current password is not correct" in html
    assert verify_password(user.password_hash, TEST_PASSWORD)
    assert user.password_changed_at is None


def test_a_current_password_of_spaces_is_asked_for_again_whatever_else_is_wrong(
        sign_in_as, user_factory):
    client = sign_in_as(user_factory())

    response = change_password(client, current_password=" ", confirm_password="Different-1")

    html = response.get_data(as_text=True)
    assert 'id="current_password-error"' in html
    assert "Enter your current password" in html


def test_a_weak_new_password_is_refused_on_its_field(sign_in_as, user_factory):
    user = user_factory()
    client = sign_in_as(user)

    response = change_password(client, new_password="qwertyuiop", confirm_password="qwertyuiop")

    html = response.get_data(as_text=True)
    assert 'id="new_password-error"' in html
    assert "Password is too easy to guess" in html
    assert verify_password(user.password_hash, TEST_PASSWORD)


def test_a_mismatched_new_password_confirmation_is_refused(sign_in_as, user_factory):
    client = sign_in_as(user_factory())

    response = change_password(client, confirm_password=NEW_PASSWORD + "!")

    html = response.get_data(as_text=True)
    assert 'id="confirm_password-error"' in html
    assert "The passwords do not match" in html


def test_the_new_password_must_differ_from_the_current_one(sign_in_as, user_factory):
    client = sign_in_as(user_factory())

    response = change_password(client, new_password=TEST_PASSWORD,
                               confirm_password=TEST_PASSWORD)

    assert "must be different from your current password" in response.get_data(as_text=True)
