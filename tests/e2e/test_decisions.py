"""In the browser: staff open a round's decisions and the proposal, declare no conflict and
award one application in full and one in part (after an error for a missing reason), beside one
declined; a second member of staff declares a conflict on one application (after an
error for a missing description), signs the decisions off and publishes them; the applicant then
sees the outcome on their dashboard and their application, and accepts the offer. Every page
passes axe-core.

The decline is made through the services: the year's story drives the decision form to a
decline (and tests/awards proves what declining does)."""

import re
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import select

from grants.accounts.models import User
from grants.applications.models import Application
from grants.decisions.models import DecisionOutcome
from grants.extensions import db
from grants.records.models import OutboxMessage
from tests.awards.decisions_data import (
    decided,
    deciding_round,
    eligible,
    member_of,
    staff_member,
)
from tests.e2e.story_staff import People
from tests.fixtures.factories import OrganisationFactory, PriorityFactory


def _decide(page: Page, reference: str) -> None:
    """Open the application's decision page from its link on the decisions page, and wait
    until it has loaded (a click on a busy machine could land while the page still settles)."""
    link = page.get_by_role("link", name=f"Decide on {reference}")
    page.goto(link.get_attribute("href"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^(Declare any conflict of interest|Decide on the application)$"))


def test_staff_decide_sign_off_and_publish_and_the_applicant_sees_the_outcome(
        page: Page, check_accessibility, save):
    now = datetime.now(UTC)
    sam_id = staff_member("Sam Staff", email="sam@example.org").id
    staff_member("Pat Partner", email="pat@example.org")
    round_ = deciding_round(opens_at=now - timedelta(days=40),
                            closes_at=now - timedelta(days=10),
                            launched_at=now - timedelta(days=45),
                            assessing_at=now - timedelta(days=5))
    priority = PriorityFactory(title="Protecting vulnerable people")
    reading = OrganisationFactory(name="Reading Street Support",
                                  contact_email="hello@readingstreet.example")
    member_of(reading, email="applicant@example.org", name="Ali Applicant")
    first = eligible(round_, 1, amount_pence=500_000, organisation=reading, priority=priority)
    second = eligible(round_, 2, amount_pence=600_000, priority=priority)
    third = eligible(round_, 3, amount_pence=1_000_000)
    round_id, first_id, third_id = round_.id, first.id, third.id
    first_ref, second_ref = first.reference, second.reference
    save()

    # The decisions page and the proposal, before any decision.
    people = People(page)
    people.sign_in("sam@example.org", f"/staff/rounds/{round_id}/decisions")
    expect(page.get_by_role("heading", level=1)).to_have_text("Decisions")
    expect(page.get_by_text("The money runs out at rank 3")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Propose funding in rank order").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Propose funding in rank order")
    check_accessibility(page)

    page.get_by_role("link", name="Back to the round's decisions").click()

    # Award the first in full, after declaring no conflict.
    _decide(page, first_ref)
    expect(page.get_by_role("heading", level=1)).to_have_text("Declare any conflict of interest")
    check_accessibility(page)
    page.get_by_label("I have no conflict of interest").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Decide on the application")
    check_accessibility(page)
    page.get_by_role("radio", name="Award in full").check()
    page.get_by_label("Reason for the decision").fill("Strong plan, well evidenced")
    page.get_by_label("Reason for the award, as it will be published").fill(
        "Street outreach the town centre lacks")
    page.get_by_label("Conditions of the award (optional)").fill(
        "Send a short report within 12 months")
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text(f"Decision saved: {first_ref} awarded £5,000.")).to_be_visible()

    # Sam has declined the third (through the services: the same form, which the year's
    # story drives to a decline).
    decided(db.session.get(User, sam_id), db.session.get(Application, third_id),
            DecisionOutcome.DECLINE, reason="Outside the round's priorities",
            feedback="Show the link to community safety")
    db.session.close()

    # Award the second in part: a missing reason is an error first.
    _decide(page, second_ref)
    page.get_by_label("I have no conflict of interest").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("radio", name="Award in part").check()
    page.get_by_label("Amount to award in part, in pounds").fill("2,500")
    page.get_by_label("Reason for the award, as it will be published").fill(
        "A pilot year of youth work")
    page.get_by_role("button", name="Save decision").click()
    expect(page).to_have_title(re.compile(r"^Error: Decide"))
    expect(page.get_by_role("alert")).to_contain_text("Enter the reason for the decision")
    expect(page.get_by_role("radio", name="Award in part")).to_be_checked()
    check_accessibility(page)
    page.get_by_label("Reason for the decision").fill("Fund the pilot year only")
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text(f"Decision saved: {second_ref} awarded £2,500.")).to_be_visible()
    expect(page.locator(".govuk-summary-list__row",
                        has=page.get_by_text("Committed", exact=True))).to_contain_text("£7,500")
    expect(page.get_by_text("You made or changed some of these decisions")).to_be_visible()
    check_accessibility(page)

    # A second member of staff declares a conflict on one, signs off and publishes.
    people.sign_in("pat@example.org", f"/staff/applications/{first_id}/decision")
    page.get_by_label("I have a conflict of interest").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("Describe your conflict of interest")
    check_accessibility(page)
    page.get_by_label("If you have a conflict of interest, describe it").fill(
        "I volunteer with Reading Street Support")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You cannot decide on this application")
    check_accessibility(page)
    page.get_by_role("link", name="Back to the round's decisions").click()
    page.get_by_role("button", name="Sign off the decisions").click()
    expect(page.get_by_text("Decisions signed off.")).to_be_visible()
    page.get_by_role("button", name="Publish the decisions").click()
    expect(page.get_by_text("Decisions published: 2 awarded and 1 declined.")).to_be_visible()
    check_accessibility(page)

    # The applicant sees the award (signing in lands on their dashboard).
    people.sign_in("applicant@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    expect(page.get_by_role("row", name=re.compile(first_ref))).to_contain_text("Awarded")
    check_accessibility(page)
    page.get_by_role("link", name="Project 1", exact=True).click()
    expect(page.get_by_text("You have been offered a grant of £5,000")).to_be_visible()
    expect(page.get_by_text("Send a short report within 12 months")).to_be_visible()
    expect(page.get_by_role("link", name="Read and accept the offer")).to_be_visible()
    check_accessibility(page)

    # ...and accepts the offer.
    page.get_by_role("link", name="Read and accept the offer").click()
    page.get_by_label("Your position in the organisation").fill("Treasurer")
    page.get_by_label("I accept these terms on behalf of Reading Street Support").check()
    page.get_by_role("button", name="Accept the offer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bank details for your grant")
    expect(page.get_by_text("You accepted the grant offer of £5,000.")).to_be_visible()

    emails = db.session.scalars(select(OutboxMessage.to_address).where(
        OutboxMessage.idempotency_key.like("decision-published:%"))).all()
    assert "hello@readingstreet.example" in emails
