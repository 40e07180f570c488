"""In the browser: staff open the page to record a Community Foundation allocation, then, for
an allocation signed off, type an onward grant and upload the foundation's 360Giving file with
a problem in a row; then a member of the foundation reads its award page, with the onward
grant, on a phone. Every new page passes axe-core at WCAG 2.2 A and AA."""

from playwright.sync_api import Page, expect

from grants.accounts.models import Role
from grants.core import clock
from grants.direct_awards.models import DecisionMaker, DirectAwardKind
from grants.direct_awards.operations.recording import DirectAwardEntry, record_direct_award
from grants.direct_awards.operations.signing_off import sign_off_direct_award
from grants.extensions import db
from grants.ledger.operations.paid_in import PaidInEntry, add_entry
from tests.e2e.story_checks import VIEWPORTS
from tests.e2e.test_pages_accessibility import sign_in
from tests.e2e.without_pages import signed_out


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def test_staff_record_an_allocations_onward_grants_by_typing_and_by_upload(
        page: Page, check_accessibility, save, tmp_path, user_factory, fund_factory,
        organisation_factory, membership_factory, plan_factory, priority_factory,
        key_aim_factory):
    today = clock.today_in_london()
    recorder = user_factory(roles=[Role.STAFF], email="recorder@example.org")
    signer = user_factory(roles=[Role.STAFF], email="signer@example.org")
    foundation = organisation_factory(name="Heart of Bucks")
    membership_factory(user=user_factory(roles=[Role.APPLICANT], email="hob@example.org"),
                       organisation=foundation)
    priority = priority_factory(plan=plan_factory(is_current=True), number=1, code="P1",
                                title="Vulnerability")
    aim = key_aim_factory(priority=priority, number=1, text="Protect vulnerable people")
    fund = fund_factory(code="PPAF", name="Police Property Act Fund",
                        budgets_limited_by_money_paid_in=True)
    add_entry(db.session, fund, PaidInEntry(
        received_on=today, amount_pence=50_000_00, source="Proceeds of property",
        reference="Proceeds of property this year"), actor_id=None)
    direct = record_direct_award(db.session, recorder, fund.id, DirectAwardEntry(
        organisation_id=foundation.id, amount_pence=10_000_00, decided_on=today,
        decision_maker=DecisionMaker.COMMISSIONER, delegate_name="", title="Small grants",
        public_reason="Heart of Bucks knows the county's small groups.",
        priority_id=priority.id, key_aim_ids=[aim.id], kind=DirectAwardKind.DELEGATED))
    sign_off_direct_award(db.session, signer, direct.award_id, confirmed=True)
    fund_id, award_id = fund.id, direct.award_id
    save()

    sign_in(page, "recorder@example.org")
    page.goto(f"/staff/funds/{fund_id}/direct-awards")
    page.get_by_role("link", name="Record a Community Foundation allocation").click()
    expect(heading(page)).to_have_text("Record a Community Foundation allocation")
    check_accessibility(page)

    page.goto(f"/staff/funds/{fund_id}/direct-awards")
    page.get_by_role("link", name="Onward grants of Heart of Bucks").click()
    expect(heading(page)).to_have_text("Onward grants: Heart of Bucks")
    check_accessibility(page)

    page.get_by_role("link", name="Add an onward grant").click()
    expect(heading(page)).to_have_text("Add an onward grant: Heart of Bucks")
    page.get_by_label("Organisation the grant went to").fill("Wycombe Youth Action")
    page.get_by_label("Amount", exact=True).fill("12,000")
    group = page.get_by_role("group", name="Date the grant was made")
    group.get_by_label("Day").fill(str(today.day))
    group.get_by_label("Month").fill(str(today.month))
    group.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Priority it serves (optional)").select_option(label="P1 Vulnerability")
    page.get_by_role("button", name="Add the onward grant").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "more than the £10,000 allocated to it: £0 is recorded already, so £10,000 is left")
    check_accessibility(page)
    page.get_by_label("Amount", exact=True).fill("6,000")
    page.get_by_role("button", name="Add the onward grant").click()
    expect(page.get_by_text("Left to record")).to_be_visible()
    expect(page.get_by_role("table", name="By priority")).to_contain_text("£6,000")

    page.get_by_role("link", name="Upload its 360Giving file").click()
    expect(heading(page)).to_have_text("Upload onward grants: Heart of Bucks")
    upload = tmp_path / "heart-of-bucks.csv"
    upload.write_text("Identifier,Title,Amount Awarded,Award Date,Recipient Org:Identifier,"
                      "Recipient Org:Name\n360G-HOB-1,Food bank,lots,2026-05-02,"
                      "GB-CHC-1000001,Chiltern Foodbank\n")
    page.get_by_label("Upload the Community Foundation's 360Giving file").set_input_files(
        str(upload))
    page.get_by_role("button", name="Upload the onward grants").click()
    expect(page.locator("#problems")).to_contain_text("Row 1, Amount Awarded:")
    check_accessibility(page)

    # The foundation's member sees the onward grant on its award page, on a phone.
    signed_out(page)
    page.set_viewport_size(VIEWPORTS["phone"])
    sign_in(page, "hob@example.org")
    page.goto(f"/awards/{award_id}/offer")
    expect(heading(page)).to_have_text("Your grant offer")
    expect(page.get_by_role("heading", name="Grants made from this allocation")).to_be_visible()
    expect(page.get_by_role("region", name="Grants made from this allocation")).to_contain_text(
        "Wycombe Youth Action")
    check_accessibility(page)
