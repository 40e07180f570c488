"""With JavaScript turned off in the browser, an applicant still registers their organisation,
answers every kind of question in an application, checks the answers and sends it: every step
is a plain link or form. Each kind of control is driven at least once (text boxes, a drop-down
list, radios, boxes to tick, boxes revealed by a radio, date fields, file boxes and the error
summary). The account is made directly and the application started through the service (its
pages are links and a button, as the organisation's form is); the sections that ask nothing
new (the organisation's details, the budget and the outcomes) are answered without their
pages; the dashboard's "Submitted" is tests/applications/test_submission.py's."""

from playwright.sync_api import Browser, expect
from sqlalchemy import select

from grants.accounts.models import User
from grants.applications.operations.starting import start_application
from grants.extensions import db
from grants.funds.models import Round
from grants.organisations.models import Organisation
from tests.e2e.story_applicant import (
    check_answers_and_send,
    choose_areas,
    choose_priorities,
    describe_project,
    fill_charity_details,
    heading_is,
    press,
    sign_declaration,
    upload_documents,
)
from tests.e2e.story_data import (
    AREA,
    OWN_SECTION,
    POLICIES,
    POLICY_CHOICES,
    WORKS_WITH_CHILDREN,
    open_round,
)
from tests.e2e.without_pages import answer_section_without_pages, sign_in_without_pages


def test_an_applicant_applies_from_start_to_finish_with_javascript_turned_off(
        browser: Browser, live_server, save, user_factory):
    round_ = open_round(own_questions=True)
    user_factory(name="Noor Script", email="noor@example.org")
    save()
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()

    sign_in_without_pages(page, "noor@example.org")
    page.goto("/organisations/new")
    fill_charity_details(page, "Slough Night Watch", "1180009", AREA, town="Slough",
                         postcode="SL1 1AA")
    press(page, "Register organisation")
    heading_is(page, "Slough Night Watch")
    application_id = started(round_.title, "noor@example.org", "Slough Night Watch")
    page.goto(f"/applications/{application_id}")
    # No script of the page ran: the body never gained the classes GOV.UK's scripts add.
    expect(page.locator("body.js-enabled")).to_have_count(0)
    expect(page.locator("body.govuk-frontend-supported")).to_have_count(0)

    answer_section_without_pages(page, application_id, "organisation",
                                 {"details_correct": "yes"})
    page.get_by_role("link", name="Your project").click()
    describe_project(page, "Evening patrol support", round_.project_start)
    choose_priorities(page, "P1 Vulnerability", "P1.1")
    # The councils show only under "Particular local authority areas", without a script.
    expect(page.get_by_label(AREA)).to_be_hidden()
    page.get_by_label("Particular local authority areas").check()
    expect(page.get_by_label(AREA)).to_be_visible()
    choose_areas(page, AREA)

    expect(page.get_by_role("heading", level=1)).to_have_text("Budget")
    answer_section_without_pages(page, application_id, "budget", {
        "line_1_description": "Volunteer expenses", "line_1_amount": "3,500",
        "line_2_description": "Equipment", "line_2_amount": "500",
        "amount_requested": "£4,000", "total_cost": "4000"})
    answer_section_without_pages(page, application_id, "outcomes", {
        "outcomes": "Fewer people are harmed in our area.", "beneficiaries_count": "120",
        "beneficiary_groups": "People at risk of harm."})
    # The round's own questions, from the task list: radios and boxes to tick, with a
    # mistake first.
    page.goto(f"/applications/{application_id}")
    page.get_by_role("link", name=OWN_SECTION).click()
    heading_is(page, OWN_SECTION)
    press(page, "Save and continue")
    expect(page.locator(".govuk-error-summary")).to_contain_text(WORKS_WITH_CHILDREN)
    page.get_by_role("group", name=WORKS_WITH_CHILDREN).get_by_label("No", exact=True).check()
    page.get_by_role("group", name=POLICIES).get_by_label(POLICY_CHOICES[0]).check()
    press(page, "Save and continue")
    heading_is(page, "Documents")
    upload_documents(page, mistake_first=True, scripts=False)
    sign_declaration(page, "Secretary")
    reference = check_answers_and_send(page, "Evening patrol support", sections=9)

    assert reference == "PPAF-2026-2-0001"
    context.close()


def started(round_title: str, email: str, organisation_name: str) -> int:
    """The organisation's application to the round, started by the person; its id."""
    application, _ = start_application(
        db.session, db.session.scalar(select(User).where(User.email == email)),
        db.session.scalar(select(Round).where(Round.title == round_title)),
        db.session.scalar(select(Organisation).where(Organisation.name == organisation_name)))
    application_id = application.id
    db.session.commit()
    db.session.close()
    return application_id
