"""Staff add a Police and Crime Plan with its priorities and key aims, make it current, and
every page on the way passes axe-core at WCAG 2.2 A and AA. (The plan's second priority is
added through the services: the form for it is the first's.)"""

import re

from playwright.sync_api import Page, expect

from grants.accounts.models import Role
from grants.extensions import db
from grants.plans.models import Plan
from grants.plans.operations.priorities import add_priority
from tests.e2e.story_staff import People


def fill_date(page: Page, legend: str, day: str, month: str, year: str) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def test_staff_add_a_plan_with_priorities_and_make_it_current(
    page: Page, check_accessibility, save, user_factory, plan_factory
):
    user_factory(roles=[Role.STAFF], email="staff@example.org")
    plan_factory(code="TVPCC-PCP-2017-21", title="Police and Crime Plan 2017 to 2021",
                 is_current=True)
    save()
    People(page).sign_in("staff@example.org", "/staff/plans")
    expect(heading(page)).to_have_text("Police and Crime Plans")
    check_accessibility(page)

    page.get_by_role("link", name="Add a plan").click()
    expect(heading(page)).to_have_text("Add a plan")
    check_accessibility(page)

    # Dates out of order: the error shows in the summary and on the field.
    page.get_by_label("Title").fill("Police and Crime Plan 2024 to 2029")
    page.get_by_label("Code").fill("TVPCC-PCP-2024-29")
    fill_date(page, "Valid from", "1", "4", "2024")
    fill_date(page, "Valid to (optional)", "31", "3", "2023")
    page.get_by_role("button", name="Add plan").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Valid to must be the same as or after valid from")
    expect(page).to_have_title("Error: Add a plan — "
                               "Thames Valley Police and Crime Commissioner — Grants")
    check_accessibility(page)

    fill_date(page, "Valid to (optional)", "31", "3", "2029")
    page.get_by_role("button", name="Add plan").click()
    expect(heading(page)).to_have_text("Police and Crime Plan 2024 to 2029")
    expect(page.get_by_text("Plan TVPCC-PCP-2024-29 added")).to_be_visible()
    check_accessibility(page)

    plan_id = int(re.search(r"/staff/plans/(\d+)", page.url).group(1))

    page.get_by_role("link", name="Add a priority").click()
    expect(heading(page)).to_have_text("Add a strategic priority")
    page.get_by_label("Title").fill("Strong local policing")
    page.get_by_label("Strategic objective (optional)").fill("Keep communities safe")
    page.get_by_role("button", name="Add priority").click()
    expect(page.get_by_role("heading", name="P1 Strong local policing")).to_be_visible()
    check_accessibility(page)  # the plan page with priorities and no key aims yet
    add_priority(db.session, db.session.get(Plan, plan_id), actor_id=None,
                 title="Fighting serious organised crime")
    save()

    page.get_by_role("link", name="Add a key aim to P1").click()
    expect(heading(page)).to_have_text("Add a key aim to P1")
    page.get_by_role("button", name="Add key aim").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the key aim")
    check_accessibility(page)
    page.get_by_label("Key aim").fill("More visible neighbourhood policing")
    page.get_by_role("button", name="Add key aim").click()

    expect(page.get_by_role("heading", name="P1 Strong local policing")).to_be_visible()
    expect(page.get_by_role("heading", name="P2 Fighting serious organised crime")
           ).to_be_visible()
    expect(page.get_by_role("row", name="P1.1 More visible neighbourhood policing")
           ).to_be_visible()
    check_accessibility(page)

    page.get_by_role("button", name="Make this the current plan").click()
    expect(page.get_by_text("Police and Crime Plan 2024 to 2029 is now the current plan")
           ).to_be_visible()
    expect(page.get_by_role("button", name="Make this the current plan")).to_have_count(0)

    page.get_by_role("link", name="Back to plans").click()
    current = page.get_by_role("row").filter(has_text="Current")
    expect(current).to_have_count(1)
    expect(current).to_contain_text("Police and Crime Plan 2024 to 2029")

    # The forms for changing things, and the delete confirmation.
    page.get_by_role("link", name="Police and Crime Plan 2024 to 2029").click()
    forms = [("Change the plan's details", "Change plan details"),
             ("Change P2", "Change priority P2"),
             ("Change P1.1", "Change key aim P1.1"),
             ("Delete P2", "Are you sure you want to delete priority P2?")]
    paths = [page.get_by_role("link", name=link).get_attribute("href") for link, _ in forms]
    for path, (_, title) in zip(paths, forms, strict=True):
        page.goto(path)
        expect(heading(page)).to_have_text(title)
        expect(page.get_by_role("link", name="Back to the plan").first).to_have_attribute(
            "href", f"/staff/plans/{plan_id}")
        check_accessibility(page)

    # On the last of them, the confirmation, P2 is deleted.
    page.get_by_role("button", name="Yes, delete priority P2").click()
    expect(page.get_by_text("Priority P2 deleted")).to_be_visible()
    expect(page.get_by_role("heading", name="P2 Fighting serious organised crime")
           ).to_have_count(0)
    expect(page.get_by_role("heading", name="P1 Strong local policing")).to_be_visible()


def test_the_refusal_to_delete_a_used_priority_is_accessible(
    page: Page, check_accessibility, save, user_factory, plan_factory, priority_factory,
    round_factory
):
    user_factory(roles=[Role.STAFF], email="staff@example.org")
    plan = plan_factory(title="Police and Crime Plan 2021 to 2024")
    priority = priority_factory(plan=plan, number=1, code="P1", title="Strong local policing")
    round_ = round_factory(code="PPAF-2019-1")
    round_.priorities.append(priority)
    path = f"/staff/plans/{plan.id}/priorities/{priority.id}/delete"
    save()
    People(page).sign_in("staff@example.org", path)
    expect(heading(page)).to_have_text("You cannot delete priority P1")
    expect(page.get_by_text("This priority is used by round PPAF-2019-1")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("button", name="Retire it instead").click()
    expect(page.get_by_role("heading", name="P1 Strong local policing Retired")).to_be_visible()
    check_accessibility(page)
