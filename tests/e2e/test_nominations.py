"""In the browser: a High Sheriff finds an organisation and nominates it (refused first for
going over the county's allocation), staff ask for a change, the High Sheriff changes it, and
staff approve it. Every page passes axe-core, including pages showing errors."""

import re
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import select

from grants.accounts.models import Role
from grants.awards.models import Award, AwardSource, AwardStatus
from grants.core import clock
from grants.extensions import db
from grants.funds.models import CountyAllocation, RoundKind
from grants.organisations.notifications import make_claim_token
from tests.e2e.story_staff import People


def test_a_nomination_goes_from_the_high_sheriff_to_an_approved_award(
    page: Page, check_accessibility, save, user_factory, organisation_factory,
    county_factory, local_authority_factory, priority_factory, round_factory
):
    now = datetime.now(UTC)
    berkshire = county_factory(name="Berkshire")
    reading = local_authority_factory(name="Reading", county=berkshire)
    priority = priority_factory(code="P1", title="Vulnerable people")
    round_ = round_factory(
        kind=RoundKind.NOMINATION, code="HSA-2026-1", title="High Sheriff awards",
        opens_at=now - timedelta(days=7), closes_at=now + timedelta(days=21),
        launched_at=now - timedelta(days=10), budget_pence=2_000_000,
        min_award_pence=None, max_award_pence=None)
    round_.priorities.append(priority)
    db.session.add(CountyAllocation(round_id=round_.id, county_id=berkshire.id,
                                    amount_pence=1_000_000))
    term = clock.financial_year_start(round_.financial_year)
    user_factory(roles=[Role.HIGH_SHERIFF], email="sheriff@example.org",
                 name="Hilary Sheriff", county=berkshire, term_year=term)
    user_factory(roles=[Role.STAFF], email="staff@example.org", name="Sam Staff")
    organisation = organisation_factory(name="Reading Youth Trust", local_authority=reading,
                                        contact_email="contact@example.org")
    claim_path = "/organisations/claim/" + make_claim_token(organisation.id,
                                                                   "contact@example.org")
    save()

    # The High Sheriff's home, the search and the new-organisation form.
    people = People(page)
    people.sign_in("sheriff@example.org", "/nominations")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your nominations")
    expect(page.get_by_text("£10,000").first).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Nominate an organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Choose the organisation to nominate")
    check_accessibility(page)
    # Entering a new organisation is offered once a search has not found it.
    expect(page.get_by_role("button", name="Enter a new organisation")).to_have_count(0)
    page.get_by_label("Organisation name, charity number or company number").fill("kayaking")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("0 organisations found")).to_be_visible()
    page.get_by_role("button", name="Enter a new organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nominate a new organisation")
    check_accessibility(page)
    page.go_back()
    page.get_by_label("Organisation name, charity number or company number").fill("youth")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("1 organisation found")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Nominate Reading Youth Trust").click()

    # Over the allocation: refused with the money left; then within it.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Nominate Reading Youth Trust")
    check_accessibility(page)
    page.get_by_label("Amount to award, in pounds").fill("12000")
    page.get_by_label("P1 Vulnerable people").check()
    page.get_by_label("What is the money for?").fill("A summer boxing programme")
    page.get_by_label("Why does the organisation deserve support?").fill(
        "Volunteers who keep young people safe")
    page.get_by_role("button", name="Send nomination").click()
    expect(page).to_have_title(re.compile(r"^Error: Nominate Reading Youth Trust"))
    expect(page.get_by_role("alert")).to_contain_text(
        "Enter £10,000 or less: Berkshire has £10,000 left in this round")
    check_accessibility(page)
    page.get_by_label("Amount to award, in pounds").fill("2500")
    page.get_by_role("button", name="Send nomination").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Nomination of Reading Youth Trust")
    check_accessibility(page)

    # Staff ask for a change (a blank request is refused first).
    people.sign_in("staff@example.org", "/staff/nominations")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nomination rounds")
    check_accessibility(page)
    page.get_by_role("link", name="High Sheriff awards").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nominations")
    check_accessibility(page)
    page.get_by_role("link", name="Reading Youth Trust").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Nomination of Reading Youth Trust")
    check_accessibility(page)
    page.get_by_role("button", name="Ask the High Sheriff for changes").click()
    expect(page).to_have_title(re.compile(r"^Error: Nomination of Reading Youth Trust"))
    check_accessibility(page)
    page.get_by_label("What should the High Sheriff change?").fill(
        "Say how many young people it reaches")
    page.get_by_role("button", name="Ask the High Sheriff for changes").click()
    expect(page.get_by_text("Waiting for the High Sheriff")).to_be_visible()

    # The High Sheriff changes it and sends it again.
    people.sign_in("sheriff@example.org", "/nominations")
    page.get_by_role("link", name="Reading Youth Trust").click()
    expect(page.get_by_text("Staff asked you to change this nomination")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Change and send again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Change the nomination of Reading Youth Trust")
    check_accessibility(page)
    page.get_by_label("What is the money for?").fill("A summer boxing programme for 40")
    page.get_by_role("button", name="Save and send to staff").click()
    expect(page.get_by_text("Your nomination was saved and sent to staff.")).to_be_visible()
    page.get_by_role("button", name="Withdraw the nomination").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Withdraw the nomination of Reading Youth Trust")
    check_accessibility(page)

    # Staff approve: an award, offered to the organisation when the round is published.
    people.sign_in("staff@example.org", "/staff/nominations")
    page.get_by_role("link", name="High Sheriff awards").click()
    page.get_by_role("link", name="Reading Youth Trust").click()
    page.get_by_label("Reason for the award, as it will be published").fill(
        "Nominated by the High Sheriff for youth work in Reading")
    page.get_by_label("Conditions of the award (optional)").fill("Send us photos")
    page.get_by_role("button", name="Approve the nomination").click()
    expect(page.get_by_text("Approved: £2,500 to Reading Youth Trust")).to_be_visible()
    expect(page.get_by_text("Not yet published", exact=True)).to_be_visible()
    expect(page.get_by_text("Approved", exact=True)).to_be_visible()
    check_accessibility(page)

    # The organisation's contact opens the invitation to claim its account, in a browser
    # where no one is signed in.
    people.nobody(claim_path)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Claim Reading Youth Trust's account")
    check_accessibility(page)

    award = db.session.scalars(select(Award)).one()
    assert (award.source, award.status, award.amount_pence, award.conditions) == (
        AwardSource.NOMINATION, AwardStatus.PROPOSED, 250_000, "Send us photos")
    assert award.title == "A summer boxing programme for 40"
