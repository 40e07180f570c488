"""In the browser: an applicant reads the grant offer, accepts it and gives bank details; one
member of staff verifies the details and records a payment, another approves it, and the award
is paid. Every page passes axe-core, including pages showing errors."""

import re
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import select

from grants.accounts.models import Role
from grants.applications.models import ApplicationStatus
from grants.awards.models import Award, AwardStatus, BankDetails
from grants.core import clock
from grants.extensions import db
from tests.e2e.story_staff import People


def test_an_offer_is_accepted_and_paid_by_two_members_of_staff(
    page: Page, check_accessibility, save, user_factory, organisation_factory,
    membership_factory, round_factory, application_factory, award_factory
):
    now = datetime.now(UTC)
    today = clock.today_in_london()
    member = user_factory(roles=[Role.APPLICANT], email="member@example.org", name="Jo Member")
    user_factory(roles=[Role.STAFF], email="recorder@example.org", name="Sam Recorder")
    user_factory(roles=[Role.STAFF], email="approver@example.org", name="Alex Approver")
    organisation = organisation_factory(name="Reading Street Support",
                                        contact_email="contact@example.org")
    membership_factory(user=member, organisation=organisation)
    round_ = round_factory(code="PPAF-2026-1", title="PPAF 2026/27 Round 1",
                           opens_at=now - timedelta(days=90), closes_at=now - timedelta(days=60),
                           launched_at=now - timedelta(days=100),
                           decided_at=now - timedelta(days=5),
                           decisions_published_at=now - timedelta(days=2))
    application = application_factory(
        round=round_, organisation=organisation, title="Night shelter outreach",
        reference="PPAF-2026-1-0001", sequence=1, status=ApplicationStatus.AWARDED,
        planned_start=today + timedelta(days=30), planned_end=today + timedelta(days=300))
    award_id = award_factory(round=round_, organisation=organisation, application=application,
                             amount_pence=250_000, status=AwardStatus.OFFERED,
                             offered_at=now - timedelta(days=2),
                             conditions="Spend at least £500 on safeguarding training.").id
    save()

    # The applicant reads the page to decline the offer (signing in straight on to it), and
    # goes back to the offer.
    people = People(page)
    people.sign_in("member@example.org", f"/awards/{award_id}/decline")
    expect(page.get_by_role("heading", level=1)).to_have_text("Decline the grant offer")
    check_accessibility(page)
    page.get_by_role("link", name="Back to the offer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your grant offer")
    expect(page.get_by_role("link", name="Decline the offer")).to_have_attribute(
        "href", f"/awards/{award_id}/decline")
    expect(page.get_by_text("Spend at least £500 on safeguarding training.")).to_be_visible()
    # The spending period is the project's, the same figures the report's date comes from.
    project_end = today + timedelta(days=300)
    expect(page.get_by_text(f"by {project_end.day} {project_end:%B %Y}").first).to_be_visible()
    expect(page.get_by_text("12 months")).to_have_count(0)
    check_accessibility(page)

    # Accepting without the tick or a position is refused; then accepted.
    page.get_by_role("button", name="Accept the offer").click()
    expect(page).to_have_title(re.compile(r"^Error: Your grant offer"))
    expect(page.get_by_role("alert")).to_contain_text("Enter your position in the organisation")
    expect(page.get_by_role("alert")).to_contain_text(
        "Confirm that you accept these terms on behalf of Reading Street Support")
    check_accessibility(page)
    page.get_by_label("Your position in the organisation").fill("Treasurer")
    page.get_by_label("I accept these terms on behalf of Reading Street Support").check()
    page.get_by_role("button", name="Accept the offer").click()

    # Straight on to the bank details: a mistyped sort code, then the details.
    expect(page.get_by_role("heading", level=1)).to_have_text("Bank details for your grant")
    expect(page.get_by_text("You accepted the grant offer of £2,500.")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Name on the account").fill("Reading Street Support")
    page.get_by_label("Sort code").fill("30-94-3")
    page.get_by_label("Account number").fill("0073 3445")
    page.get_by_role("button", name="Save bank details").click()
    expect(page).to_have_title(re.compile(r"^Error: Bank details for your grant"))
    expect(page.get_by_role("alert")).to_contain_text("Sort code must be 6 digits long")
    check_accessibility(page)
    page.get_by_label("Sort code").fill("30-94-30")
    page.get_by_label("Account number").fill("0073 3445")
    page.get_by_role("button", name="Save bank details").click()
    expect(page.get_by_text("We have your bank details.")).to_be_visible()
    expect(page.get_by_text("****3445")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("00733445")
    check_accessibility(page)
    page.get_by_role("link", name="Back to the grant agreement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your grant agreement")
    expect(page.get_by_text("Jo Member (Treasurer) accepted this grant")).to_be_visible()
    check_accessibility(page)

    # The first member of staff looks at withdrawing the offer (signing in straight on to the
    # page), cancels, verifies the details and records the payment.
    people.sign_in("recorder@example.org", f"/staff/awards/{award_id}/withdraw")
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw the offer")
    check_accessibility(page)
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "PPAF-2026-1-0001: Reading Street Support")
    expect(page.locator("main")).to_contain_text("00733445")
    expect(page.get_by_role("link", name="Withdraw the offer")).to_have_attribute(
        "href", f"/staff/awards/{award_id}/withdraw")
    check_accessibility(page)
    page.get_by_role("button", name="Verify these details").click()
    expect(page.get_by_text("You verified the bank details.")).to_be_visible()
    page.get_by_label("Amount paid").fill("3000")
    page.get_by_label("Payment reference").fill("BACS-0001")
    page.get_by_role("button", name="Record payment").click()
    expect(page).to_have_title(re.compile(r"^Error: PPAF-2026-1-0001"))
    expect(page.get_by_role("alert")).to_contain_text("Enter the date of the payment")
    check_accessibility(page)
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Record payment").click()
    expect(page.get_by_role("alert")).to_contain_text("The most you can record is £2,500")
    page.get_by_label("Amount paid").fill("2500")
    page.get_by_role("button", name="Record payment").click()
    expect(page.get_by_text("You recorded a payment of £2,500.")).to_be_visible()
    expect(page.get_by_text("Another member of staff must approve it", exact=True))\
        .to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Approve"))).to_have_count(0)
    check_accessibility(page)

    # The second member of staff finds it on the payments list and approves it.
    people.sign_in("approver@example.org", "/staff/payments")
    expect(page.get_by_role("heading", level=1)).to_have_text("Payments")
    check_accessibility(page)
    page.get_by_role("link", name="PPAF-2026-1-0001").first.click()
    page.get_by_role("link", name=re.compile("^Reject")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reject the payment")
    check_accessibility(page)
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("button", name=re.compile("^Approve")).click()
    expect(page.get_by_text("You approved the payment of £2,500. The award is now fully paid."))\
        .to_be_visible()
    expect(page.locator(".govuk-summary-list .govuk-tag").first).to_have_text("Paid")
    check_accessibility(page)

    with db.engine.connect() as conn:
        assert conn.scalar(select(Award.status).where(Award.id == award_id)) is AwardStatus.PAID
        assert conn.scalar(select(BankDetails.verified_by_id).where(
            BankDetails.award_id == award_id)) is not None
