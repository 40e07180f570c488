"""A round's "Check if you can apply" in a real browser, on a phone (390 by 844): every page
passes axe-core at that width and a desktop's (1280 by 900), a bad answer shows the error
summary, "You cannot apply" names the reason, and the keyboard alone (Tab, Enter, Space, arrow
keys) goes through it all to "You can apply"; without JavaScript it works too; staff add the
round's own question on a page that passes axe too."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from grants.accounts.models import Role
from grants.funds.models import CheckQuestion, RoundOrganisationType
from grants.organisations.models import OrganisationType
from tests.e2e.story_checks import VIEWPORTS
from tests.e2e.test_keyboard import Keyboard
from tests.e2e.without_pages import sign_in_without_pages

# Driven on a phone; each page is checked with axe at a desktop's width too.
pytestmark = pytest.mark.both_widths

CODE = "E2E-CHECK-1"
QUESTION = "Has your organisation been operating for at least 12 months?"


def _round(round_factory, priority_factory, local_authority_factory, county_factory):
    now = datetime.now(UTC)
    priority = priority_factory(title="Protecting vulnerable people")
    round_ = round_factory(code=CODE, title="Safer streets", opens_at=now - timedelta(days=7),
                           closes_at=now + timedelta(days=20), launched_at=now - timedelta(days=8),
                           min_award_pence=100_000, max_award_pence=500_000)
    round_.priorities.append(priority)
    round_.organisation_type_rows = [
        RoundOrganisationType(organisation_type=OrganisationType.REGISTERED_CHARITY)]
    round_.check_questions.append(CheckQuestion(
        position=1, text=QUESTION, needed_answer=True,
        reason="it funds organisations that have been operating for at least 12 months"))
    local_authority_factory(name="Reading", official_name="Reading Borough Council",
                            gss_code="E06000038", county=county_factory(name="Berkshire"))
    return round_


def _page(browser: Browser, live_server: str, viewport: str, *, scripts: bool = True) -> Page:
    context = browser.new_context(base_url=live_server, viewport=VIEWPORTS[viewport],
                                  java_script_enabled=scripts)
    return context.new_page()


def _heading(page: Page):
    return page.get_by_role("heading", level=1)


def _continue(page: Page) -> None:
    page.get_by_role("button", name="Continue").click()


def _retype(keys: Keyboard, field, text: str) -> None:
    """Tab to a text box, select what it says and type over it."""
    keys.tab_to(field)
    field.page.keyboard.press("Control+A")
    field.page.keyboard.type(text)


def test_the_check_passes_axe_and_names_why_someone_cannot_apply(
    viewport, browser: Browser, live_server, check_accessibility, save, round_factory,
    priority_factory, local_authority_factory, county_factory,
):
    """Driven by the keyboard alone, from the check's first page to "You can apply"."""
    _round(round_factory, priority_factory, local_authority_factory, county_factory)
    save()
    page = _page(browser, live_server, viewport)
    keys = Keyboard(page)
    answers = page.locator("input[name=answer]")

    def continue_() -> None:
        keys.activate(page.get_by_role("button", name="Continue"))

    # The round's page links here (tests/rounds/test_eligibility_check.py).
    page.goto(f"/rounds/{CODE}/check")
    expect(_heading(page)).to_contain_text("Check if you can apply")
    check_accessibility(page)
    keys.activate(page.get_by_role("button", name="Start now"))

    expect(_heading(page)).to_have_text("What type of organisation are you applying for?")
    continue_()  # nothing chosen
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select the type of organisation you are applying for")
    check_accessibility(page)
    keys.choose(answers, page.get_by_label("Registered charity", exact=True))
    continue_()

    expect(_heading(page)).to_have_text("Where will the work happen?")
    check_accessibility(page)
    keys.choose(answers, page.get_by_label("In particular areas of Thames Valley"))
    continue_()
    expect(_heading(page)).to_have_text("Which local authority areas will the work happen in?")
    check_accessibility(page)
    keys.tick(page.get_by_label("Reading Borough Council"))
    continue_()

    expect(_heading(page)).to_have_text("How much will you ask for?")
    keys.type_into(page.get_by_label("How much will you ask for?"), "a lot")
    continue_()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter an amount in pounds")
    check_accessibility(page)
    _retype(keys, page.get_by_label("How much will you ask for?"), "£9,000")
    continue_()

    expect(_heading(page)).to_have_text("What will the grant be for?")
    check_accessibility(page)
    keys.choose(answers, page.get_by_label("Protecting vulnerable people"))
    continue_()
    expect(_heading(page)).to_have_text(QUESTION)
    check_accessibility(page)
    keys.choose(answers, page.get_by_label("Yes"))
    continue_()

    expect(_heading(page)).to_have_text("You cannot apply to this round")
    expect(page.locator("#reasons")).to_have_text(
        "you would ask for £9,000, and it gives grants of up to £5,000")
    check_accessibility(page)
    keys.activate(page.get_by_role("link", name="Change how much will you ask for?"))
    _retype(keys, page.get_by_label("How much will you ask for?"), "£4,000")
    continue_()
    expect(_heading(page)).to_have_text("You can apply")
    check_accessibility(page)
    keys.tab_to(page.get_by_role("button", name="Start an application").or_(
        page.get_by_role("link", name="Start an application")).first)
    page.context.close()


def test_the_check_works_without_javascript(
    browser: Browser, live_server, save, round_factory, priority_factory,
    local_authority_factory, county_factory,
):
    _round(round_factory, priority_factory, local_authority_factory, county_factory)
    save()
    page = _page(browser, live_server, "phone", scripts=False)

    # "Start now" is a link (the keyboard follows it in the first test): straight to its page.
    page.goto(f"/rounds/{CODE}/check/organisation-type")
    for label in ("Registered charity", "In particular areas of Thames Valley",
                  "Reading Borough Council"):
        page.get_by_label(label, exact=True).check()
        _continue(page)
    page.get_by_label("How much will you ask for?").fill("3000")
    _continue(page)
    page.get_by_label("Protecting vulnerable people").check()
    _continue(page)
    page.get_by_label("No").check()
    _continue(page)

    expect(_heading(page)).to_have_text("You cannot apply to this round")
    expect(page.locator("#reasons")).to_have_text(
        "it funds organisations that have been operating for at least 12 months")
    page.context.close()


def test_staff_add_a_question_to_the_check_on_a_page_that_passes_axe(
    viewport, browser: Browser, live_server, check_accessibility, save, round_factory,
    user_factory,
):
    now = datetime.now(UTC)
    round_ = round_factory(code="E2E-DRAFT-1", opens_at=now + timedelta(days=7),
                           closes_at=now + timedelta(days=30))
    round_id = round_.id
    user_factory(roles=[Role.STAFF], email="officer@example.org")
    save()
    page = _page(browser, live_server, viewport)

    sign_in_without_pages(page, "officer@example.org")
    page.goto(f"/staff/rounds/{round_id}/check-questions/new")
    check_accessibility(page)
    page.get_by_role("button", name="Save question").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the question")
    check_accessibility(page)
    page.get_by_label("Question", exact=True).fill(QUESTION)
    page.get_by_label("Yes").check()
    page.get_by_label("Reason shown to someone who gives the other answer").fill(
        "it funds organisations that have been operating for at least 12 months")
    page.get_by_role("button", name="Save question").click()
    expect(page.locator("#check_questions ~ table").first).to_contain_text(QUESTION)
    check_accessibility(page)
    page.context.close()
