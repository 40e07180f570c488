"""No mail for strangers: an account made with someone else's address can do nothing but
confirm it, a name cannot carry a link, and no email starts with the name someone typed."""

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from grants.accounts.models import User
from grants.organisations.models import Organisation
from grants.records.models import OutboxMessage
from tests.accounts.test_registration import register
from tests.fixtures.auth import post_form

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.fixture
def unconfirmed(user_factory, sign_in_as):
    user = user_factory(email="new@example.org", email_verified_at=None)
    return sign_in_as(user)


@pytest.mark.parametrize("path", ["/dashboard", "/organisations/new", "/organisations",
                                  "/account/sessions-not-a-page", "/reviews"])
def test_an_unconfirmed_person_is_sent_to_confirm_from_every_other_page(unconfirmed, path):
    response = unconfirmed.get(path)
    if response.status_code == 404:
        return  # no such page for anyone
    assert (response.status_code, response.headers["Location"]) == (302, "/account")


def test_an_unconfirmed_person_can_register_no_organisation(unconfirmed, db_session):
    response = post_form(unconfirmed, "/organisations/new", {"name": "Anything"},
                         form_page="/account")
    assert response.headers["Location"] == "/account"
    assert db_session.scalar(select(func.count(Organisation.id))) == 0
    page = unconfirmed.get("/account").get_data(as_text=True)
    assert "Confirm your email address first: open the link we sent to new@example.org" in page


@pytest.mark.parametrize("path", ["/account", "/", "/rounds", "/awards", "/privacy"])
def test_an_unconfirmed_person_may_see_their_account_and_the_public_pages(unconfirmed, path):
    assert unconfirmed.get(path).status_code == 200


def test_an_unconfirmed_person_may_ask_for_a_new_link_and_sign_out(unconfirmed, db_session):
    post_form(unconfirmed, "/account/send-verification-link", form_page="/account")
    assert db_session.scalar(select(func.count(OutboxMessage.id))) == 1
    response = post_form(unconfirmed, "/sign-out", form_page="/account")
    assert response.status_code == 302 and unconfirmed.get("/dashboard").status_code == 302


@pytest.mark.parametrize("name", [
    "Your grant is on hold: confirm your bank details at bank-check.example",
    "Visit https://evil.example now", "Jo www.evil", "jo@example.org",
])
def test_a_name_carrying_a_web_or_email_address_is_refused(client, db_session, name):
    response = register(client, name=name, email="victim@example.org")
    assert "Enter your name only, without a web or email address" in response.get_data(
        as_text=True)
    assert db_session.scalar(select(func.count(User.id))) == 0


@pytest.mark.parametrize("name", ["Jo O'Neill-Smith", "Dr. A. N. Other", "Zoë Ślązak"])
def test_ordinary_names_are_kept(client, db_session, name):
    assert register(client, name=name).status_code == 302


def test_no_email_starts_with_a_name_someone_typed():
    """Names are typed by whoever made the account: a greeting "Dear <name>" would let them
    write the first words of an email the service sends to any address."""
    openings = {str(path.relative_to(TEMPLATES)): " ".join(path.read_text("utf-8").split()[:5])
                for path in TEMPLATES.glob("*/emails/*.txt")}
    assert len(openings) > 25
    people = re.compile(r"Dear|\{\{\s*(?:user|sheriff|member)\.name|\{\{\s*contact_name|"
                        r"^\{\{\s*name\b")
    assert {path: words for path, words in openings.items() if people.search(words)} == {}
