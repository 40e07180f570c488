"""The application's section pages pass axe-core showing errors. (As first shown, the year story
checks them at a desktop's width and the applicant's journey at a phone's.)"""

from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect

from grants.accounts.models import Role
from tests.e2e.without_pages import sign_in_without_pages

SECTIONS = [
    ("organisation", "Your organisation"),
    ("priorities", "Priorities and key aims"),
    ("areas", "Areas served"),
    ("budget", "Budget"),
    ("outcomes", "Outcomes and beneficiaries"),
    ("declarations", "Declaration"),
]


def test_section_pages_showing_errors_are_accessible(
    page: Page, check_accessibility, save, user_factory, organisation_factory,
    membership_factory, round_factory, application_factory, priority_factory, key_aim_factory,
    local_authority_factory, county_factory,
):
    now = datetime.now(UTC)
    round_ = round_factory(opens_at=now - timedelta(days=7), closes_at=now + timedelta(days=28),
                           launched_at=now - timedelta(days=20))
    priority = priority_factory(code="P1", title="Vulnerability",
                                objective="Improve the response to vulnerable people.")
    key_aim = key_aim_factory(priority=priority, number=1, text="Find hidden abuse.")
    round_.priorities.append(priority)
    round_.key_aims.append(key_aim)
    local_authority_factory(name="Reading", official_name="Reading Borough Council",
                            county=county_factory(name="Berkshire"))
    applicant = user_factory(roles=[Role.APPLICANT], email="sections@example.org")
    organisation = organisation_factory(name="Reading Street Support")
    membership_factory(user=applicant, organisation=organisation)
    application_id = application_factory(round=round_, organisation=organisation,
                                         created_by=applicant).id
    save()

    sign_in_without_pages(page, "sections@example.org")
    for key, heading in SECTIONS:
        page.goto(f"/applications/{application_id}/sections/{key}")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        page.get_by_role("button", name="Save and continue").click()
        expect(page.get_by_role("heading", level=2, name="There is a problem")).to_be_visible()
        check_accessibility(page)
