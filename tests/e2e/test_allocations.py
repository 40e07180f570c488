"""In the browser: staff share a Community Safety Fund allocation round among councils by
formula (top-slice, recipients, factors, inputs typed and uploaded, propose, override,
confirm) and record an award from the top-slice; a council lists its projects in a monitoring
return. Every page passes axe-core, including pages showing errors."""

import re
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import select

from grants.accounts.models import Role
from grants.awards.models import Award, AwardSource, AwardStatus
from grants.extensions import db
from grants.funds.models import MonitoringSchedule, RoundKind
from grants.organisations.models import OrganisationType
from tests.e2e.story_staff import People


def test_staff_allocate_a_round_by_formula_and_award_from_the_top_slice(
    page: Page, check_accessibility, save, tmp_path, user_factory, organisation_factory,
    round_factory, fund_factory, local_authority_factory, key_aim_factory, plan_factory,
    priority_factory,
):
    now = datetime.now(UTC)
    user_factory(roles=[Role.STAFF], email="officer@example.org", name="Sam Officer")
    user_factory(roles=[Role.STAFF], email="approver@example.org", name="Pat Approver")
    for name in ("Reading", "Slough", "Wokingham"):
        area = local_authority_factory(name=name)
        organisation_factory(name=f"{name} Council", areas=[area], local_authority=area,
                             organisation_type=OrganisationType.LOCAL_AUTHORITY)
    organisation_factory(name="Cyber Safe Thames Valley")
    plan = plan_factory(is_current=True)
    priority = priority_factory(plan=plan, code="P4", number=4, title="Strong local policing")
    key_aim_factory(priority=priority, number=2, text="Tackle cybercrime")
    round_ = round_factory(fund=fund_factory(code="CSF", name="Community Safety Fund"),
                           code="CSF-2026-1", title="CSF 2026/27 allocations",
                           kind=RoundKind.ALLOCATION, budget_pence=100_000_000,
                           min_award_pence=None, max_award_pence=None,
                           monitoring=MonitoringSchedule.TWICE_YEARLY,
                           opens_at=now - timedelta(days=5), closes_at=now + timedelta(days=60))
    round_id = round_.id
    save()

    people = People(page)
    people.sign_in("officer@example.org", f"/staff/rounds/{round_id}/allocation")
    expect(page.get_by_role("heading", level=1)).to_have_text("Allocation")
    check_accessibility(page)

    page.get_by_role("link", name="Change top-slice").click()
    page.get_by_label("As a percentage of the budget").check()
    page.get_by_label("Top-slice percentage").fill("10")
    check_accessibility(page)
    page.get_by_role("button", name="Save top-slice").click()
    expect(page.get_by_text("£900,000 is shared by formula")).to_be_visible()

    page.get_by_role("link", name="Choose the recipients").click()
    for name in ("Reading Council", "Slough Council", "Wokingham Council"):
        page.get_by_label(name).check()
    check_accessibility(page)
    page.get_by_role("button", name="Save recipients").click()

    # Weights that do not add up are refused, and the page with the error passes axe too.
    page.get_by_role("link", name="Set the factors and weights").click()
    for index, (name, weight) in enumerate([("Population", "50"), ("Recorded crime", "25"),
                                            ("Non-crime demand", "20")]):
        page.locator(f"#name_{index}").fill(name)
        page.locator(f"#weight_{index}").fill(weight)
    page.get_by_role("button", name="Save factors").click()
    expect(page).to_have_title(re.compile(r"^Error: Factors and weights"))
    expect(page.get_by_role("alert")).to_contain_text("The weights add up to 95 %")
    check_accessibility(page)
    page.locator("#weight_2").fill("25")
    page.get_by_role("button", name="Save factors").click()

    # Typed inputs for one council, then a file with a mistake, then the whole file.
    page.get_by_role("link", name="Enter or upload the inputs").click()
    page.get_by_label("Population of Reading Council").fill("200,000")
    page.get_by_label("Recorded crime of Reading Council").fill("3000")
    page.get_by_label("Non-crime demand of Reading Council").fill("1000")
    check_accessibility(page)
    page.get_by_role("button", name="Save inputs").click()
    page.get_by_role("link", name="Enter or upload the inputs").click()
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("Recipient,Population,Recorded crime,Non-crime demand\n"
                     "Slough Council,lots,1000,2000\n")
    page.get_by_label("Upload the inputs as a CSV file").set_input_files(wrong)
    page.get_by_role("button", name="Upload inputs").click()
    expect(page.get_by_role("alert")).to_contain_text("Row 2, column B (Population)")
    check_accessibility(page)
    right = tmp_path / "inputs.csv"
    right.write_text("Recipient,Population,Recorded crime,Non-crime demand\n"
                     "Slough Council,100000,1000,2000\nWokingham Council,100000,2000,2000\n")
    page.get_by_label("Upload the inputs as a CSV file").set_input_files(right)
    page.get_by_role("button", name="Upload inputs").click()
    expect(page.get_by_text("Inputs read from inputs.csv")).to_be_visible()

    page.get_by_role("button", name="Propose shares by formula").click()
    expect(page.locator("#shares-total")).to_have_text("£900,000")
    expect(page.get_by_text("Adds up to the £900,000 allocated by formula")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("link", name="Change share of Reading Council").click()
    page.get_by_label("Share", exact=True).fill("390000")
    page.get_by_label("Why does this share differ from the formula's?").fill("More demand")
    page.get_by_role("button", name="Save share").click()
    expect(page.get_by_role("alert")).to_contain_text("£7,500 over the £900,000")
    check_accessibility(page)
    page.get_by_label("Share", exact=True).fill("380000")
    page.get_by_role("button", name="Save share").click()
    expect(page.get_by_text("£2,500 under the £900,000 allocated by formula")).to_be_visible()

    page.get_by_label("Reason for the award, as it will be published").fill(
        "Shared among the partnerships by population, crime and demand")
    page.get_by_role("button", name="Confirm the shares as awards").click()
    expect(page.get_by_text("3 awards of £897,500 in all confirmed")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("link", name="Record an award from the top-slice").click()
    page.get_by_label("Organisation", exact=True).select_option(label="Cyber Safe Thames Valley")
    page.get_by_label("What is the award for?").fill("Cybercrime initiatives")
    page.get_by_label("Amount", exact=True).fill("100000.01")
    page.get_by_label("P4 Strong local policing").check()
    page.get_by_label("P4.2 Tackle cybercrime").check()
    page.get_by_label("Reason for the award, as it will be published").fill(
        "Online fraud is rising")
    page.get_by_role("button", name="Record award").click()
    expect(page.get_by_role("alert")).to_contain_text("Only £100,000 of the top-slice")
    check_accessibility(page)
    page.get_by_label("Amount", exact=True).fill("100000")
    page.get_by_role("button", name="Record award").click()
    expect(page.get_by_text("£0 left")).to_be_visible()

    # Nothing is offered until a second member of staff signs off and the round is published.
    awards = db.session.scalars(select(Award).where(Award.round_id == round_id)).all()
    assert sorted((a.source.value, a.amount_pence) for a in awards) == [
        ("allocation", 24_000_000), ("allocation", 27_750_000), ("allocation", 38_000_000),
        ("top_slice", 10_000_000)]
    assert {a.status for a in awards} == {AwardStatus.PROPOSED}
    db.session.rollback()

    people.sign_in("approver@example.org", f"/staff/rounds/{round_id}/allocation")
    page.get_by_role("button", name="Sign off the decisions").click()
    check_accessibility(page)
    page.get_by_role("button", name="Publish the decisions").click()
    check_accessibility(page)
    assert {a.status for a in db.session.scalars(
        select(Award).where(Award.round_id == round_id))} == {AwardStatus.OFFERED}


def test_a_council_lists_the_projects_its_allocation_funded_in_a_monitoring_return(
    page: Page, check_accessibility, save, user_factory, organisation_factory,
    membership_factory, round_factory, award_factory, key_aim_factory, plan_factory,
    priority_factory,
):
    now = datetime.now(UTC)
    member = user_factory(roles=[Role.APPLICANT], email="council@example.org")
    council = organisation_factory(name="Reading Council",
                                   organisation_type=OrganisationType.LOCAL_AUTHORITY)
    membership_factory(user=member, organisation=council)
    priority = priority_factory(plan=plan_factory(is_current=True), code="P4", number=4,
                                title="Strong local policing")
    key_aim_factory(priority=priority, number=2, text="Tackle cybercrime")
    round_ = round_factory(kind=RoundKind.ALLOCATION, monitoring=MonitoringSchedule.TWICE_YEARLY,
                           min_award_pence=None, max_award_pence=None,
                           opens_at=now - timedelta(days=300),
                           closes_at=now - timedelta(days=250))
    award = award_factory(round=round_, organisation=council, amount_pence=5_000_000,
                          source=AwardSource.ALLOCATION, status=AwardStatus.ACCEPTED,
                          title="Community Safety Fund allocation",
                          offered_at=now - timedelta(days=240),
                          accepted_at=now - timedelta(days=230),
                          accepted_on=(now - timedelta(days=230)).date(),
                          accepted_by_name="Jo Member")
    award_id = award.id
    save()

    People(page).sign_in("council@example.org", f"/awards/{award_id}/reports")
    # The daily run has not made the returns yet: starting the first one makes them.
    page.get_by_role("button", name=re.compile("Monitoring return")).first.click()
    page.locator("#project_0_name").fill("Cyber aware schools")
    page.locator("#project_0_spent").fill("12500")
    page.locator("#project_0_priorities").check()  # P4, the only priority
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text(re.compile(r"is saved as a draft"))).to_be_visible()
    page.get_by_role("link", name=re.compile("Monitoring return")).first.click()
    expect(page.locator("#project_0_name")).to_have_value("Cyber aware schools")
    check_accessibility(page)
    page.get_by_role("button", name="Send report").click()
    expect(page).to_have_title(re.compile(r"^Error: Monitoring return"))
    check_accessibility(page)
