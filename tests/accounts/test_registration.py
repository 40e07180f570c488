"""Registering as an applicant at /register."""

import re

from sqlalchemy import func, select

from grants.accounts.models import Role, User
from grants.accounts.operations.passwords import verify_password
from grants.records.models import AuditEvent
from tests.fixtures.auth import post_form
from tests.fixtures.factories import TEST_PASSWORD

CHECK_EMAIL_PATH = "/register/check-your-email"


def register(client, **answers):
    data = {
        "name": "Rosalind Okafor",
        "email": "rosalind@example.org",
        "password": TEST_PASSWORD,
        "confirm_password": TEST_PASSWORD,
    }
    data.update(answers)
    return post_form(client, "/register", data)


def users_with_email(session, email: str) -> int:
    return session.scalar(select(func.count()).select_from(User).where(User.email == email))


def test_register_page_has_one_heading_and_the_four_fields(client):
    html = client.get("/register").get_data(as_text=True)

    assert html.count("<h1") == 1
    assert "<title>Create an account" in html
    for field in ("name", "email", "password", "confirm_password"):
        assert f'name="{field}"' in html


def test_registering_creates_an_unverified_applicant_with_a_lower_cased_email(client, db_session):
    response = register(client, email="  Rosalind@Example.ORG ")

    assert response.status_code == 302
    assert response.headers["Location"] == CHECK_EMAIL_PATH
    user = db_session.scalars(select(User).where(User.email == "rosalind@example.org")).one()
    assert user.name == "Rosalind Okafor"
    assert user.roles == {Role.APPLICANT}
    assert not user.email_verified
    assert verify_password(user.password_hash, TEST_PASSWORD)
    assert TEST_PASSWORD not in user.password_hash


def test_registering_queues_an_email_with_a_verification_link(client, emails_to):
    register(client)

    [message] = emails_to("rosalind@example.org")
    assert message.subject == "Confirm your email address"
    assert "/account/verify/" in message.body_text


def test_registering_signs_nobody_in_so_the_next_pages_are_the_same_for_an_existing_email(
    client, new_client, user_factory
):
    user_factory(email="taken@example.org")
    answers = []
    for browser, email in ((client, "rosalind@example.org"), (new_client(), "taken@example.org")):
        response = register(browser, email=email)
        page = browser.get(response.headers["Location"]).get_data(as_text=True)
        answers.append((response.status_code, response.headers["Location"],
                        re.sub(r'nonce="[^"]*"', "", page.replace(email, "EMAIL")),
                        browser.get("/account").status_code))

    assert answers[0] == answers[1]
    assert answers[0][3] == 302  # to sign in


def test_the_emailed_link_signs_the_new_applicant_in_the_first_time_only(
    client, new_client, emails_to
):
    register(client)
    [message] = emails_to("rosalind@example.org")
    link = message.body_text[message.body_text.index("/account/verify/"):].split()[0]

    assert "Continue to your dashboard" in post_form(client, link).get_data(as_text=True)
    assert client.get("/account").status_code == 200

    another = new_client()
    assert "Email address confirmed" in another.get(link).get_data(as_text=True)
    assert another.get("/account").status_code == 302


def test_registering_writes_an_audit_event_without_the_password(client, db_session,
                                                                 audit_actions):
    register(client)

    user = db_session.scalars(select(User).where(User.email == "rosalind@example.org")).one()
    assert audit_actions(user.id) == ["user.registered"]
    events = db_session.scalars(select(AuditEvent).where(AuditEvent.entity_id == user.id)).all()
    assert all(TEST_PASSWORD not in str((e.before, e.after, e.note)) for e in events)


def test_check_your_email_page_shows_the_address(client):
    response = register(client, email="rosalind@example.org")

    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<h1 class=\"govuk-heading-xl\">Check your email</h1>" in html
    assert "rosalind@example.org" in html


def test_registering_an_existing_email_in_another_case_gives_the_same_page_and_no_new_user(
    client, db_session, user_factory, emails_to
):
    user_factory(email="taken@example.org", name="First Owner")

    response = register(client, email="TAKEN@Example.org")

    assert response.status_code == 302
    assert response.headers["Location"] == CHECK_EMAIL_PATH
    html = client.get(CHECK_EMAIL_PATH).get_data(as_text=True)
    assert "Check your email" in html
    assert "taken@example.org" in html
    assert users_with_email(db_session, "taken@example.org") == 1
    owner = db_session.scalars(select(User).where(User.email == "taken@example.org")).one()
    assert owner.name == "First Owner"


def test_registering_an_existing_email_tells_its_owner_and_signs_nobody_in(
    client, user_factory, emails_to
):
    user_factory(email="taken@example.org")

    register(client, email="taken@example.org")

    [message] = emails_to("taken@example.org")
    assert message.subject == "Someone tried to register with your email address"
    assert "/sign-in" in message.body_text
    assert "/account/verify/" not in message.body_text
    assert client.get("/account").status_code == 302


def test_a_common_password_is_refused_on_the_password_field(client, db_session):
    response = register(client, password="password1234", confirm_password="password1234")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error: Create an account" in html
    assert 'id="password-error"' in html
    assert "Password is too easy to guess" in html
    assert users_with_email(db_session, "rosalind@example.org") == 0


def test_a_password_made_of_the_persons_name_is_refused(client, db_session):
    response = register(client, name="Rosalind Okafor", password="RosalindOkafor",
                        confirm_password="RosalindOkafor")

    assert "Password is too easy to guess" in response.get_data(as_text=True)
    assert users_with_email(db_session, "rosalind@example.org") == 0


def test_a_short_password_is_refused_on_the_password_field(client, db_session):
    response = register(client, password="Qx7!vR2", confirm_password="Qx7!vR2")

    html = response.get_data(as_text=True)
    assert 'id="password-error"' in html
    assert "Password must be 10 characters or more" in html
    assert users_with_email(db_session, "rosalind@example.org") == 0


def test_a_mismatched_confirmation_is_refused_on_the_confirmation_field(client, db_session):
    response = register(client, confirm_password=TEST_PASSWORD + "x")

    html = response.get_data(as_text=True)
    assert 'id="confirm_password-error"' in html
    assert "The passwords do not match" in html
    assert users_with_email(db_session, "rosalind@example.org") == 0


def test_a_badly_formed_email_is_refused(client, db_session):
    response = register(client, email="rosalind.example.org")

    html = response.get_data(as_text=True)
    assert 'id="email-error"' in html
    assert "Enter an email address in the correct format" in html


def test_registering_without_a_csrf_token_is_refused(client, db_session):
    response = client.post("/register", data={
        "name": "Rosalind Okafor", "email": "rosalind@example.org",
        "password": TEST_PASSWORD, "confirm_password": TEST_PASSWORD,
    })

    assert response.status_code == 400
    assert users_with_email(db_session, "rosalind@example.org") == 0


def test_repeated_attempts_on_an_existing_email_send_its_owner_one_email_a_day(
    client, user_factory, emails_to, move_clock
):
    user_factory(email="taken@example.org")

    register(client, email="taken@example.org")
    register(client, email="taken@example.org")
    assert len(emails_to("taken@example.org")) == 1

    move_clock(days=1)
    register(client, email="taken@example.org")
    assert len(emails_to("taken@example.org")) == 2
