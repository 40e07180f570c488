"""In the browser, on a phone (390 by 844): the organisation form asks charity status once,
lists councils by their own names and starts from the account, and ends with a link to the
open rounds; the councils of "Areas served" show only under "Particular local authority areas"
(without JavaScript too: test_without_javascript.py); the budget starts with three lines, adds
one at a time and says what they add up to; the other priorities leave out the primary one; a
High Sheriff's priority radios have their question above them. Every page, and each other page
this work changed, passes axe-core at that width and a desktop's (1280 by 900). Pages the year
story (test_year_story.py) also shows are checked here at a phone's width only (with
`accessibility_checks`, at the page's own width), the year story checking them at a desktop's:
the organisation's form and page, the areas, budget and priorities sections, the reviewer's
list and declaration, the offer and the dashboard; test_organisation_registration.py checks
the organisation form's errors at a desktop's."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from grants.accounts.models import Role
from grants.applications.models import ApplicationStatus
from grants.assessment.models import ReviewAssignment
from grants.awards.models import AwardStatus
from grants.core import clock
from grants.extensions import db
from grants.funds.models import CountyAllocation, RoundKind
from grants.organisations.models import OrganisationType
from tests.e2e.story_checks import VIEWPORTS
from tests.e2e.without_pages import sign_in_without_pages, signed_out

# Driven on a phone; each page is checked with axe at a desktop's width too.
pytestmark = pytest.mark.both_widths


def _councils(local_authority_factory, county_factory) -> None:
    berkshire = county_factory(name="Berkshire")
    local_authority_factory(name="Reading", official_name="Reading Borough Council",
                            gss_code="E06000038", county=berkshire)
    local_authority_factory(name="Oxford", official_name="Oxford City Council",
                            gss_code="E07000178", county=county_factory(name="Oxfordshire"))
    local_authority_factory(name="Wycombe", official_name="Wycombe District Council",
                            gss_code="E07000007", county=county_factory(name="Buckinghamshire"),
                            valid_to=date(2020, 3, 31))


def _page(browser: Browser, live_server: str, viewport: str, *, scripts: bool = True) -> Page:
    context = browser.new_context(base_url=live_server, viewport=VIEWPORTS[viewport],
                                  java_script_enabled=scripts)
    return context.new_page()


def test_registering_an_organisation_asks_each_thing_once_and_leads_on_to_the_rounds(
    viewport, browser: Browser, live_server, accessibility_checks, save, user_factory,
    local_authority_factory, county_factory
):
    user_factory(email="jo.patel@example.org", name="Jo Patel")
    _councils(local_authority_factory, county_factory)
    save()
    page = _page(browser, live_server, viewport)

    sign_in_without_pages(page, "jo.patel@example.org")
    page.goto("/organisations/new")
    expect(page.get_by_label("Main contact's name")).to_have_value("Jo Patel")
    expect(page.get_by_label("Main contact's email address")).to_have_value(
        "jo.patel@example.org")
    expect(page.get_by_text("Is it a registered charity?")).to_have_count(0)
    councils = page.get_by_label("Local authority area").locator("option")
    expect(councils).to_have_text(["Select a council", "Reading Borough Council",
                                   "Oxford City Council"])
    accessibility_checks(page)

    page.get_by_label("Organisation name").fill("Reading Street Support")
    page.get_by_label("Registered charity", exact=True).check()
    page.get_by_label("Address", exact=True).fill("Community Centre\nReading")
    page.get_by_label("Postcode").fill("RG1 2AB")
    page.get_by_label("Local authority area").select_option(label="Reading Borough Council")
    page.get_by_role("button", name="Register organisation").click()
    # A registered charity gives its number: the one question about charity status.
    expect(page.get_by_role("alert")).to_contain_text("Enter the charity number")
    accessibility_checks(page)

    page.get_by_label("Charity number").fill("SC012345")
    page.get_by_role("button", name="Register organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reading Street Support")
    expect(page.get_by_text("Office of the Scottish Charity Regulator")).to_be_visible()
    accessibility_checks(page)
    # The link leads to the list of rounds (which the keyboard journey, test_keyboard.py, loads
    # on a phone).
    expect(page.get_by_role("link", name="apply to a round that is open")).to_have_attribute(
        "href", "/rounds")
    page.context.close()


@pytest.fixture
def draft_id(save, user_factory, organisation_factory, membership_factory, round_factory,
             application_factory, priority_factory, local_authority_factory, county_factory):
    now = datetime.now(UTC)
    priorities = [priority_factory(code="P1", number=1, title="Vulnerability"),
                  priority_factory(code="P2", number=2, title="Prevention")]
    round_ = round_factory(opens_at=now - timedelta(days=7), closes_at=now + timedelta(days=28),
                           launched_at=now - timedelta(days=20), min_award_pence=100_000,
                           max_award_pence=1_000_000)
    round_.priorities.extend(priorities)
    _councils(local_authority_factory, county_factory)
    applicant = user_factory(roles=[Role.APPLICANT], email="sections@example.org")
    organisation = organisation_factory(name="Reading Street Support")
    membership_factory(user=applicant, organisation=organisation)
    application_id = application_factory(round=round_, organisation=organisation,
                                         created_by=applicant).id
    save()
    return application_id


def test_the_councils_show_under_particular_areas_and_the_budget_grows_a_line_at_a_time(
    viewport, browser: Browser, live_server, accessibility_checks, draft_id
):
    page = _page(browser, live_server, viewport)
    sign_in_without_pages(page, "sections@example.org")

    page.goto(f"/applications/{draft_id}/sections/areas")
    reading = page.get_by_label("Reading Borough Council")
    expect(reading).to_be_hidden()
    accessibility_checks(page)
    page.get_by_label("Particular local authority areas").check()
    expect(reading).to_be_visible()
    expect(page.get_by_label("Oxford City Council")).to_be_visible()
    expect(page.get_by_text("Wycombe")).to_have_count(0)
    accessibility_checks(page)
    page.get_by_label("The whole of Thames Valley").check()
    expect(reading).to_be_hidden()
    page.get_by_label("Particular local authority areas").check()
    reading.check()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Budget")
    descriptions = page.locator("input[name$='_description']")
    expect(descriptions).to_have_count(3)
    page.locator("#line_1_description").fill("Outreach worker")
    page.locator("#line_1_amount").fill("4,000")
    page.locator("#line_2_description").fill("Volunteer travel")
    page.locator("#line_2_amount").fill("1,000.50")
    page.locator("#line_3_description").fill("Leaflets")
    page.locator("#line_3_amount").fill("250")
    # The total keeps up as amounts are typed (the server works it out again on each save).
    expect(page.locator("#budget-total")).to_have_text(
        "Your budget lines add up to £5,250.50")
    page.get_by_role("button", name="Add another line").click()
    expect(page).to_have_url(re.compile(r"/sections/budget#line_4_description$"))
    expect(descriptions).to_have_count(4)
    expect(page.locator("#budget-total")).to_have_text(
        "Your budget lines add up to £5,250.50")
    accessibility_checks(page)

    page.locator("#line_4_description").fill("Room hire")
    page.locator("#line_4_amount").fill("749.50")
    # Enter in a field saves and goes on (it never presses "Add another line" or "Remove").
    page.get_by_label("What is the total cost of the project?").fill("6000")
    page.get_by_label("What is the total cost of the project?").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Outcomes and beneficiaries")

    page.goto(f"/applications/{draft_id}/sections/budget")
    expect(page.locator("#budget-total")).to_have_text("Your budget lines add up to £6,000")
    expect(descriptions).to_have_count(4)
    page.get_by_role("button", name="Remove budget line 2").click()
    expect(page).to_have_url(re.compile(r"/sections/budget#line-2$"))
    expect(descriptions).to_have_count(3)
    expect(page.locator("#line_2_description")).to_have_value("Leaflets")
    expect(page.locator("#budget-total")).to_have_text("Your budget lines add up to £4,999.50")
    page.context.close()


def test_a_high_sheriffs_priority_radios_have_their_question_and_councils_are_not_offered(
    viewport, browser: Browser, live_server, check_accessibility, save, user_factory,
    county_factory, local_authority_factory, priority_factory, round_factory
):
    now = datetime.now(UTC)
    berkshire = county_factory(name="Berkshire")
    local_authority_factory(name="Reading", official_name="Reading Borough Council",
                            county=berkshire)
    priority = priority_factory(code="P1", title="Vulnerable people")
    round_ = round_factory(
        kind=RoundKind.NOMINATION, code="HSA-2026-1", title="High Sheriff awards",
        opens_at=now - timedelta(days=7), closes_at=now + timedelta(days=21),
        launched_at=now - timedelta(days=10), budget_pence=2_000_000,
        min_award_pence=None, max_award_pence=None)
    round_.priorities.append(priority)
    db.session.add(CountyAllocation(round_id=round_.id, county_id=berkshire.id,
                                    amount_pence=1_000_000))
    user_factory(roles=[Role.HIGH_SHERIFF], email="sheriff@example.org", county=berkshire,
                 term_year=clock.financial_year_start(round_.financial_year))
    round_id = round_.id
    save()
    page = _page(browser, live_server, viewport)

    sign_in_without_pages(page, "sheriff@example.org")
    page.goto(f"/nominations/rounds/{round_id}/nominate/new")
    expect(page.get_by_role("group", name="Which priority of the Police and Crime Plan does "
                                          "it support?")).to_be_visible()
    kinds = page.get_by_role("group", name="What type of organisation is it?")
    expect(kinds.get_by_label("Registered charity", exact=True)).to_be_visible()
    expect(kinds.get_by_label("Local authority", exact=True)).to_have_count(0)
    check_accessibility(page)
    page.context.close()


def test_the_other_priorities_leave_out_the_primary_one(viewport, browser: Browser,
                                                         live_server, accessibility_checks,
                                                         draft_id):
    page = _page(browser, live_server, viewport)
    sign_in_without_pages(page, "sections@example.org")
    page.goto(f"/applications/{draft_id}/sections/priorities")
    others = page.get_by_role("group", name=re.compile("Which other priorities"))
    expect(others.get_by_label("P1 Vulnerability")).to_be_visible()

    page.get_by_role("radio", name="P1 Vulnerability").check()
    expect(others.get_by_label("P1 Vulnerability")).to_be_hidden()
    expect(others.get_by_label("P2 Prevention")).to_be_visible()
    accessibility_checks(page)
    page.get_by_role("button", name="Save and come back later").click()

    page.goto(f"/applications/{draft_id}/sections/priorities")
    expect(others.get_by_label("P1 Vulnerability")).to_have_count(0)
    page.context.close()


@pytest.fixture
def changed_pages(save, user_factory, organisation_factory, membership_factory, round_factory,
                  application_factory, award_factory, county_factory, local_authority_factory,
                  priority_factory):
    """A page of each kind this work changed, with the person who sees it: {name: (email,
    path, h1)}."""
    now = datetime.now(UTC)
    today = clock.today_in_london()
    staff = user_factory(roles=[Role.STAFF], email="staff@example.org", name="Sam Staff")
    reviewer = user_factory(roles=[Role.REVIEWER], email="riley@example.org")
    member = user_factory(roles=[Role.APPLICANT], email="member@example.org")
    organisation = organisation_factory(name="Reading Street Support")
    membership_factory(user=member, organisation=organisation)
    assessed = round_factory(code="PPAF-2026-5", title="PPAF 2026/27 Round 5",
                             opens_at=now - timedelta(days=40), closes_at=now - timedelta(days=2),
                             launched_at=now - timedelta(days=50),
                             assessing_at=now - timedelta(days=1))
    sent = application_factory(
        round=assessed, organisation=organisation, title="Night shelter outreach",
        reference="PPAF-2026-5-0001", sequence=1, status=ApplicationStatus.IN_REVIEW,
        amount_requested_pence=500_000, submitted_at=now - timedelta(days=3))
    db.session.add(ReviewAssignment(application=sent, reviewer=reviewer, assigned_by=staff))
    published = round_factory(code="PPAF-2026-1", title="PPAF 2026/27 Round 1",
                              opens_at=now - timedelta(days=90),
                              closes_at=now - timedelta(days=60),
                              launched_at=now - timedelta(days=100),
                              decided_at=now - timedelta(days=5),
                              decisions_published_at=now - timedelta(days=2))
    awarded = application_factory(
        round=published, organisation=organisation, title="Street pastors",
        reference="PPAF-2026-1-0001", sequence=1, status=ApplicationStatus.AWARDED,
        planned_start=today + timedelta(days=30), planned_end=today + timedelta(days=300))
    award = award_factory(round=published, organisation=organisation, application=awarded,
                          amount_pence=250_000, status=AwardStatus.OFFERED,
                          offered_at=now - timedelta(days=2))
    berkshire = county_factory(name="Berkshire")
    reading = local_authority_factory(name="Reading", official_name="Reading Borough Council",
                                      county=berkshire)
    organisation_factory(name="Reading Borough Council", local_authority=reading,
                         organisation_type=OrganisationType.LOCAL_AUTHORITY)
    priority = priority_factory(code="P1", title="Vulnerable people")
    nominating = round_factory(
        kind=RoundKind.NOMINATION, code="HSA-2026-1", title="High Sheriff awards",
        opens_at=now - timedelta(days=7), closes_at=now + timedelta(days=21),
        launched_at=now - timedelta(days=10), budget_pence=2_000_000,
        min_award_pence=None, max_award_pence=None)
    nominating.priorities.append(priority)
    db.session.add(CountyAllocation(round_id=nominating.id, county_id=berkshire.id,
                                    amount_pence=1_000_000))
    user_factory(roles=[Role.HIGH_SHERIFF], email="sheriff@example.org", county=berkshire,
                 term_year=clock.financial_year_start(nominating.financial_year))
    db.session.flush()
    assignment_id = db.session.scalars(select(ReviewAssignment.id)).one()
    pages = {
        "staff's application": ("staff@example.org", f"/staff/applications/{sent.id}",
                                "PPAF-2026-5-0001: Night shelter outreach"),
        "who may be nominated": ("staff@example.org",
                                 f"/staff/rounds/{nominating.id}/organisation-types",
                                 "Who may be nominated"),
        "the reviewer's list": ("riley@example.org", "/reviews", "Your reviews"),
        "the declaration": ("riley@example.org", f"/reviews/{assignment_id}/declaration",
                            "Declare any conflict of interest"),
        "the offer": ("member@example.org", f"/awards/{award.id}/offer", "Your grant offer"),
        "the sent application": ("member@example.org", f"/applications/{sent.id}/view",
                                 "Night shelter outreach"),
        "the dashboard": ("member@example.org", "/dashboard", "Your dashboard"),
        "the High Sheriff's search": ("sheriff@example.org",
                                      f"/nominations/rounds/{nominating.id}/nominate?q=Reading",
                                      "Choose the organisation to nominate"),
    }
    save()
    return pages


# Pages the year story (test_year_story.py) checks at a desktop's width on its own data: here
# they are checked at a phone's.
DESKTOP_CHECKED_BY_THE_YEAR_STORY = {"the reviewer's list", "the declaration", "the offer",
                                     "the dashboard"}


def test_the_other_changed_pages_pass_axe_on_a_phone_and_a_desktop(
    viewport, browser: Browser, live_server, check_accessibility, accessibility_checks,
    changed_pages
):
    page = _page(browser, live_server, viewport)
    signed_in = None
    for name, (email, path, heading) in changed_pages.items():
        if email != signed_in:
            signed_out(page)
            sign_in_without_pages(page, email)
            signed_in = email
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        if name in DESKTOP_CHECKED_BY_THE_YEAR_STORY:
            accessibility_checks(page)
        else:
            check_accessibility(page)
    page.context.close()
