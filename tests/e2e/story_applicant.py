"""An applicant's steps in the browser, written once for the year's story and the run without
JavaScript: create an account, confirm the email, register the organisation, and apply section
by section. Each step takes `check`, run on each new page (axe-core and the page's structure),
or None where scripts cannot be run in the page."""

import re
from collections.abc import Callable
from datetime import date, timedelta

from playwright.sync_api import Page, expect

from tests.e2e.story_checks import expect_error_summary
from tests.e2e.story_documents import DOCUMENTS, date_boxes
from tests.e2e.story_email import path_of_latest_link_to

PASSWORD = "Quiet-Harbour-Lantern-58"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
Check = Callable[[Page], None] | None


def _check(check: Check, page: Page) -> None:
    if check is not None:
        check(page)


def press(page: Page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()


def heading_is(page: Page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def sign_in(page: Page, email: str, password: str = PASSWORD, check: Check = None) -> None:
    page.goto("/sign-in")
    _check(check, page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    press(page, "Sign in")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_out(page: Page) -> None:
    press(page, "Sign out")
    expect(page.get_by_text("You have signed out")).to_be_visible()


def create_account(page: Page, name: str, email: str, check: Check = None) -> None:
    """The registration page, then the emailed link that confirms the address."""
    page.goto("/register")
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    press(page, "Create account")
    heading_is(page, "Check your email")
    _check(check, page)
    page.goto(path_of_latest_link_to("/account/verify/"))
    page.get_by_role("button", name="Confirm email address").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Email address confirmed")
    _check(check, page)


def fill_charity_details(page: Page, name: str, charity_number: str, area: str, *,
                         town: str = "Reading", postcode: str = "RG1 2AB") -> None:
    """The organisation form's details of a registered charity (not its contact)."""
    page.get_by_label("Organisation name").fill(name)
    page.get_by_label("Registered charity", exact=True).check()
    page.get_by_label("Charity number").fill(charity_number)
    page.get_by_label("Address", exact=True).fill(f"Community Centre\n{town}")
    page.get_by_label("Postcode").fill(postcode)
    page.get_by_label("Local authority area").select_option(label=area)


def register_organisation(page: Page, name: str, charity_number: str, area: str,
                          contact: str, check: Check = None) -> None:
    page.goto("/dashboard")
    page.get_by_role("link", name="Register an organisation").click()
    _check(check, page)
    fill_charity_details(page, name, charity_number, area)
    page.get_by_label("Main contact's name").fill(contact)
    page.get_by_label("Main contact's email address").fill(
        f"{contact.split()[0].lower()}.contact@example.org")
    press(page, "Register organisation")
    heading_is(page, name)
    _check(check, page)


def start_application(page: Page, round_title: str, check: Check = None) -> int:
    """From the public list of rounds to the new application's task list; its id."""
    page.goto("/rounds")
    _check(check, page)
    page.get_by_role("link", name=round_title).first.click()
    _check(check, page)
    page.get_by_role("button", name="Start an application").or_(
        page.get_by_role("link", name="Start an application")).first.click()
    _check(check, page)
    press(page, "Start application")
    heading_is(page, f"Apply to {round_title}")
    _check(check, page)
    return int(re.search(r"/applications/(\d+)", page.url).group(1))


def confirm_organisation(page: Page, check: Check = None) -> None:
    page.get_by_role("link", name="Your organisation").click()
    _check(check, page)
    page.get_by_label("Yes").check()
    press(page, "Save and continue")


def fill_date(page: Page, field: str, day: date) -> None:
    page.locator(f"#{field}-day").fill(str(day.day))
    page.locator(f"#{field}-month").fill(str(day.month))
    page.locator(f"#{field}-year").fill(str(day.year))


def describe_project(page: Page, title: str, start: date, check: Check = None) -> None:
    heading_is(page, "Your project")
    _check(check, page)
    page.get_by_label("Project title").fill(title)
    page.get_by_label("Summary").fill(f"{title}: volunteers help people in need locally.")
    page.get_by_label("Project description").fill(f"{title}, three times a week for a year.")
    fill_date(page, "planned_start", start)
    fill_date(page, "planned_end", start + timedelta(days=300))
    press(page, "Save and continue")


def choose_priorities(page: Page, priority: str, key_aim: str, check: Check = None) -> None:
    heading_is(page, "Priorities and key aims")
    _check(check, page)
    page.get_by_role("radio", name=priority).check()
    page.get_by_label(re.compile(re.escape(key_aim))).check()
    press(page, "Save and continue")


def choose_areas(page: Page, area: str, check: Check = None) -> None:
    heading_is(page, "Areas served")
    _check(check, page)
    page.get_by_label("Particular local authority areas").check()
    page.get_by_label(area).check()
    press(page, "Save and continue")


def give_budget(page: Page, pounds: int, check: Check = None) -> None:
    heading_is(page, "Budget")
    _check(check, page)
    page.locator("#line_1_description").fill("Volunteer expenses")
    page.locator("#line_1_amount").fill(f"{pounds - 500:,}")
    page.locator("#line_2_description").fill("Equipment")
    page.locator("#line_2_amount").fill("500")
    page.get_by_label("How much are you asking for?").fill(f"£{pounds:,}")
    page.get_by_label("What is the total cost of the project?").fill(str(pounds))
    press(page, "Save and continue")


def describe_outcomes(page: Page, check: Check = None) -> None:
    heading_is(page, "Outcomes and beneficiaries")
    _check(check, page)
    page.get_by_label("What will change because of your project?").fill(
        "Fewer people are harmed in our area.")
    page.get_by_label("How many people will benefit?").fill("120")
    page.get_by_label("Who will benefit?").fill("People at risk of harm.")
    press(page, "Save and continue")


def upload_documents(page: Page, check: Check = None, *, mistake_first: bool = False,
                     scripts: bool = True) -> None:
    """Choose the three documents at once, each with its date, and save them."""
    heading_is(page, "Documents")
    _check(check, page)
    if mistake_first:
        # A file that is not a PDF, and no date: both refused, said clearly.
        page.get_by_label("Upload your safeguarding policy").set_input_files(
            {"name": "policy.pdf", "mimeType": "application/pdf", "buffer": b"not a pdf"})
        press(page, "Save and continue")
        expect_error_summary(page, "The selected file is not a real PDF file",
                             focused=scripts)
        expect_error_summary(page, "Enter the date your safeguarding policy was last reviewed",
                             focused=scripts)
        _check(check, page)
    for kind, label, name in DOCUMENTS:
        page.get_by_label(label).set_input_files(
            {"name": name, "mimeType": "application/pdf", "buffer": PDF})
        for box, value in date_boxes(page, kind):
            box.fill(str(value))
    press(page, "Save and continue")


def sign_declaration(page: Page, position: str, check: Check = None) -> None:
    heading_is(page, "Declaration")
    _check(check, page)
    for box in page.get_by_role("checkbox").all():
        box.check()
    page.get_by_label("Your position in the organisation").fill(position)
    press(page, "Save and continue")


def check_answers_and_send(page: Page, title: str, check: Check = None, *,
                           sections: int = 8) -> str:
    """The task list complete (`sections`: 8, and one more for each section of the round's
    own questions), the answers checked and sent: the application's reference."""
    expect(page.get_by_text(f"You have completed {sections} of {sections} sections.")) \
        .to_be_visible()
    _check(check, page)
    page.get_by_role("link", name="Check your answers").click()
    expect(page.get_by_text(title).first).to_be_visible()
    _check(check, page)
    press(page, "Accept and send")
    heading_is(page, "Application sent")
    _check(check, page)
    return page.locator(".govuk-panel strong").text_content().strip()
