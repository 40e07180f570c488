"""In the browser: a member of staff finds the fund's direct awards from the funds list, records
one (after a refusal), and cannot sign it off themselves; a second member of staff checks and
signs it off (after forgetting to tick), and it is offered and on the public register. Every
page passes axe-core at WCAG 2.2 A and AA."""

import re

from playwright.sync_api import Page, expect

from grants.accounts.models import Role
from grants.core import clock
from grants.extensions import db
from grants.ledger.models import money_year_of
from grants.ledger.operations.paid_in import PaidInEntry, add_entry
from tests.e2e.test_pages_accessibility import sign_in


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_one_member_of_staff_records_a_direct_award_and_another_signs_it_off(
        page: Page, check_accessibility, save, user_factory, fund_factory, organisation_factory,
        plan_factory, priority_factory, key_aim_factory):
    today = clock.today_in_london()
    user_factory(roles=[Role.STAFF], email="recorder@example.org", name="Rita Recorder")
    user_factory(roles=[Role.STAFF], email="signer@example.org", name="Sam Signer")
    organisation_factory(name="Reading Street Support", contact_email="jo@example.org")
    plan = plan_factory(is_current=True)
    priority = priority_factory(plan=plan, number=2, code="P2",
                                title="Prevention and Early Intervention")
    key_aim_factory(priority=priority, number=4, text="Hate crime reported and understood")
    fund = fund_factory(code="PPAF", name="Police Property Act Fund",
                        budgets_limited_by_money_paid_in=True)
    add_entry(db.session, fund, PaidInEntry(
        received_on=today, amount_pence=3_000_00, source="Proceeds of property",
        reference="Proceeds of property this year"), actor_id=None)
    save()
    year = money_year_of(today)

    sign_in(page, "recorder@example.org")
    page.goto("/staff/funds")
    page.get_by_role("link", name="Direct awards of the Police Property Act Fund").click()
    expect(heading(page)).to_have_text("Direct awards")
    expect(page.get_by_text("No direct awards have been recorded for the PPAF yet")
           ).to_be_visible()
    check_accessibility(page)

    page.get_by_role("link", name="Record a direct award").click()
    expect(heading(page)).to_have_text("Record a direct award")
    check_accessibility(page)
    page.get_by_role("button", name="Record the direct award").click()
    expect(page).to_have_title(re.compile(r"^Error: Record a direct award"))
    expect(page.get_by_role("alert")).to_contain_text("Choose the organisation the award is "
                                                      "made to")
    check_accessibility(page)

    page.get_by_label("Organisation", exact=True).select_option(label="Reading Street Support")
    page.get_by_label("Amount", exact=True).fill("4,500")
    group = page.get_by_role("group", name="Date the award was decided")
    group.get_by_label("Day").fill(str(today.day))
    group.get_by_label("Month").fill(str(today.month))
    group.get_by_label("Year").fill(str(today.year))
    page.get_by_label("The Police and Crime Commissioner").check()
    page.get_by_label("What is the award for?").fill("Repairs after a hate crime attack")
    page.get_by_label("Reason for the award").fill(
        "The centre's windows were smashed in a hate crime attack; repairing them at once "
        "kept its food bank open.")
    page.get_by_label("P2 Prevention and Early Intervention").check()
    page.get_by_label("P2.4 Hate crime reported and understood").check()
    page.get_by_role("button", name="Record the direct award").click()
    # More than the fund holds: the figure is said on the amount.
    expect(page.get_by_role("alert")).to_contain_text(
        f"£3,000 is available in the PPAF for {year}, so this direct award can be no more "
        "than £3,000 until more money is paid in")
    check_accessibility(page)
    page.get_by_label("Amount", exact=True).fill("2,500")
    page.get_by_role("button", name="Record the direct award").click()

    expect(heading(page)).to_have_text("Sign off a direct award")
    expect(page.get_by_text("Direct award of £2,500 to Reading Street Support recorded.")
           ).to_be_visible()
    expect(page.get_by_text("You recorded this direct award, so another member of staff must "
                            "sign it off")).to_be_visible()
    expect(page.get_by_role("button", name="Sign off the direct award")).to_have_count(0)
    check_accessibility(page)
    sign_out(page)

    sign_in(page, "signer@example.org")
    page.goto("/staff/funds")
    page.get_by_role("link", name="Direct awards of the Police Property Act Fund").click()
    expect(page.get_by_role("table")).to_contain_text("Waiting for sign-off")
    page.get_by_role("link", name="Check and sign off the award to Reading Street Support"
                     ).click()
    expect(page.get_by_text("Rita Recorder")).to_be_visible()
    page.get_by_role("button", name="Sign off the direct award").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Confirm that you have checked the award and its reason as it will be published")
    check_accessibility(page)
    page.get_by_label("I have checked the award").check()
    page.get_by_role("button", name="Sign off the direct award").click()

    expect(page.get_by_text("Direct award signed off. It is offered to Reading Street "
                            "Support")).to_be_visible()
    page.goto("/awards")
    expect(page.get_by_role("table")).to_contain_text("Reading Street Support")
    expect(page.get_by_role("table")).to_contain_text(f"Direct awards {year}")
