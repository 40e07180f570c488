"""In the browser, on a phone: a member of staff moves the ceremony to another place; then,
from the guest list, records a reply an organisation phoned in (after forgetting how many are
coming), sends the invitation again to a new address, and cancels it. Every page passes
axe-core at WCAG 2.2 A and AA."""

import re
from datetime import UTC, datetime, time, timedelta

from playwright.sync_api import Browser, Page, expect

from grants.accounts.models import Role
from grants.awards.models import AwardStatus
from grants.ceremonies.operations.inviting import send_invitations
from grants.ceremonies.operations.planning import CeremonyEntry, create_ceremony
from grants.core import clock
from grants.extensions import db
from tests.e2e.story_checks import VIEWPORTS
from tests.e2e.story_staff import People


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def test_staff_change_the_ceremony_take_a_reply_by_phone_and_cancel_an_invitation(
        viewport, browser: Browser, live_server, check_accessibility, save, user_factory,
        organisation_factory, fund_factory, round_factory, award_factory):
    today = clock.today_in_london()
    year = clock.financial_year_of(today)
    staff = user_factory(roles=[Role.STAFF], email="staff@example.org", name="Pat Staff")
    charity = organisation_factory(name="Reading Street Support", contact_email="jo@example.org")
    fund = fund_factory(code="PPAF", name="Police Property Act Fund")
    published = round_factory(fund=fund, financial_year=year,
                              opens_at=datetime(2020, 1, 1, tzinfo=UTC),
                              closes_at=datetime(2020, 2, 1, tzinfo=UTC),
                              decisions_published_at=datetime(2020, 3, 1, tzinfo=UTC))
    award_factory(round=published, organisation=charity, amount_pence=250_000,
                  status=AwardStatus.ACCEPTED, title="Outreach evenings")
    ceremony = create_ceremony(db.session, staff, CeremonyEntry(
        title=f"Community awards {year}", day=today + timedelta(days=30), at=time(18, 30),
        place="Oxford Town Hall", financial_year=year))
    send_invitations(db.session, staff, ceremony, [charity.id])
    guest_list = f"/staff/ceremonies/{ceremony.id}"
    save()
    context = browser.new_context(base_url=live_server, viewport=VIEWPORTS[viewport])
    page = context.new_page()
    People(page).sign_in("staff@example.org", "/staff/")
    page.goto(guest_list)

    page.get_by_role("link", name="Change the ceremony").click()
    expect(heading(page)).to_have_text(f"Change the ceremony: Community awards {year}")
    check_accessibility(page)
    page.get_by_label("Place").fill("Reading Town Hall")
    page.get_by_role("button", name="Save the changes").click()
    expect(page.get_by_text("Ceremony changed. Every organisation invited has been told.")
           ).to_be_visible()
    expect(page.get_by_text("Reading Town Hall")).to_be_visible()

    page.get_by_role("link", name="Record a reply taken by phone from Reading Street "
                                   "Support").click()
    expect(heading(page)).to_have_text("Record a reply taken by phone: Reading Street Support")
    check_accessibility(page)
    page.get_by_role("group", name="Will they attend?").get_by_label("Yes").check()
    page.get_by_role("button", name="Record the reply").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter how many people will attend")
    check_accessibility(page)
    page.get_by_role("group", name="How many people will come?").get_by_label(
        "2", exact=True).check()
    page.get_by_role("group", name="May the people attending be photographed?").get_by_label(
        "Yes").check()
    page.get_by_role("button", name="Record the reply").click()
    expect(page.get_by_text("Reply from Reading Street Support recorded as taken by phone."
                            )).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Taken by phone")
    check_accessibility(page)

    page.get_by_role("link", name="Send again to Reading Street Support").click()
    expect(heading(page)).to_have_text("Send the invitation again: Reading Street Support")
    check_accessibility(page)
    page.get_by_label("Email address").fill("new.contact@example.org")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("sent again to new.contact@example.org")).to_be_visible()

    page.get_by_role("link", name="Cancel the invitation to Reading Street Support").click()
    expect(heading(page)).to_have_text("Cancel the invitation: Reading Street Support")
    check_accessibility(page)
    page.get_by_label("Message to the organisation (optional)").fill("The hall is smaller.")
    page.get_by_role("button", name="Cancel the invitation").click()
    expect(page).to_have_url(re.compile(re.escape(guest_list) + "$"))
    expect(page.get_by_text("Invitation to Reading Street Support cancelled.")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Cancelled")
    context.close()
