"""In a real browser: an admin required to use a second factor sets it up, signs in with a
code and reads the audit log; someone who forgot their password asks for a link. Every page
has no WCAG 2.2 A or AA failures."""

import re
import time

import pyotp
import pytest
from playwright.sync_api import Page, expect

from grants.accounts.models import Role
from tests.fixtures.factories import TEST_PASSWORD

# Marked here too: tests/e2e's hook that marks browser tests runs only when that folder is
# collected.
pytestmark = [pytest.mark.e2e, pytest.mark.committing]


def test_an_admin_sets_up_a_second_factor_signs_in_with_it_and_reads_the_audit_log(
    page: Page, check_accessibility, user_factory, save, app, monkeypatch
):
    monkeypatch.setitem(app.config, "REQUIRE_TOTP_FOR_STAFF", True)
    user_factory(email="admin@example.org", name="Ada Admin", roles=[Role.ADMIN])
    save()

    page.goto("/sign-in")
    page.get_by_label("Email address").fill("admin@example.org")
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/staff/")

    expect(page).to_have_title(re.compile(r"^Set up an authenticator app — "))
    expect(page.locator("svg title")).to_have_text("QR code for your authenticator app")
    check_accessibility(page)
    secret = page.locator("#setup-key").inner_text().strip()
    page.get_by_label("Code from your authenticator app").fill("000000")
    if pyotp.TOTP(secret).verify("000000", valid_window=1):  # one chance in a million
        page.get_by_label("Code from your authenticator app").fill("999999")
    page.get_by_role("button", name="Turn on codes").click()
    expect(page).to_have_title(re.compile(r"^Error: Set up an authenticator app — "))
    check_accessibility(page)
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on codes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")

    page.get_by_role("button", name="Sign out").click()
    page.goto("/sign-in")
    page.get_by_label("Email address").fill("admin@example.org")
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title(re.compile(r"^Enter the code from your authenticator app — "))
    check_accessibility(page)
    # The code that turned the app on cannot sign in (codes are used once): the next one can.
    page.get_by_label("Code from your authenticator app").fill(
        pyotp.TOTP(secret).at(time.time() + 30))
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    expect(page.get_by_text("user.second_factor_enabled")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Who did it").fill("nobody@example.org")
    page.get_by_role("button", name="Show events").click()
    expect(page.get_by_role("alert")).to_contain_text("There is no user with that email address")
    check_accessibility(page)


def test_someone_who_forgot_their_password_asks_for_a_link(page: Page, check_accessibility):
    page.goto("/sign-in")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    check_accessibility(page)

    page.get_by_label("Email address").fill("not an email")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("alert")).to_contain_text("correct format")
    check_accessibility(page)

    page.get_by_label("Email address").fill("someone@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    check_accessibility(page)

    page.goto("/reset-password/not-a-real-token")
    expect(page.get_by_role("heading", level=1)).to_have_text("This link cannot be used")
    check_accessibility(page)
