"""An applicant registers their organisation in the browser, correcting a mistake on the way;
another person asks to join it. Every page passes axe-core."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.test_pages_accessibility import sign_in


def test_an_applicant_registers_their_organisation(page: Page, check_accessibility, save,
                                                    user_factory, local_authority_factory,
                                                    county_factory):
    user_factory(email="volunteer@example.org")
    local_authority_factory(name="Reading", gss_code="E06000038",
                            county=county_factory(name="Berkshire"))
    save()

    sign_in(page, "volunteer@example.org")
    page.get_by_role("link", name="Register an organisation").click()
    check_accessibility(page)

    page.get_by_label("Organisation name").fill("Reading Street Support")
    page.get_by_label("Registered charity", exact=True).check()
    page.get_by_label("Yes, with the Charity Commission for England and Wales").check()
    page.get_by_label("Charity number").fill("12345")
    page.get_by_label("Address", exact=True).fill("Community Centre\nReading")
    page.get_by_label("Postcode").fill("rg1 2ab")
    page.get_by_label("Local authority area").select_option(label="Reading (Berkshire)")
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
    check_accessibility(page)

    page.get_by_role("link", name="Change the organisation's details").click()
    check_accessibility(page)
