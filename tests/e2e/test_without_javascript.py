"""With JavaScript turned off in the browser, an applicant still creates an account, registers
their organisation, fills in every section of an application, checks the answers and sends it:
every step is a plain link or form."""

from playwright.sync_api import Browser, expect

from tests.e2e.story_applicant import (
    check_answers_and_send,
    choose_areas,
    choose_priorities,
    confirm_organisation,
    create_account,
    describe_outcomes,
    describe_project,
    give_budget,
    register_organisation,
    sign_declaration,
    sign_in,
    sign_out,
    start_application,
    upload_documents,
)
from tests.e2e.story_data import AREA, open_round


def test_an_applicant_applies_from_start_to_finish_with_javascript_turned_off(
        browser: Browser, live_server, save):
    round_ = open_round()
    save()
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()

    create_account(page, "Noor Script", "noor@example.org")
    register_organisation(page, "Slough Night Watch", "1180009", AREA, "Noor Script")
    sign_out(page)
    sign_in(page, "noor@example.org")

    start_application(page, round_.title)
    # No script of the page ran: the body never gained the class GOV.UK's script adds.
    expect(page.locator("body.js-enabled")).to_have_count(0)
    confirm_organisation(page)
    describe_project(page, "Evening patrol support", round_.project_start)
    choose_priorities(page, "P1 Vulnerability", "P1.1")
    choose_areas(page, AREA)
    give_budget(page, 4_000)
    describe_outcomes(page)
    upload_documents(page, mistake_first=True, scripts=False)
    sign_declaration(page, "Secretary")
    reference = check_answers_and_send(page, "Evening patrol support")

    assert reference == "PPAF-2026-2-0001"
    page.goto("/dashboard")
    expect(page.get_by_text("Submitted").first).to_be_visible()
    context.close()
