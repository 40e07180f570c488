"""The applicant's whole journey in a browser, on a phone: create an account,
confirm the email, register the organisation, apply to an open round section by section
(leaving and coming back), upload the documents, check the answers and send. Every page of
the journey, including those showing errors, passes axe-core at WCAG 2.2 AA at a phone's
width and a desktop's."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from grants.extensions import db
from grants.funds.models import RoundOrganisationType
from grants.organisations.models import OrganisationType
from grants.records.models import OutboxMessage
from tests.e2e.story_checks import VIEWPORTS
from tests.e2e.story_documents import DOCUMENTS, date_boxes

# Driven on a phone; each page is checked with axe at a desktop's width too.
pytestmark = pytest.mark.both_widths

PASSWORD = "Quiet-Harbour-Lantern-58"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def open_round(round_factory, priority_factory, key_aim_factory, local_authority_factory,
               county_factory, save):
    now = datetime.now(UTC)
    priority = priority_factory(code="P1", number=1, title="Vulnerability")
    key_aim = key_aim_factory(priority=priority, number=1,
                              text="Better identification of hidden abuse.")
    round_ = round_factory(
        code="PPAF-2026-2", title="PPAF 2026/27 Round 2",
        opens_at=now - timedelta(days=7), closes_at=now + timedelta(days=28),
        launched_at=now - timedelta(days=20), min_award_pence=100_000,
        max_award_pence=1_000_000, guidance="Projects that keep vulnerable people safe.",
    )
    round_.priorities.append(priority)
    round_.key_aims.append(key_aim)
    round_.organisation_type_rows = [
        RoundOrganisationType(organisation_type=OrganisationType.REGISTERED_CHARITY)]
    local_authority_factory(name="Reading", gss_code="E06000038",
                            official_name="Reading Borough Council",
                            county=county_factory(name="Berkshire"))
    project_start = (round_.closes_at + timedelta(days=30)).date()
    save()
    return project_start


def path_of_latest_link_to(path_part: str) -> str:
    """The path of the link in the newest queued email, e.g. the email confirmation link."""
    message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    db.session.close()
    return re.search(rf"https?://[^/\s]+({path_part}\S+)", message.body_text).group(1)


def press(page: Page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()


def test_an_applicant_goes_from_a_new_account_to_a_sent_application(
    viewport, browser: Browser, live_server, check_accessibility, open_round
):
    project_start = open_round
    context = browser.new_context(base_url=live_server, viewport=VIEWPORTS[viewport])
    page = context.new_page()

    # An account, its email confirmed through the emailed link.
    page.goto("/register")
    page.get_by_label("Full name").fill("Morgan Volunteer")
    page.get_by_label("Email address").fill(f"morgan.{viewport}@example.org")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    press(page, "Create account")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    page.goto(path_of_latest_link_to("/account/verify/"))
    page.get_by_role("button", name="Confirm email address").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Email address confirmed")
    check_accessibility(page)

    # The organisation.
    page.goto("/dashboard")
    page.get_by_role("link", name="Register an organisation").click()
    page.get_by_label("Organisation name").fill(f"Reading Street Support {viewport}")
    page.get_by_label("Registered charity", exact=True).check()
    page.get_by_label("Charity number").fill("1180001" if viewport == "phone" else "1180002")
    page.get_by_label("Address", exact=True).fill("Community Centre\nReading")
    page.get_by_label("Postcode").fill("RG1 2AB")
    page.get_by_label("Local authority area").select_option(label="Reading Borough Council")
    page.get_by_label("Main contact's name").fill("Morgan Volunteer")
    page.get_by_label("Main contact's email address").fill("morgan@example.org")
    press(page, "Register organisation")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Reading Street Support {viewport}")

    # The round, and the application's task list.
    page.goto("/rounds")
    check_accessibility(page)
    page.get_by_role("link", name=re.compile(r"PPAF 2026.27 Round 2")).first.click()
    check_accessibility(page)
    page.get_by_role("button", name="Start an application").or_(
        page.get_by_role("link", name="Start an application")).first.click()
    check_accessibility(page)
    press(page, "Start application")
    expect(page.get_by_role("heading", level=1)).to_have_text("Apply to PPAF 2026/27 Round 2")
    check_accessibility(page)

    page.get_by_role("link", name="Your organisation").click()
    page.get_by_label("Yes").check()
    press(page, "Save and continue")

    # The project, with a mistake first; then left half done and picked up again.
    expect(page.get_by_role("heading", level=1)).to_have_text("Your project")
    page.get_by_label("Project title").fill("Night shelter outreach")
    page.get_by_label("Summary").fill("word " * 101)
    press(page, "Save and continue")
    expect(page).to_have_title(re.compile("^Error: Your project"))
    expect(page.get_by_role("alert")).to_contain_text("100 words or fewer")
    check_accessibility(page)
    press(page, "Save and come back later")
    expect(page.get_by_text("In progress")).to_be_visible()
    page.get_by_role("link", name="Your project").click()
    expect(page.get_by_label("Project title")).to_have_value("Night shelter outreach")
    page.get_by_label("Summary").fill("Volunteers meet people sleeping rough and link them to "
                                      "support.")
    page.get_by_label("Project description").fill("Outreach three nights a week.")
    for field, day in (("planned_start", project_start),
                       ("planned_end", project_start + timedelta(days=300))):
        page.locator(f"#{field}-day").fill(str(day.day))
        page.locator(f"#{field}-month").fill(str(day.month))
        page.locator(f"#{field}-year").fill(str(day.year))
    press(page, "Save and continue")

    expect(page.get_by_role("heading", level=1)).to_have_text("Priorities and key aims")
    check_accessibility(page)
    page.get_by_label("P1 Vulnerability").first.check()
    page.get_by_label(re.compile("P1.1")).check()
    press(page, "Save and continue")

    expect(page.get_by_role("heading", level=1)).to_have_text("Areas served")
    check_accessibility(page)
    page.get_by_label("Particular local authority areas").check()
    page.get_by_label("Reading Borough Council").check()
    press(page, "Save and continue")

    expect(page.get_by_role("heading", level=1)).to_have_text("Budget")
    check_accessibility(page)
    page.locator("#line_1_description").fill("Volunteer expenses")
    page.locator("#line_1_amount").fill("3,000")
    page.locator("#line_2_description").fill("Sleeping bags")
    page.locator("#line_2_amount").fill("2000")
    page.get_by_label("How much are you asking for?").fill("£5,000")
    page.get_by_label("What is the total cost of the project?").fill("5000")
    press(page, "Save and continue")

    expect(page.get_by_role("heading", level=1)).to_have_text("Outcomes and beneficiaries")
    check_accessibility(page)
    page.get_by_label("What will change because of your project?").fill(
        "Fewer people sleep rough in Reading.")
    page.get_by_label("How many people will benefit?").fill("120")
    page.get_by_label("Who will benefit?").fill("People sleeping rough.")
    press(page, "Save and continue")

    # The documents: a wrong file first, then the three right ones chosen at once.
    expect(page.get_by_role("heading", level=1)).to_have_text("Documents")
    check_accessibility(page)
    page.get_by_label("Upload your safeguarding policy").set_input_files(
        {"name": "policy.pdf", "mimeType": "application/pdf", "buffer": b"not a pdf"})
    press(page, "Save and continue")
    expect(page).to_have_title(re.compile("^Error: Documents"))
    check_accessibility(page)
    for kind, label, name in DOCUMENTS:
        page.get_by_label(label).set_input_files(
            {"name": name, "mimeType": "application/pdf", "buffer": PDF})
        for box, value in date_boxes(page, kind):
            box.fill(str(value))
    press(page, "Save and continue")

    expect(page.get_by_role("heading", level=1)).to_have_text("Declaration")
    check_accessibility(page)
    for box in page.get_by_role("checkbox").all():
        box.check()
    page.get_by_label("Your position in the organisation").fill("Chair of trustees")
    press(page, "Save and continue")

    # Check and send.
    expect(page.get_by_text("You have completed 8 of 8 sections.")).to_be_visible()
    page.get_by_role("link", name="Check your answers").click()
    expect(page.get_by_text("Night shelter outreach")).to_be_visible()
    check_accessibility(page)
    press(page, "Accept and send")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Application sent")
    expect(page.get_by_text(re.compile(r"PPAF-2026-2-\d{4}"))).to_be_visible()
    check_accessibility(page)

    page.goto("/dashboard")
    expect(page.get_by_text("Submitted").first).to_be_visible()
    check_accessibility(page)
    context.close()
