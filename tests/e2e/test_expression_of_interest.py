"""In the browser, on a phone (390 by 844): staff give a draft round an expression-of-interest
stage; an applicant sends an expression of interest to a round that has one; staff invite it;
the applicant starts the full application from its answers. Each new page, errors included,
passes axe-core."""

from datetime import UTC, datetime, timedelta

from playwright.sync_api import Browser, Page, expect

from grants.accounts.models import Role
from grants.funds.models import QuestionKind, QuestionSection, RoundOrganisationType, RoundQuestion
from grants.organisations.models import OrganisationType
from tests.e2e.story_checks import VIEWPORTS
from tests.e2e.test_pages_accessibility import sign_in


def _page(browser: Browser, live_server: str, viewport: str) -> Page:
    return browser.new_context(base_url=live_server, viewport=VIEWPORTS[viewport]).new_page()


def _round(round_factory, **values):
    round_ = round_factory(**values)
    round_.organisation_type_rows = [
        RoundOrganisationType(organisation_type=OrganisationType.COMMUNITY_GROUP)]
    return round_


def test_a_round_s_expression_of_interest_from_set_up_to_the_full_application(
    viewport, browser: Browser, live_server, check_accessibility, save, user_factory,
    organisation_factory, membership_factory, round_factory,
):
    now = datetime.now(UTC)
    draft = _round(round_factory, title="A draft round", opens_at=now + timedelta(days=7),
                   closes_at=now + timedelta(days=40))
    staged = _round(round_factory, title="Safer streets", opens_at=now - timedelta(days=3),
                    closes_at=now + timedelta(days=40), launched_at=now - timedelta(days=10),
                    interest_closes_at=now + timedelta(days=10))
    staged.question_sections = [QuestionSection(position=1, title="Your idea", in_interest=True,
                                                questions=[RoundQuestion(
                                                    position=1, kind=QuestionKind.YES_NO,
                                                    wording="Have you worked with the police?")])]
    user_factory(roles=[Role.STAFF], email="officer@example.org")
    applicant = user_factory(roles=[Role.APPLICANT], email="interest@example.org")
    membership_factory(user=applicant, organisation=organisation_factory(
        name="Reading Street Support", organisation_type=OrganisationType.COMMUNITY_GROUP))
    draft_id, staged_id, staged_code = draft.id, staged.id, staged.code
    save()

    # Staff give the draft round the stage: the form refuses a missing date first.
    staff = _page(browser, live_server, viewport)
    sign_in(staff, "officer@example.org")
    staff.goto(f"/staff/rounds/{draft_id}")
    staff.get_by_role("link",
                      name="Change whether the round starts with an expression of interest").click()
    check_accessibility(staff)
    staff.get_by_label("Yes").check()
    staff.get_by_role("button", name="Save").click()
    expect(staff.get_by_role("heading", level=2, name="There is a problem")).to_be_visible()
    check_accessibility(staff)
    closes = (now + timedelta(days=20)).date()
    staff.get_by_label("Day").fill(str(closes.day))
    staff.get_by_label("Month").fill(str(closes.month))
    staff.get_by_label("Year").fill(str(closes.year))
    staff.get_by_label("Closing time of the expression of interest stage").fill("midday")
    staff.get_by_role("button", name="Save").click()
    expect(staff.locator("#row-interest_stage")).to_contain_text("Yes, closing at")

    # The applicant starts one, is told what is missing, answers, checks and sends it.
    applicant_page = _page(browser, live_server, viewport)
    sign_in(applicant_page, "interest@example.org")
    applicant_page.goto(f"/rounds/{staged_code}")
    applicant_page.get_by_role("button", name="Start an expression of interest").click()
    check_accessibility(applicant_page)
    applicant_page.get_by_role("button", name="Start").click()
    expect(applicant_page.get_by_role("heading", level=1)).to_have_text(
        "Your expression of interest")
    check_accessibility(applicant_page)
    applicant_page.get_by_label("Project title").fill("Street mentors")
    applicant_page.get_by_role("button", name="Save and continue").click()
    expect(applicant_page.get_by_role("link", name="Enter a summary of your project")) \
        .to_be_visible()
    check_accessibility(applicant_page)
    applicant_page.get_by_label("Summary").fill("Mentors for teenagers on Friday nights.")
    applicant_page.get_by_label("How much do you expect to ask for?").fill("5000")
    applicant_page.get_by_label("Yes").check()
    applicant_page.get_by_role("button", name="Save and continue").click()
    expect(applicant_page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before sending your expression of interest")
    check_accessibility(applicant_page)
    applicant_page.get_by_role("button", name="Send expression of interest").click()
    expect(applicant_page.get_by_text("Expression of interest sent", exact=True)).to_be_visible()
    check_accessibility(applicant_page)

    # Staff see it, are refused a decline without a reason, and invite it.
    staff.goto(f"/staff/rounds/{staged_id}/expressions-of-interest")
    check_accessibility(staff)
    staff.get_by_role("link", name="Reading Street Support").click()
    staff.get_by_label("Decline").check()
    staff.get_by_role("button", name="Save answer").click()
    expect(staff.get_by_role("link", name="Enter the reason the applicant will read")) \
        .to_be_visible()
    check_accessibility(staff)
    staff.get_by_label("Invite a full application").check()
    staff.get_by_role("button", name="Save answer").click()
    expect(staff.get_by_text("Reading Street Support is invited to apply", exact=True)) \
        .to_be_visible()

    # The applicant, invited, starts the application: it begins with the first stage's answers.
    applicant_page.reload()
    expect(applicant_page.get_by_text("You are invited to apply")).to_be_visible()
    check_accessibility(applicant_page)
    applicant_page.get_by_role("button", name="Start your application").click()
    applicant_page.get_by_role("button", name="Start application").click()
    applicant_page.get_by_role("link", name="Your project").click()
    expect(applicant_page.get_by_label("Project title")).to_have_value("Street mentors")
    applicant_page.context.close()
    staff.context.close()
