"""Signing in at /sign-in and out at /sign-out."""

import pytest
from argon2 import PasswordHasher

from grants.accounts.models import Role
from grants.accounts.operations.passwords import needs_rehash, verify_password
from tests.fixtures.auth import csrf_token_for, post_form, sign_in
from tests.fixtures.factories import TEST_PASSWORD, account_settings

REFUSED = "Enter a correct email address and password"


def test_sign_in_page_has_one_heading_and_a_title(client):
    html = client.get("/sign-in").get_data(as_text=True)

    assert html.count("<h1") == 1
    assert "<title>Sign in" in html


def test_an_applicant_who_signs_in_goes_to_their_dashboard(client, user_factory):
    user = user_factory(email="applicant@example.org")

    response = sign_in(client, "applicant@example.org")

    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"
    assert client.get("/account").status_code == 200
    assert user.last_signed_in_at is not None


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
def test_staff_and_admins_who_sign_in_go_to_the_staff_home(client, user_factory, role):
    user_factory(email="officer@example.org", roles=[role])

    response = sign_in(client, "officer@example.org")

    assert response.headers["Location"].rstrip("/") == "/staff"


def test_the_email_is_matched_whatever_its_case_and_spaces(client, user_factory):
    user_factory(email="applicant@example.org")

    response = sign_in(client, "  Applicant@EXAMPLE.org ")

    assert response.status_code == 302


def test_a_wrong_password_is_refused_with_the_generic_message(client, user_factory):
    user_factory(email="applicant@example.org")

    response = sign_in(client, "applicant@example.org", "Not-The-Right-Password-1")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert REFUSED in html
    assert "<title>Error: Sign in" in html
    assert client.get("/account").status_code == 302


def test_an_unknown_email_is_refused_with_the_same_message(client):
    response = sign_in(client, "nobody@example.org")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert REFUSED in html
    assert "no account" not in html.lower()


def test_an_inactive_account_is_refused_with_the_same_message(client, user_factory):
    user_factory(email="gone@example.org", is_active_account=False)

    response = sign_in(client, "gone@example.org")

    assert response.status_code == 200
    assert REFUSED in response.get_data(as_text=True)


def test_signing_in_rehashes_a_password_hashed_with_old_parameters(client, user_factory):
    old_hash = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1).hash(TEST_PASSWORD)
    user = user_factory(email="applicant@example.org", password_hash=old_hash)
    assert needs_rehash(user.password_hash, account_settings())

    sign_in(client, "applicant@example.org")

    assert user.password_hash != old_hash
    assert not needs_rehash(user.password_hash, account_settings())
    assert verify_password(user.password_hash, TEST_PASSWORD)


def test_signing_in_writes_an_audit_event(client, user_factory, audit_actions):
    user = user_factory(email="applicant@example.org")

    sign_in(client, "applicant@example.org")

    assert audit_actions(user.id) == ["user.signed_in"]


def test_signing_in_starts_a_fresh_session(client, user_factory):
    user_factory(email="applicant@example.org")
    with client.session_transaction() as session:
        session["left_over"] = "from before signing in"

    sign_in(client, "applicant@example.org")

    with client.session_transaction() as session:
        assert "left_over" not in session


def test_a_local_next_page_is_followed_after_signing_in(client, user_factory):
    user_factory(email="applicant@example.org")

    response = sign_in(client, "applicant@example.org", next_url="/account?tab=roles")

    assert response.headers["Location"] == "/account?tab=roles"


def test_the_next_page_from_the_query_string_is_kept_in_the_form(client):
    html = client.get("/sign-in?next=/account").get_data(as_text=True)

    assert 'name="next"' in html
    assert 'value="/account"' in html


@pytest.mark.parametrize("target", [
    "https://evil.example/",
    "//evil.example/path",
    "/\\evil.example",
    "javascript:alert(1)",
    "account",
])
def test_a_next_page_elsewhere_is_ignored(client, user_factory, target):
    user_factory(email="applicant@example.org")

    response = sign_in(client, "applicant@example.org", next_url=target)

    assert response.headers["Location"] == "/dashboard"


def test_someone_already_signed_in_is_sent_on_from_the_sign_in_page(sign_in_as, user_factory):
    client = sign_in_as(user_factory())

    response = client.get("/sign-in")

    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"


def test_signing_out_needs_a_post(sign_in_as, user_factory):
    client = sign_in_as(user_factory())

    response = client.get("/sign-out")

    assert response.status_code == 405
    assert client.get("/account").status_code == 200


def test_signing_out_needs_a_csrf_token(sign_in_as, user_factory):
    client = sign_in_as(user_factory())

    response = client.post("/sign-out")

    assert response.status_code == 400
    assert client.get("/account").status_code == 200


def test_signing_out_ends_the_session_and_says_so(sign_in_as, user_factory, audit_actions):
    user = user_factory()
    client = sign_in_as(user)

    response = post_form(client, "/sign-out", form_page="/account/password")

    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    assert "You have signed out" in client.get("/sign-in").get_data(as_text=True)
    assert client.get("/account").status_code == 302
    assert audit_actions(user.id)[-1] == "user.signed_out"


def test_a_page_for_signed_in_people_sends_others_to_sign_in_and_back(client, user_factory):
    user_factory(email="applicant@example.org")

    response = client.get("/account")

    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in?next=%2Faccount"
    token = csrf_token_for(client, response.headers["Location"])
    signed_in = client.post("/sign-in", data={
        "email": "applicant@example.org", "password": TEST_PASSWORD, "next": "/account",
        "csrf_token": token,
    })
    assert signed_in.headers["Location"] == "/account"
