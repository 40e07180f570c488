"""The public rounds pages and the staff rounds dashboard in a real browser: they show the rounds
and have no WCAG 2.2 A or AA failures."""

import re
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect

from grants.accounts.models import Role
from grants.applications.models import ApplicationStatus
from grants.funds.models import RoundOrganisationType
from grants.organisations.models import OrganisationType
from tests.fixtures.factories import TEST_PASSWORD


def test_people_find_an_open_round_and_staff_see_it_on_their_dashboard(
    page: Page, check_accessibility, save, round_factory, priority_factory, key_aim_factory,
    user_factory, award_factory, application_factory,
):
    now = datetime.now(UTC)
    priority = priority_factory(code="P3", number=3, title="Reducing Re-offending")
    aim = key_aim_factory(priority=priority, number=2, text="Support people leaving prison")
    open_round = round_factory(
        code="E2E-OPEN-1", title="Safer communities", launched_at=now - timedelta(days=8),
        opens_at=now - timedelta(days=7), closes_at=now + timedelta(days=3),
        guidance="Read the guidance before you apply.\n\nAsk us if anything is unclear.",
    )
    open_round.priorities.append(priority)
    open_round.key_aims.append(aim)
    open_round.organisation_type_rows.append(
        RoundOrganisationType(organisation_type=OrganisationType.REGISTERED_CHARITY))
    round_factory(code="E2E-SOON-1", title="Spring projects", launched_at=now,
                  opens_at=now + timedelta(days=5), closes_at=now + timedelta(days=40))
    award_factory(round=open_round, amount_pence=300_000)
    application_factory(round=open_round, status=ApplicationStatus.SUBMITTED)
    user_factory(roles=[Role.STAFF], email="officer@example.org")
    financial_year = open_round.financial_year
    save()

    page.goto("/rounds")
    expect(page.get_by_role("heading", level=1)).to_have_text("Funding rounds")
    expect(page.get_by_text("Spring projects")).to_be_visible()
    page.get_by_text("Key aims").first.click()
    expect(page.get_by_text("Support people leaving prison")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("link", name=re.compile("^Safer communities")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Safer communities ({financial_year})")
    expect(page.get_by_text("Ask us if anything is unclear.")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Start an application").click()
    # Signed out: whichever page starts an application asks them to sign in first.
    expect(page).to_have_url(re.compile(r"/sign-in\?next="))

    page.get_by_label("Email address").fill("officer@example.org")
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/staff/?fund=all&year={financial_year}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rounds dashboard")
    row = page.get_by_role("row").filter(has_text="Safer communities")
    expect(row).to_contain_text("£3,000")
    expect(row).to_contain_text("Open")
    check_accessibility(page)
