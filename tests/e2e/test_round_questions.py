"""In the browser, on a phone (390 by 844): staff add a section of
the round's own questions and a question to it, and an applicant finds the section in their
task list and answers it, each page (errors included) passing axe-core at that width and a
desktop's (1280 by 900)."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from grants.accounts.models import Role
from tests.e2e.story_checks import VIEWPORTS
from tests.e2e.test_pages_accessibility import sign_in

# Driven on a phone; each page is checked with axe at a desktop's width too.
pytestmark = pytest.mark.both_widths


def _page(browser: Browser, live_server: str, viewport: str) -> Page:
    return browser.new_context(base_url=live_server, viewport=VIEWPORTS[viewport]).new_page()


def test_staff_add_a_question_and_an_applicant_answers_it(
    viewport, browser: Browser, live_server, check_accessibility, save, user_factory,
    organisation_factory, membership_factory, round_factory, application_factory,
):
    now = datetime.now(UTC)
    round_ = round_factory(title="Safer streets", opens_at=now - timedelta(days=7),
                           closes_at=now + timedelta(days=28),
                           launched_at=now - timedelta(days=20))
    user_factory(roles=[Role.STAFF], email="officer@example.org")
    applicant = user_factory(roles=[Role.APPLICANT], email="questions@example.org")
    organisation = organisation_factory(name="Reading Street Support")
    membership_factory(user=applicant, organisation=organisation)
    application_id = application_factory(round=round_, organisation=organisation,
                                         created_by=applicant).id
    round_id = round_.id
    save()

    staff = _page(browser, live_server, viewport)
    sign_in(staff, "officer@example.org")
    staff.goto(f"/staff/rounds/{round_id}")
    staff.get_by_role("link", name="Add a section of questions").click()
    check_accessibility(staff)
    staff.get_by_label("Section name").fill("Safeguarding")
    staff.get_by_role("button", name="Save section").click()
    staff.get_by_role("link", name="Add a question to Safeguarding").click()
    staff.get_by_role("button", name="Save question").click()
    expect(staff.get_by_role("heading", level=2, name="There is a problem")).to_be_visible()
    check_accessibility(staff)
    staff.get_by_label("Question", exact=True).fill("Does your organisation work with children?")
    staff.get_by_label("Yes or no").check()
    staff.get_by_role("button", name="Save question").click()
    expect(staff.get_by_role("cell", name="Does your organisation work with children?",
                              exact=True)) \
        .to_be_visible()
    check_accessibility(staff)

    applicant_page = _page(browser, live_server, viewport)
    sign_in(applicant_page, "questions@example.org")
    applicant_page.goto(f"/applications/{application_id}")
    applicant_page.get_by_role("link", name="Safeguarding").click()
    expect(applicant_page.get_by_role("heading", level=1)).to_have_text("Safeguarding")
    check_accessibility(applicant_page)
    applicant_page.get_by_role("button", name="Save and continue").click()
    expect(applicant_page.get_by_role("link", name="Select yes or no for: Does your "
                                                   "organisation work with children?")) \
        .to_be_visible()
    check_accessibility(applicant_page)
    applicant_page.get_by_label("Yes").check()
    applicant_page.get_by_role("button", name="Save and continue").click()
    expect(applicant_page.get_by_role("heading", level=1)).not_to_have_text("Safeguarding")
    applicant_page.goto(f"/applications/{application_id}")
    expect(applicant_page.locator("#section-7-status")).to_have_text("Completed")
