"""Staff set up a round in a real browser, from a new fund to a launched round, and every page
on the way has no WCAG 2.2 A or AA failures, errors included. (The round's priorities and who
may apply are chosen through the services: the year's story chooses them through their pages.)"""

import re
from datetime import timedelta

from playwright.sync_api import Page, expect

from grants.accounts.models import Role
from grants.core import clock
from grants.extensions import db
from grants.funds.models import Round, RoundKind
from grants.funds.operations.setup import set_organisation_types, set_priorities
from grants.organisations.models import OrganisationType
from tests.fixtures.factories import TEST_PASSWORD


def fill_date(page: Page, field: str, day) -> None:
    page.locator(f"#{field}-day").fill(str(day.day))
    page.locator(f"#{field}-month").fill(str(day.month))
    page.locator(f"#{field}-year").fill(str(day.year))


def test_staff_create_and_launch_a_round(
    page: Page, check_accessibility, save, user_factory, fund_factory, plan_factory,
    priority_factory, key_aim_factory, county_factory, round_factory,
):
    user_factory(roles=[Role.STAFF], email="officer@example.org")
    fund_factory(code="PPAF", name="Police Property Act Fund")
    priority = priority_factory(plan=plan_factory(is_current=True), number=1, code="P1",
                                title="Vulnerability")
    key_aim_id = key_aim_factory(priority=priority, number=1,
                                 text="Support victims of domestic abuse").id
    priority_id = priority.id
    county_factory(name="Berkshire")
    nomination = round_factory(code="HS-2026-1", title="High Sheriff awards",
                               kind=RoundKind.NOMINATION, min_award_pence=None,
                               max_award_pence=None)
    nomination_id = nomination.id
    save()
    today = clock.today_in_london()
    opens, closes = today + timedelta(days=10), today + timedelta(days=40)

    page.goto("/sign-in")
    page.get_by_label("Email address").fill("officer@example.org")
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # A fund.
    page.goto("/staff/funds")
    expect(page.get_by_role("heading", level=1)).to_have_text("Funds")
    check_accessibility(page)
    page.get_by_role("link", name="Add a fund").click()
    page.get_by_role("button", name="Save fund").click()
    expect(page.get_by_role("alert").get_by_text("Enter a fund code, like PPAF")).to_be_visible()
    expect(page).to_have_title(re.compile("^Error: Add a fund"))
    check_accessibility(page)
    page.get_by_label("Fund code").fill("VRF")
    page.get_by_label("Name").fill("Violence Reduction Fund")
    page.get_by_role("button", name="Save fund").click()
    expect(page.get_by_text("Violence Reduction Fund (VRF) added")).to_be_visible()
    page.get_by_role("link", name="Change Violence Reduction Fund").click()
    expect(page.get_by_label("Fund code")).to_have_value("VRF")
    check_accessibility(page)
    page.get_by_role("link", name="Back to funds").click()

    # A round, first with a mistake.
    page.get_by_role("link", name="Create a round of the Police Property Act Fund").click()
    expect(page.get_by_label("Police Property Act Fund (PPAF)")).to_be_checked()
    page.get_by_label("Title").fill("Safer streets")
    page.get_by_label("Open round").check()
    fill_date(page, "opens_at", opens)
    page.get_by_label("Opening time").fill("9am")
    fill_date(page, "closes_at", closes)
    page.get_by_label("Closing time").fill("12:00")
    page.get_by_label("Budget").fill("£1,00.5")
    page.get_by_label("Minimum award").fill("1000")
    page.get_by_label("Maximum award").fill("10,000")
    page.get_by_role("button", name="Create round").click()
    expect(page.get_by_role("link", name=re.compile("pounds and pence only"))).to_be_visible()
    expect(page.get_by_label("Budget")).to_have_value("£1,00.5")
    check_accessibility(page)
    page.get_by_label("Budget").fill("£150,000")
    page.get_by_role("button", name="Create round").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Safer streets")
    round_id = int(re.search(r"/staff/rounds/(\d+)", page.url).group(1))
    code = f"PPAF-{clock.financial_year_start(clock.financial_year_of(opens))}-1"
    expect(page.get_by_text(code, exact=True)).to_be_visible()
    expect(page.locator(".govuk-tag").first).to_have_text("Draft")
    check_accessibility(page)

    # Launching too soon lists what is missing.
    page.get_by_role("button", name="Launch round").click()
    expect(page.get_by_role("link", name="Add at least one scoring criterion")).to_be_visible()
    check_accessibility(page)

    round_ = db.session.get(Round, round_id)
    set_priorities(db.session, round_, [priority_id], [key_aim_id], actor_id=None)
    set_organisation_types(db.session, round_, [OrganisationType.REGISTERED_CHARITY],
                           actor_id=None)
    save()

    page.get_by_role("link", name="Add an eligibility question").click()
    page.get_by_role("button", name="Save question").click()
    expect(page.get_by_role("link", name="Enter the question")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Question", exact=True).fill("Is the organisation based in Thames Valley?")
    page.get_by_role("button", name="Save question").click()

    page.get_by_role("link", name="Add a scoring criterion").click()
    page.get_by_label("Name").fill("Need and evidence")
    page.get_by_label("Weight").fill("0")
    page.get_by_label("Maximum score").fill("5")
    page.get_by_role("button", name="Save criterion").click()
    expect(page.get_by_role("link", name="Weight must be a whole number from 1 to 1000")
           ).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Weight").fill("30")
    page.get_by_role("button", name="Save criterion").click()

    page.get_by_role("button", name="Launch round").click()
    expect(page.get_by_text("Round launched.")).to_be_visible()
    expect(page.locator(".govuk-tag").first).to_have_text("Launched, not yet open")
    expect(page.get_by_text("P1 Vulnerability")).to_be_visible()
    expect(page.get_by_text("P1.1 Support victims of domestic abuse")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Registered charity")).to_be_visible()
    expect(page.get_by_role("cell", name="Need and evidence", exact=True)).to_be_visible()
    check_accessibility(page)

    page.get_by_role("link", name="Change question 1").click()
    expect(page.get_by_role("button", name="Remove question")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Back to the round").click()

    page.get_by_role("link", name="Change title").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change the round")
    expect(page.get_by_label("Round code")).to_have_count(0)
    check_accessibility(page)

    # Launched, it is on the public list of rounds as upcoming, for anyone to read.
    page.goto("/rounds")
    round_entry = page.get_by_role("heading", name=re.compile("Safer streets"))
    expect(round_entry).to_be_visible()
    expect(page.get_by_text("Opens in 10 days")).to_be_visible()

    page.goto(f"/staff/rounds/{nomination_id}/allocations")
    expect(page.get_by_role("heading", level=1)).to_have_text("County allocations")
    page.get_by_label("Berkshire").fill("£20,000,000")
    page.get_by_role("button", name="Save allocations").click()
    expect(page.get_by_role("link", name=re.compile("more than the round's budget"))
           ).to_be_visible()
    check_accessibility(page)
