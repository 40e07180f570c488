"""Staff find a second record of an organisation, see what would move, and merge it."""

from playwright.sync_api import Page, expect

from grants.accounts.models import Role
from tests.e2e.test_pages_accessibility import sign_in


def test_staff_merge_a_second_record_of_an_organisation(
    page: Page, check_accessibility, save, user_factory, organisation_factory,
    application_factory,
):
    user_factory(roles=[Role.STAFF], email="staff@example.org", name="Sam Staff")
    kept = organisation_factory(name="Wantage Youth Club", postcode="OX12 8AA")
    duplicate = organisation_factory(name="Wantage Youth Club CIO", postcode="OX12 8AA")
    application_factory(organisation=duplicate, title="Holiday club")
    kept_id = kept.id
    save()

    sign_in(page, "staff@example.org")
    page.goto(f"/organisations/{kept_id}")
    page.get_by_role("link", name="Merge another record of this organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Find the other record of Wantage Youth Club")
    check_accessibility(page)
    page.get_by_role("link", name="Merge Wantage Youth Club CIO into this record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Merge Wantage Youth Club CIO into Wantage Youth Club")
    expect(page.get_by_text("Moves to Wantage Youth Club: 1 application.")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Merge the records").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter why these are one organisation")
    check_accessibility(page)
    page.get_by_label("Why are these records one organisation?").fill(
        "Registered twice by two volunteers")
    page.get_by_role("button", name="Merge the records").click()
    expect(page.get_by_text("Wantage Youth Club CIO's record is merged into this one: "
                            "1 application moved.")).to_be_visible()
