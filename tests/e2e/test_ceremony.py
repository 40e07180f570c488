"""In the browser, on a phone: a member of staff plans the awards ceremony (after
a refusal), invites the year's recipients and reads the guest list; a member of an invited
organisation finds the invitation on their dashboard and replies (after forgetting how many
are coming), and staff see the reply. Every page passes axe-core at WCAG 2.2 A and AA, at a
phone's width and a desktop's."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from grants.accounts.models import Role
from grants.awards.models import AwardStatus
from grants.core import clock
from tests.e2e.story_checks import VIEWPORTS
from tests.e2e.story_staff import People

# Driven on a phone; each page is checked with axe at a desktop's width too.
pytestmark = pytest.mark.both_widths


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def test_staff_invite_the_years_recipients_and_a_member_replies(
        viewport, browser: Browser, live_server, check_accessibility, save, user_factory,
        organisation_factory, membership_factory, fund_factory, round_factory, award_factory):
    today = clock.today_in_london()
    year = clock.financial_year_of(today)
    user_factory(roles=[Role.STAFF], email="staff@example.org", name="Pat Staff")
    member = user_factory(roles=[Role.APPLICANT], email="jo@example.org", name="Jo Member")
    charity = organisation_factory(name="Reading Street Support", contact_email="jo@example.org")
    membership_factory(user=member, organisation=charity)
    fund = fund_factory(code="PPAF", name="Police Property Act Fund")
    published = round_factory(fund=fund, financial_year=year,
                              opens_at=datetime(2020, 1, 1, tzinfo=UTC),
                              closes_at=datetime(2020, 2, 1, tzinfo=UTC),
                              decisions_published_at=datetime(2020, 3, 1, tzinfo=UTC))
    award_factory(round=published, organisation=charity, amount_pence=250_000,
                  status=AwardStatus.ACCEPTED, title="Outreach evenings")
    save()
    day = today + timedelta(days=30)
    # Staff and the member each in a browser of their own.
    staff_context = browser.new_context(base_url=live_server, viewport=VIEWPORTS[viewport])
    member_context = browser.new_context(base_url=live_server, viewport=VIEWPORTS[viewport])
    page = staff_context.new_page()

    People(page).sign_in("staff@example.org", "/staff/")
    page.get_by_role("link", name=re.compile("Invite a year's recipients")).click()
    expect(heading(page)).to_have_text("Awards ceremonies")
    check_accessibility(page)
    page.get_by_role("link", name="Plan a ceremony").click()
    expect(heading(page)).to_have_text("Plan an awards ceremony")
    check_accessibility(page)
    page.get_by_role("button", name="Plan the ceremony").click()
    expect(page).to_have_title(re.compile(r"^Error: Plan an awards ceremony"))
    expect(page.get_by_role("alert")).to_contain_text("Enter the ceremony's title")
    check_accessibility(page)

    page.get_by_label("Title").fill(f"Community awards {year}")
    group = page.get_by_role("group", name="Date")
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))
    page.get_by_label("Start time").fill("6:30pm")
    page.get_by_label("Place").fill("Oxford Town Hall")
    page.get_by_label("Police Property Act Fund").check()
    page.get_by_role("button", name="Plan the ceremony").click()

    expect(heading(page)).to_have_text(f"Invite recipients: Community awards {year}")
    expect(page.get_by_label("Reading Street Support")).to_be_checked()
    check_accessibility(page)
    page.get_by_role("button", name="Send the invitations").click()
    expect(page.get_by_text("1 invitation sent.")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("No reply yet")
    check_accessibility(page)

    page = member_context.new_page()
    People(page).sign_in("jo@example.org", "/dashboard")
    page.get_by_role("link", name=f"Community awards {year}").click()
    expect(heading(page)).to_have_text(f"Invitation: Community awards {year}")
    check_accessibility(page)
    page.get_by_role("group", name="Will you attend?").get_by_label("Yes").check()
    page.get_by_role("button", name="Send your reply").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter how many people will attend")
    check_accessibility(page)
    page.get_by_role("group", name="How many people will come?").get_by_label(
        "3", exact=True).check()
    page.get_by_label("Access needs (optional)").fill("A wheelchair space")
    page.get_by_role("group", name="May the people attending be photographed?").get_by_label(
        "No").check()
    page.get_by_role("button", name="Send your reply").click()
    expect(page.get_by_text("Thank you. We look forward to seeing you.")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Certificate of the award of £2,500"))
           ).to_be_visible()

    page = staff_context.pages[0]
    page.goto("/staff/ceremonies")
    page.get_by_role("link", name=f"Community awards {year}").click()
    expect(page.get_by_text("3 people from 1 organisation")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("A wheelchair space")
    staff_context.close()
    member_context.close()
