"""Markup stored in an application's title and an organisation's name never runs in a real
browser: no dialog opens and no script sets its flag, on the applicant's, staff's and the
public pages that show them."""

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select, update

from grants.accounts.models import User
from grants.accounts.operations.passwords import hash_password
from grants.applications.models import Application
from grants.demo.operations.seed import seed_demo
from grants.extensions import db
from grants.organisations.models import Organisation
from grants.reference.operations.seed import seed_reference
from tests.e2e.without_pages import signed_out
from tests.fixtures.factories import TEST_PASSWORD, account_settings

# A script run on every page and a handler of dialogs, which must not outlive the test.
pytestmark = pytest.mark.own_page

SCRIPT = "<script>window.hostileRan = true; alert('hostile')</script>"
IMAGE = "<img src=x onerror=\"window.hostileRan = true; alert('hostile')\">"


def _sign_in(page: Page, email: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Sign in")


def test_a_stored_script_never_runs_on_the_pages_that_show_it(page: Page, save):
    seed_reference(db.session)
    seed_demo(db.session, account_settings(), allowed=True)
    password_hash = hash_password(TEST_PASSWORD, account_settings())
    db.session.execute(update(User).values(password_hash=password_hash))
    db.session.execute(update(Organisation).values(name=Organisation.name + " " + SCRIPT + IMAGE))
    db.session.execute(update(Application).values(title=SCRIPT + " " + IMAGE))
    applications = db.session.scalars(select(Application).order_by(Application.id)).all()
    draft = next(a for a in applications if a.status.value == "draft")
    draft_id, submitted_id = draft.id, applications[-2].id
    round_id = draft.round_id
    save()

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script("window.hostileRan = false;")

    def visit(path: str) -> None:
        page.goto(path)
        expect(page.locator("body")).to_contain_text("<script>window.hostileRan")
        assert page.evaluate("window.hostileRan") is False, path

    visit("/awards")
    _sign_in(page, "applicant@example.org")
    visit(f"/applications/{draft_id}")
    signed_out(page)
    _sign_in(page, "staff@example.org")
    visit(f"/staff/applications/{submitted_id}")
    visit(f"/staff/rounds/{round_id}/applications")

    assert dialogs == []
