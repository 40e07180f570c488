"""An applicant registers their organisation in the browser, correcting a mistake on the way;
another person asks to join one by its number, and a member invites someone who joins. Every
page passes axe-core (the registration form as first shown and the organisation's page are
checked at this width by the year story, test_year_story.py)."""

import re

from playwright.sync_api import Page, expect

from grants.organisations.models import CharityRegulator
from tests.e2e.story_applicant import fill_charity_details
from tests.e2e.story_email import path_of_latest_link_to
from tests.e2e.without_pages import sign_in_without_pages, signed_out
from tests.fixtures.factories import TEST_PASSWORD


def test_an_applicant_registers_their_organisation(page: Page, check_accessibility, save,
                                                    user_factory, local_authority_factory,
                                                    county_factory):
    user_factory(email="volunteer@example.org")
    local_authority_factory(name="Reading", gss_code="E06000038",
                            official_name="Reading Borough Council",
                            county=county_factory(name="Berkshire"))
    save()

    sign_in_without_pages(page, "volunteer@example.org")
    page.goto("/organisations/new")

    fill_charity_details(page, "Reading Street Support", "12345", "Reading Borough Council",
                         postcode="rg1 2ab")
    page.get_by_label("Main contact's name").fill("Jo Patel")
    page.get_by_label("Main contact's email address").fill("jo@example.org")
    page.get_by_role("button", name="Register organisation").click()

    expect(page).to_have_title(re.compile(r"^Error: Register your organisation"))
    expect(page.get_by_role("alert")).to_contain_text("6 or 7 digits")
    expect(page.get_by_label("Postcode")).to_have_value("rg1 2ab")
    check_accessibility(page)

    page.get_by_label("Charity number").fill("1180001")
    page.get_by_role("button", name="Register organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reading Street Support")
    expect(page.get_by_text("GB-CHC-1180001")).to_be_visible()
    expect(page.get_by_text("RG1 2AB")).to_be_visible()

    page.get_by_role("link", name="Change the organisation's details").click()
    check_accessibility(page)


def test_a_newcomer_asks_to_join_by_number_and_a_member_invites_someone(
        page: Page, check_accessibility, save, user_factory, organisation_factory,
        membership_factory, local_authority_factory, county_factory):
    local_authority_factory(name="Reading", gss_code="E06000038",
                            official_name="Reading Borough Council",
                            county=county_factory(name="Berkshire"))
    organisation = organisation_factory(name="Reading Street Support",
                                        charity_regulator=CharityRegulator.CCEW,
                                        charity_number="1180001")
    membership_factory(user=user_factory(email="jo@example.org"), organisation=organisation)
    organisation_id = organisation.id
    user_factory(email="sam@example.org")
    user_factory(email="nia@example.org")
    save()

    # Sam registers an organisation already registered: the page does not name it, and asks
    # to join it by its number.
    sign_in_without_pages(page, "sam@example.org")
    page.goto("/organisations/new")
    page.get_by_label("Organisation name").fill("Reading Street Support")
    page.get_by_label("Registered charity", exact=True).check()
    page.get_by_label("Charity number").fill("1180001")
    page.get_by_label("Address", exact=True).fill("Community Centre\nReading")
    page.get_by_label("Postcode").fill("RG1 2AB")
    page.get_by_label("Local authority area").select_option(label="Reading Borough Council")
    page.get_by_label("Main contact's name").fill("Sam Patel")
    page.get_by_label("Main contact's email address").fill("sam@example.org")
    page.get_by_role("button", name="Register organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "This organisation is already registered")
    expect(page.get_by_text("Reading Street Support")).to_have_count(0)
    check_accessibility(page)
    page.get_by_role("button", name="Ask to join it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    check_accessibility(page)

    # The form to ask to join (linked from the dashboard: tests/organisations/test_joining.py)
    # says what is wrong with a number.
    page.goto("/organisations/join")
    page.get_by_label("Company number, registered at Companies House").check()
    page.get_by_label("The organisation's number").fill("123")
    page.get_by_role("button", name="Ask to join").click()
    expect(page).to_have_title(re.compile(r"^Error: Ask to join an organisation"))
    expect(page.get_by_role("alert")).to_contain_text("8 characters")
    check_accessibility(page)
    signed_out(page)  # Sam

    # Jo, a member, invites Nia from the organisation's page.
    sign_in_without_pages(page, "jo@example.org")
    page.goto(f"/organisations/{organisation_id}")
    page.get_by_role("link", name="Invite someone to join").click()
    check_accessibility(page)
    page.get_by_label("Email address of the person to invite").fill("nia@example.org")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("We have sent an invitation to nia@example.org")).to_be_visible()
    signed_out(page)  # Jo

    # Nia opens the emailed link, signs in, and joins.
    invitation = path_of_latest_link_to("/organisations/invitations/")
    page.goto(invitation)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sign in to accept your invitation")
    check_accessibility(page)
    page.locator("main").get_by_role("button", name="Sign in").click()
    page.get_by_label("Email address").fill("nia@example.org")
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Reading Street Support")
    check_accessibility(page)
    page.get_by_role("button", name="Join Reading Street Support").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reading Street Support")
    expect(page.get_by_text("You are now a member of Reading Street Support")).to_be_visible()

    # The link works once.
    page.goto(invitation)
    expect(page.get_by_role("heading", level=1)).to_have_text("This invitation cannot be used")
    check_accessibility(page)
