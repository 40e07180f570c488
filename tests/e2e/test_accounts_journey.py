"""A person registers, signs out and signs in again, in a real browser; the pages they see
have no WCAG 2.2 A or AA failures."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.story_email import path_of_latest_link_to

PASSWORD = "Quiet-Harbour-Lantern-58"


def test_a_new_applicant_registers_signs_out_and_signs_in_again(page: Page,
                                                                 check_accessibility):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_accessibility(page)

    page.get_by_role("link", name="Create an account").first.click()
    expect(page).to_have_title(re.compile(r"^Create an account — "))
    check_accessibility(page)

    # A mistake first: the error summary and the field both say what is wrong.
    page.get_by_label("Full name").fill("Morgan Volunteer")
    page.get_by_label("Email address").fill("morgan@example.org")
    page.get_by_label("Create a password").fill("password12")
    page.get_by_label("Confirm your password").fill("password12")
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_title(re.compile(r"^Error: Create an account — "))
    expect(page.get_by_role("alert")).to_contain_text("too easy to guess")
    check_accessibility(page)

    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    check_accessibility(page)
    # Registering signs nobody in (the page is the same for an address already registered);
    # the link in the email does, the first time.
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    page.goto(path_of_latest_link_to("/account/verify/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email address")
    check_accessibility(page)
    page.get_by_role("button", name="Confirm email address").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Email address confirmed")
    check_accessibility(page)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out")).to_be_visible()

    page.goto("/sign-in")
    check_accessibility(page)
    page.get_by_label("Email address").fill("MORGAN@example.org")
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a correct email address and password")
    check_accessibility(page)

    page.get_by_label("Email address").fill("MORGAN@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    check_accessibility(page)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()
