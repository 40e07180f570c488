"""Every page of the foundation, public and signed in, passes axe-core at WCAG 2.2 A and AA."""

import pytest
from playwright.sync_api import Page, expect

from grants.accounts.models import Role
from tests.fixtures.factories import TEST_PASSWORD


@pytest.mark.parametrize("path,heading", [
    ("/accessibility", "Accessibility statement"),
    ("/privacy", "Privacy notice"),
    ("/no-such-page", "Page not found"),
])
def test_public_pages_are_accessible(page: Page, check_accessibility, path, heading):
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    check_accessibility(page)


def sign_in(page: Page, email: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_signed_in_pages_are_accessible(page: Page, check_accessibility, save, user_factory,
                                        organisation_factory, membership_factory,
                                        round_factory, application_factory):
    user_factory(roles=[Role.ADMIN], email="admin@example.org")
    applicant = user_factory(roles=[Role.APPLICANT], email="applicant@example.org")
    user_factory(roles=[Role.APPLICANT], email="unconfirmed@example.org", email_verified_at=None)
    organisation = organisation_factory(name="Reading Street Support")
    organisation_id = organisation.id
    membership_factory(user=applicant, organisation=organisation)
    application_factory(organisation=organisation, round=round_factory(),
                        title="Night shelter outreach")
    save()

    sign_in(page, "admin@example.org")
    for path, heading in [
        ("/staff/", "Rounds dashboard"),
        ("/staff/users", "People"),
        ("/organisations", "Organisations"),
        (f"/organisations/{organisation_id}", "Reading Street Support"),
        ("/account", "Your account"),
        ("/account/password", "Change your password"),
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        check_accessibility(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "applicant@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    expect(page.get_by_text("Night shelter outreach")).to_be_visible()
    check_accessibility(page)
    page.goto("/organisations")
    check_accessibility(page)
    page.get_by_role("button", name="Sign out").click()

    # Someone who has not confirmed their address is kept to their account page.
    sign_in(page, "unconfirmed@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.get_by_text("Confirm your email address first")).to_be_visible()
    check_accessibility(page)
