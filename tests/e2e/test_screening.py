"""In the browser: staff open a round's applications, filter them, screen one eligible and one
not eligible (a missing reason is shown as an error first), reverse a decision, and ask the
applicant a question, which the applicant sees with the reason and answers. Every page passes
axe-core, including the pages showing errors."""

import re
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect

from grants.accounts.models import Role
from grants.applications.models import ApplicationStatus
from grants.areas.models import LocalAuthority
from grants.extensions import db
from grants.organisations.models import OrganisationType
from tests.assessment.screening_data import add_questions, closed_round, member_of, sent
from tests.e2e.story_staff import People

MANDATORY = "Is the organisation based in Thames Valley?"
OPTIONAL = "Has the organisation had a grant from us before?"


def test_staff_filter_the_list_and_screen_applications_eligible_and_not_eligible(
    page: Page, check_accessibility, save, user_factory, organisation_factory, county_factory
):
    now = datetime.now(UTC)
    user_factory(roles=[Role.STAFF], email="staff@example.org", name="Sam Staff")
    round_ = closed_round(opens_at=now - timedelta(days=30), closes_at=now - timedelta(days=2),
                          launched_at=now - timedelta(days=40))
    add_questions(round_, (MANDATORY, True), (OPTIONAL, False))
    berkshire = county_factory(name="Berkshire")
    reading = LocalAuthority(gss_code="E06000038", name="Reading", office=berkshire.office,
                             county=berkshire, tier="unitary")
    db.session.add(reading)
    alpha = sent(round_, organisation_factory(
        name="Alpha Trust", organisation_type=OrganisationType.REGISTERED_CHARITY,
        local_authority=reading))
    beta_organisation = organisation_factory(name="Beta Group", contact_email="beta@example.org")
    member_of(beta_organisation, email="member@example.org", name="Jo Member")
    beta = sent(round_, beta_organisation)
    sent(round_, organisation_factory(name="Gamma Youth"), status=ApplicationStatus.WITHDRAWN)
    round_id, alpha_ref, beta_ref, beta_id = round_.id, alpha.reference, beta.reference, beta.id
    save()

    people = People(page)
    people.sign_in("staff@example.org", f"/staff/rounds/{round_id}/applications")
    expect(page.get_by_role("heading", level=1)).to_have_text("Applications")
    expect(page.get_by_role("heading", name="3 applications")).to_be_visible()
    check_accessibility(page)

    # Filter: registered charities in Reading.
    page.get_by_label("Organisation type").select_option(label="Registered charity")
    page.get_by_label("Organisation's local authority").select_option(label="Reading")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="1 application match the filters")).to_be_visible()
    expect(page.get_by_role("link", name=alpha_ref)).to_be_visible()
    expect(page.get_by_role("link", name=beta_ref)).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("^Download CSV"))).to_have_attribute(
        "href", re.compile(r"organisation_type=registered_charity"))
    check_accessibility(page)

    # Screen Alpha: yes to the mandatory question, no to the optional one: eligible.
    page.get_by_role("link", name=alpha_ref).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(alpha_ref)
    check_accessibility(page)
    page.get_by_role("button", name="Screen this application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Screen eligibility")
    check_accessibility(page)
    page.get_by_role("group", name=MANDATORY).get_by_label("Yes", exact=True).check()
    page.get_by_role("group", name=OPTIONAL).get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Save and record decision").click()
    expect(page.get_by_text(f"{alpha_ref} is eligible.")).to_be_visible()
    expect(page.locator(".govuk-summary-list__value .govuk-tag").first).to_have_text("Eligible")

    # Screen Beta: no to the mandatory question, first without a reason.
    page.goto(f"/staff/applications/{beta_id}/screening")
    page.get_by_role("group", name=MANDATORY).get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Save and record decision").click()
    expect(page).to_have_title(re.compile(r"^Error: Screen eligibility"))
    expect(page.get_by_role("alert")).to_contain_text(
        "Enter why the application is not eligible")
    expect(page.get_by_role("group", name=MANDATORY).get_by_label("No", exact=True)).to_be_checked()
    check_accessibility(page)
    page.get_by_label("Reason the application is not eligible").fill(
        "The organisation is based in Kent, outside Thames Valley.")
    page.get_by_role("button", name="Save and record decision").click()
    expect(page.get_by_text(f"{beta_ref} is not eligible.")).to_be_visible()
    expect(page.get_by_text("The organisation is based in Kent, outside Thames Valley.")
           ).to_be_visible()
    check_accessibility(page)

    # Ask Beta a question; a missing question is an error first.
    page.get_by_role("button", name="Send question").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    check_accessibility(page)
    page.get_by_label("Ask the applicant a question").fill("Where do your volunteers meet?")
    page.get_by_role("button", name="Send question").click()
    expect(page.get_by_text("Question sent to the applicant.")).to_be_visible()

    # The reversal page, with its error.
    page.get_by_role("link", name="Reverse the screening decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reverse the screening decision")
    page.get_by_role("button", name="Reverse decision").click()
    expect(page).to_have_title(re.compile(r"^Error: Reverse the screening decision"))
    check_accessibility(page)

    # The list now shows what changed.
    page.goto(f"/staff/rounds/{round_id}/applications?status=ineligible")
    expect(page.get_by_role("link", name=beta_ref)).to_be_visible()
    expect(page.get_by_role("link", name=alpha_ref)).to_have_count(0)

    # The applicant sees the reason and the question, and answers it.
    people.sign_in("member@example.org", f"/applications/{beta_id}/questions")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Questions about your application")
    expect(page.get_by_text("The organisation is based in Kent, outside Thames Valley.")
           ).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Send answer to question 1").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter your answer")
    check_accessibility(page)
    page.get_by_label("Your answer to question 1").fill("In the church hall on Sundays.")
    page.get_by_role("button", name="Send answer to question 1").click()
    expect(page.get_by_text("Your answer has been sent to the grants team.")).to_be_visible()
    expect(page.get_by_text("In the church hall on Sundays.")).to_be_visible()
    check_accessibility(page)
