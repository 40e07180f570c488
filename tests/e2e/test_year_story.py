"""The OPCC's year in one browser test, told as a script: staff set up and launch a Police
Property Act Fund round; two organisations register and apply (one leaves a draft and comes back),
and two more have applied; the round closes; staff screen and assign reviewers, who declare and
score; staff decide, a colleague signs off, the decisions are published; the applicants see their
outcome, one accepts and is paid; the report, the 360Giving data and the public register show
the awards.

What the pages do once is done through them once: the third and fourth applications and the
second reviewer's scores are made through the services, so that the story spends its time on
pages it has not seen yet.

Every distinct page the story visits, errors included, is checked with axe-core at WCAG 2.2 A
and AA, and for one h1, headings in order and a title no other page shares; where a form is
sent with a mistake, the error summary takes the focus."""

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from grants.accounts.models import Role, User
from grants.assessment.models import Recommendation, ReviewAssignment
from grants.assessment.operations import declarations, reviews
from grants.awards.models import Award
from grants.core import clock
from grants.extensions import db
from grants.funds.models import Round
from tests.assessment.screening_data import member_of, sent
from tests.e2e.story_applicant import (
    check_answers_and_send,
    choose_areas,
    choose_priorities,
    confirm_organisation,
    create_account,
    describe_outcomes,
    describe_project,
    give_budget,
    heading_is,
    press,
    register_organisation,
    sign_declaration,
    sign_in,
    sign_out,
    start_application,
    upload_documents,
)
from tests.e2e.story_checks import PageChecks, expect_error_summary_focused
from tests.fixtures.factories import TEST_PASSWORD, OrganisationFactory
from tests.opendata.schema import package_errors

ROUND_TITLE = "PPAF 2026/27 Safer communities"
MANDATORY = "Is the organisation based in Thames Valley?"
OPTIONAL = "Has the organisation had a grant from the OPCC before?"
FOOD_SHARE = "Wycombe Food Share"
CRITERIA = (("Need and evidence", "3"), ("Ability to deliver", "2"), ("Value for money", "1"))


@dataclass
class Applicant:
    person: str
    email: str
    organisation: str
    charity_number: str
    area: str
    project: str
    asks_pounds: int
    application_id: int = 0
    reference: str = ""


@dataclass
class Year:
    """What the story has made so far, and the clock it moves."""

    now: list[datetime]
    checks: PageChecks
    round_id: int = 0
    round_code: str = ""
    opens: date | None = None
    closes: date | None = None
    references: dict[str, str] = field(default_factory=dict)
    food_share_id: int = 0

    def move_clock_to(self, moment: datetime) -> None:
        self.now[0] = moment


ALI = Applicant("Ali Khan", "ali@readingstreet.example", "Reading Street Support", "1180001",
                "Reading Borough Council", "Night shelter outreach", 5_000)
BEA = Applicant("Bea Jones", "bea@oxfordyouth.example", "Oxford Youth Mentors", "1180002",
                "Oxford City Council", "Mentoring after school", 6_000)
CAL = Applicant("Cal Evans", "cal@kentcare.example", "Kent Care Circle", "1180003",
                "Milton Keynes City Council", "Befriending by phone", 2_000)


# --- The setting ---------------------------------------------------------------------------

@pytest.fixture
def year(monkeypatch, app, check_accessibility, save, user_factory, fund_factory,
         plan_factory, priority_factory, key_aim_factory, county_factory,
         local_authority_factory) -> Year:
    """The OPCC before the year starts: its staff, reviewers, fund, plan and areas."""
    now = [datetime.now(UTC).replace(microsecond=0)]
    monkeypatch.setattr(clock, "utcnow", lambda: now[0])
    for name, email, roles in (("Sam Staff", "sam@opcc.example", [Role.STAFF]),
                               ("Pat Partner", "pat@opcc.example", [Role.STAFF]),
                               ("Riley Reviewer", "riley@opcc.example", [Role.REVIEWER]),
                               ("Quinn Reviewer", "quinn@opcc.example", [Role.REVIEWER])):
        user_factory(name=name, email=email, roles=roles)
    fund_factory(code="PPAF", name="Police Property Act Fund")
    plan = plan_factory(is_current=True)
    for number, title, aim in ((1, "Vulnerability", "Support victims of domestic abuse"),
                               (2, "Reducing reoffending", "Mentoring young people")):
        priority = priority_factory(plan=plan, number=number, code=f"P{number}", title=title)
        key_aim_factory(priority=priority, number=1, text=aim)
    for name, council, gss, county in (
            ("Reading", "Reading Borough Council", "E06000038", "Berkshire"),
            ("Oxford", "Oxford City Council", "E07000178", "Oxfordshire"),
            ("Milton Keynes", "Milton Keynes City Council", "E06000042", "Buckinghamshire")):
        local_authority_factory(name=name, official_name=council, gss_code=gss,
                                county=county_factory(name=county))
    save()
    return Year(now=now, checks=PageChecks(check_accessibility, app.config["SERVICE_NAME"]))


# --- Steps ---------------------------------------------------------------------------------

def staff_sign_in(page: Page, email: str, check=None) -> None:
    sign_in(page, email, TEST_PASSWORD, check)


def fill_date(page: Page, field_id: str, day: date) -> None:
    page.locator(f"#{field_id}-day").fill(str(day.day))
    page.locator(f"#{field_id}-month").fill(str(day.month))
    page.locator(f"#{field_id}-year").fill(str(day.year))


def staff_create_and_launch_round(page: Page, year: Year) -> None:
    """Sam sets up the round on two priorities with two eligibility questions and three
    weighted criteria, and launches it; it opens tomorrow."""
    check = year.checks
    today = clock.today_in_london()
    year.opens, year.closes = today + timedelta(days=1), today + timedelta(days=29)
    page.goto("/")
    check(page)
    staff_sign_in(page, "sam@opcc.example", check)
    check(page)
    page.goto("/staff/funds")
    check(page)
    page.get_by_role("link", name="Create a round of the Police Property Act Fund").click()
    page.get_by_label("Title").fill(ROUND_TITLE)
    page.get_by_label("Open round").check()
    fill_date(page, "opens_at", year.opens)
    page.get_by_label("Opening time").fill("9am")
    fill_date(page, "closes_at", year.closes)
    page.get_by_label("Closing time").fill("12:00")
    page.get_by_label("Budget").fill("£20,000")
    page.get_by_label("Minimum award").fill("1,000")
    page.get_by_label("Maximum award").fill("ten thousand")
    press(page, "Create round")
    expect_error_summary_focused(page, "pounds and pence only")
    check(page)
    page.get_by_label("Maximum award").fill("10,000")
    press(page, "Create round")
    heading_is(page, ROUND_TITLE)
    year.round_id = int(re.search(r"/staff/rounds/(\d+)", page.url).group(1))
    year.round_code = f"PPAF-{clock.financial_year_start(clock.financial_year_of(year.opens))}-1"
    expect(page.get_by_text(year.round_code, exact=True)).to_be_visible()
    check(page)

    page.get_by_role("link", name="Choose priorities and key aims").click()
    check(page)
    for label in ("P1 Vulnerability", "P1.1 Support victims of domestic abuse",
                  "P2 Reducing reoffending", "P2.1 Mentoring young people"):
        page.get_by_label(label).check()
    press(page, "Save priorities")

    page.get_by_role("link", name="Choose who may apply").click()
    check(page)
    page.get_by_label("Registered charity").check()
    press(page, "Save organisation types")

    for text, mandatory in ((MANDATORY, True), (OPTIONAL, False)):
        page.get_by_role("link", name="Add an eligibility question").click()
        check(page)
        page.get_by_label("Question", exact=True).fill(text)
        page.get_by_label("Yes, failing it makes the application ineligible" if mandatory
                          else "No, it is for information").check()
        press(page, "Save question")

    for name, weight in CRITERIA:
        page.get_by_role("link", name="Add a scoring criterion").click()
        check(page)
        page.get_by_label("Name").fill(name)
        page.get_by_label("Weight").fill(weight)
        page.get_by_label("Maximum score").fill("5")
        press(page, "Save criterion")

    press(page, "Launch round")
    expect(page.get_by_text("Round launched.")).to_be_visible()
    expect(page.locator(".govuk-tag").first).to_have_text("Launched, not yet open")
    for name, _ in CRITERIA:
        expect(page.get_by_role("cell", name=name, exact=True)).to_be_visible()
    check(page)
    sign_out(page)


def round_opens(year: Year) -> None:
    year.move_clock_to(datetime.combine(year.opens, datetime.min.time(), UTC)
                       + timedelta(hours=12))


def applicant_registers(page: Page, year: Year, who: Applicant) -> None:
    create_account(page, who.person, who.email, year.checks)
    register_organisation(page, who.organisation, who.charity_number, who.area, who.person,
                          year.checks)


def applicant_starts_and_fills(page: Page, year: Year, who: Applicant, *, priority: str,
                               key_aim: str, stop_after_project: bool = False,
                               mistake_in_documents: bool = False) -> None:
    check = year.checks
    who.application_id = start_application(page, ROUND_TITLE, check)
    confirm_organisation(page, check)
    describe_project(page, who.project, year.closes + timedelta(days=45), check)
    if stop_after_project:
        return
    applicant_finishes(page, year, who, priority=priority, key_aim=key_aim,
                       mistake_in_documents=mistake_in_documents)


def applicant_finishes(page: Page, year: Year, who: Applicant, *, priority: str,
                       key_aim: str, mistake_in_documents: bool = False) -> None:
    check = year.checks
    choose_priorities(page, priority, key_aim, check)
    choose_areas(page, who.area, check)
    give_budget(page, who.asks_pounds, check)
    describe_outcomes(page, check)
    upload_documents(page, check, mistake_first=mistake_in_documents)
    sign_declaration(page, "Chair of trustees", check)
    who.reference = check_answers_and_send(page, who.project, check)


def applicant_leaves_a_draft_and_comes_back(page: Page, year: Year, who: Applicant) -> None:
    """Bea stops after her project, signs out, and next day picks up where she left off."""
    applicant_starts_and_fills(page, year, who, priority="P2 Reducing reoffending",
                               key_aim="P2.1", stop_after_project=True)
    heading_is(page, "Priorities and key aims")
    page.get_by_role("link", name="Back to the task list").click()
    expect(page.get_by_text("You have completed 2 of 8 sections.")).to_be_visible()
    check = year.checks
    check(page)
    sign_out(page)
    year.move_clock_to(year.now[0] + timedelta(days=1))

    sign_in(page, who.email)
    heading_is(page, "Your dashboard")
    expect(page.get_by_role("link", name=who.project)).to_be_visible()
    check(page)
    page.get_by_role("link", name=who.project).click()
    expect(page.get_by_text("You have completed 2 of 8 sections.")).to_be_visible()
    page.get_by_role("link", name="Priorities and key aims").click()
    applicant_finishes(page, year, who, priority="P2 Reducing reoffending", key_aim="P2.1")


def two_more_organisations_have_applied(year: Year) -> None:
    """Cal's charity, from outside Thames Valley, and a returning food share sent their
    applications (made here directly: the browser steps of applying are above, twice); staff
    will screen Cal's out and the panel will decline the food share's."""
    round_ = db.session.get(Round, year.round_id)
    cal_charity = OrganisationFactory(name=CAL.organisation, contact_email=CAL.email)
    cal = member_of(cal_charity, name=CAL.person, email=CAL.email)
    cals = sent(round_, cal_charity, by=cal, title=CAL.project,
                amount_requested_pence=CAL.asks_pounds * 100,
                summary="Weekly calls to people living alone.", submitted_at=year.now[0])
    CAL.application_id, CAL.reference = cals.id, cals.reference
    application = sent(
        round_, OrganisationFactory(name=FOOD_SHARE, contact_email="food@share.example"),
        title="Holiday lunches", amount_requested_pence=300_000,
        summary="Lunches in the school holidays.", submitted_at=year.now[0])
    year.references[FOOD_SHARE] = application.reference
    year.food_share_id = application.id
    db.session.commit()
    db.session.close()


def round_closes(year: Year) -> None:
    year.move_clock_to(datetime.combine(year.closes, datetime.min.time(), UTC)
                       + timedelta(days=1, hours=10))


def staff_screen_and_assign_reviewers(page: Page, year: Year) -> None:
    """Sam starts the assessment, screens Cal's charity out (outside Thames Valley) and the
    others in, and gives each eligible application two reviewers."""
    check = year.checks
    staff_sign_in(page, "sam@opcc.example")
    page.goto(f"/staff/rounds/{year.round_id}")
    press(page, "Start assessment")
    page.get_by_role("link", name="Applications and screening").click()
    expect(page.get_by_role("heading", name="4 applications")).to_be_visible()
    check(page)

    for application_id, reference in ((ALI.application_id, ALI.reference),
                                      (BEA.application_id, BEA.reference),
                                      (year.food_share_id, year.references[FOOD_SHARE])):
        page.goto(f"/staff/applications/{application_id}/screening")
        page.get_by_role("group", name=MANDATORY).get_by_label("Yes", exact=True).check()
        page.get_by_role("group", name=OPTIONAL).get_by_label("No", exact=True).check()
        press(page, "Save and record decision")
        expect(page.get_by_text(f"{reference} is eligible.")).to_be_visible()
    check(page)

    page.goto(f"/staff/applications/{CAL.application_id}/screening")
    check(page)
    page.get_by_role("group", name=MANDATORY).get_by_label("No", exact=True).check()
    press(page, "Save and record decision")
    expect_error_summary_focused(page, "Enter why the application is not eligible")
    check(page)
    page.get_by_label("Reason the application is not eligible").fill(
        "The organisation works in Kent, outside Thames Valley.")
    press(page, "Save and record decision")
    expect(page.get_by_text(f"{CAL.reference} is not eligible.")).to_be_visible()

    page.goto(f"/staff/rounds/{year.round_id}/reviewers")
    check(page)
    page.get_by_label("Reviewers per application").fill("2")
    press(page, "Assign reviewers")
    expect(page.get_by_text("6 assignments made.")).to_be_visible()
    check(page)
    sign_out(page)


def reviewer_declares_and_scores(page: Page, year: Year, email: str,
                                 scores: dict[str, tuple[str, str, str, str]]) -> None:
    """A reviewer declares no conflict with each organisation and scores its application:
    (need, delivery, value, recommendation) by organisation."""
    check = year.checks
    staff_sign_in(page, email)
    page.goto("/reviews")
    heading_is(page, "Your reviews")
    check(page)
    for organisation, (need, delivery, value, recommendation) in scores.items():
        page.goto("/reviews")
        page.get_by_role("link", name="Declare any conflict of interest with "
                                       f"{organisation}").click()
        check(page)
        page.get_by_label("I have no conflict of interest").check()
        press(page, "Continue")
        for (name, _), score in zip(CRITERIA, (need, delivery, value), strict=True):
            page.get_by_label(f"Score for {name}").fill(score)
            page.get_by_label(f"Comment on {name}").fill(f"{name}: scored {score}.")
        page.get_by_label(recommendation, exact=True).check()
        page.get_by_label("Overall comment").fill(f"{recommendation}: a considered view.")
        check(page)
        press(page, "Submit review")
        expect(page.get_by_text("Your review is submitted.")).to_be_visible()
    check(page)
    sign_out(page)


def reviewer_scored_through_the_services(year: Year, email: str,
                                         scores: dict[str, tuple[str, str, str, str]]) -> None:
    """As `reviewer_declares_and_scores`, without the pages (which Riley has been through)."""
    reviewer = db.session.scalar(select(User).where(User.email == email))
    assignments = db.session.scalars(select(ReviewAssignment).where(
        ReviewAssignment.reviewer_id == reviewer.id,
        ReviewAssignment.removed_at.is_(None))).all()
    by_organisation = {a.application.organisation.name: a for a in assignments}
    assert sorted(by_organisation) == sorted(scores)
    for organisation, (*marks, recommendation) in scores.items():
        assignment = by_organisation[organisation]
        criteria = assignment.application.round.scoring_criteria
        declarations.declare(db.session, reviewer, assignment, has_conflict=False)
        reviews.save_review(db.session, reviewer, assignment, reviews.ReviewAnswers(
            scores={criterion.id: reviews.CriterionAnswer(
                score=int(mark), comment=f"{criterion.name}: scored {mark}.")
                for criterion, mark in zip(criteria, marks, strict=True)},
            recommendation=Recommendation(recommendation.lower().replace(" ", "_")),
            recommended_amount_pence=None, comment=f"{recommendation}: a considered view."),
            submit=True)
    db.session.commit()
    db.session.close()


def staff_read_the_ranking(page: Page, year: Year) -> None:
    staff_sign_in(page, "sam@opcc.example")
    page.goto(f"/staff/rounds/{year.round_id}/ranking")
    heading_is(page, "Ranking")
    rows = page.get_by_role("row")
    expect(rows.nth(1)).to_contain_text(ALI.reference)
    expect(rows.nth(2)).to_contain_text(BEA.reference)
    expect(rows.nth(3)).to_contain_text(year.references[FOOD_SHARE])
    year.checks(page)


def decide(page: Page, year: Year, reference: str, outcome: str, reason: str,
           amount: str | None = None) -> None:
    page.goto(f"/staff/rounds/{year.round_id}/decisions")
    page.get_by_role("link", name=f"Decide on {reference}").click()
    page.get_by_label("I have no conflict of interest").check()
    press(page, "Continue")
    page.get_by_role("radio", name=outcome).check()
    if amount:
        page.get_by_label("Amount to award in part, in pounds").fill(amount)
    page.get_by_label("Reason for the decision").fill(reason)
    if outcome != "Decline":
        page.get_by_label("Reason for the award, as it will be published").fill(
            f"Published reason: {reason}")
    if outcome == "Decline":
        page.get_by_label("Feedback for the applicant").fill("Show the link to community safety")
    press(page, "Save decision")


def staff_decide_sign_off_and_publish(page: Page, year: Year) -> None:
    """Sam awards Ali in full, Bea in part and declines the food share; Pat signs the
    decisions off and publishes them."""
    check = year.checks
    page.goto(f"/staff/rounds/{year.round_id}/decisions")
    heading_is(page, "Decisions")
    check(page)
    page.get_by_role("link", name=f"Decide on {ALI.reference}").click()
    heading_is(page, "Declare any conflict of interest")
    check(page)
    page.goto(f"/staff/rounds/{year.round_id}/decisions")
    decide(page, year, ALI.reference, "Award in full", "Strong plan, well evidenced")
    expect(page.get_by_text(f"Decision saved: {ALI.reference} awarded £5,000.")).to_be_visible()

    page.get_by_role("link", name=f"Decide on {BEA.reference}").click()
    page.get_by_label("I have no conflict of interest").check()
    press(page, "Continue")
    heading_is(page, "Decide on the application")
    check(page)
    page.get_by_role("radio", name="Award in part").check()
    page.get_by_label("Amount to award in part, in pounds").fill("4,000")
    page.get_by_label("Reason for the award, as it will be published").fill(
        "Two terms of mentoring")
    press(page, "Save decision")
    expect_error_summary_focused(page, "Enter the reason for the decision")
    check(page)
    page.get_by_label("Reason for the decision").fill("Fund the first two terms")
    press(page, "Save decision")
    expect(page.get_by_text(f"Decision saved: {BEA.reference} awarded £4,000.")).to_be_visible()

    decide(page, year, year.references[FOOD_SHARE], "Decline",
           "Outside the round's priorities")
    expect(page.locator(".govuk-summary-list__row",
                        has=page.get_by_text("Committed", exact=True))).to_contain_text("£9,000")
    check(page)
    sign_out(page)

    staff_sign_in(page, "pat@opcc.example")
    page.goto(f"/staff/rounds/{year.round_id}/decisions")
    press(page, "Sign off the decisions")
    expect(page.get_by_text("Decisions signed off.")).to_be_visible()
    press(page, "Publish the decisions")
    expect(page.get_by_text("Decisions published: 2 awarded and 1 declined.")).to_be_visible()
    check(page)
    sign_out(page)


def applicant_sees_outcome(page: Page, year: Year, who: Applicant, outcome: str, *,
                           password: str | None = None) -> None:
    """`password`: of an account made through the services rather than the pages."""
    if password:
        sign_in(page, who.email, password)
    else:
        sign_in(page, who.email)
    heading_is(page, "Your dashboard")
    expect(page.get_by_role("row", name=re.compile(who.reference))).to_contain_text(outcome)
    year.checks(page)


def applicant_accepts_the_offer(page: Page, year: Year, who: Applicant) -> None:
    """Ali reads the offer, forgets the tick first, accepts and gives the bank details."""
    check = year.checks
    page.get_by_role("link", name=who.project, exact=True).click()
    expect(page.get_by_text("You have been offered a grant of £5,000")).to_be_visible()
    check(page)
    page.get_by_role("link", name="Read and accept the offer").click()
    heading_is(page, "Your grant offer")
    check(page)
    page.get_by_label("Your position in the organisation").fill("Treasurer")
    press(page, "Accept the offer")
    expect_error_summary_focused(page, f"Confirm that you accept these terms on behalf of "
                                       f"{who.organisation}")
    check(page)
    page.get_by_label(f"I accept these terms on behalf of {who.organisation}").check()
    press(page, "Accept the offer")
    heading_is(page, "Bank details for your grant")
    check(page)
    page.get_by_label("Name on the account").fill(who.organisation)
    page.get_by_label("Sort code").fill("30-94-30")
    page.get_by_label("Account number").fill("0073 3445")
    press(page, "Save bank details")
    expect(page.get_by_text("We have your bank details.")).to_be_visible()
    check(page)
    sign_out(page)


def staff_record_and_approve_a_payment(page: Page, year: Year, who: Applicant) -> None:
    """Sam verifies the bank details and records the payment; Pat approves it."""
    check = year.checks
    today = clock.today_in_london()
    staff_sign_in(page, "sam@opcc.example")
    page.goto("/staff/payments")
    check(page)
    with db.engine.connect() as conn:
        award_id = conn.scalar(select(Award.id).where(
            Award.application_id == who.application_id))
    award_path = f"/staff/awards/{award_id}"
    page.goto(award_path)
    heading_is(page, f"{who.reference}: {who.organisation}")
    check(page)
    press(page, "Verify these details")
    page.get_by_label("Amount paid").fill("5000")
    page.get_by_label("Payment reference").fill("BACS-0001")
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    press(page, "Record payment")
    expect(page.get_by_text("You recorded a payment of £5,000.")).to_be_visible()
    sign_out(page)

    staff_sign_in(page, "pat@opcc.example")
    page.goto(award_path)
    page.get_by_role("button", name=re.compile("^Approve")).click()
    expect(page.get_by_text("The award is now fully paid.")).to_be_visible()
    check(page)


def staff_read_the_round_report(page: Page, year: Year) -> None:
    """The round's figures, and the paragraph for the Commissioner's report to the panel."""
    check = year.checks
    page.goto(f"/staff/reports/rounds/{year.round_id}")
    heading_is(page, f"Report: {ROUND_TITLE}")
    figures = page.locator("dl.govuk-summary-list").first
    for label, value in (("Applications received", "4"), ("Amount requested", "£16,000"),
                         ("Awards", "2"), ("Amount awarded", "£9,000"),
                         ("Organisations funded", "2"), ("Budget", "£20,000"),
                         ("Remaining", "£11,000")):
        expect(figures.locator(".govuk-summary-list__row",
                               has=page.get_by_text(label, exact=True))).to_contain_text(value)
    check(page)

    decided = clock.today_in_london()
    page.goto("/staff/reports/")
    check(page)
    # The round belongs to the financial year of its opening date (staff left it blank).
    page.get_by_label("Financial year").select_option(clock.financial_year_of(year.opens))
    page.get_by_label("Fund").select_option(label="Police Property Act Fund (PPAF)")
    press(page, "Show the year's report")
    check(page)
    page.get_by_role("link", name="Paragraphs for the Commissioner's progress report").click()
    paragraph = page.locator("p", has_text=(
        f"In {decided:%B %Y}, £9,000 was awarded to 2 charities and community groups across "
        "the Thames Valley")).first
    expect(paragraph).to_contain_text("'vulnerability'")
    expect(paragraph).to_contain_text("'reducing reoffending'")
    check(page)


def staff_download_the_360giving_data(page: Page, year: Year, tmp_path: Path) -> None:
    with page.expect_download() as download_info:
        page.evaluate("url => { const a = document.createElement('a'); a.href = url; "
                      "document.body.append(a); a.click(); a.remove(); }",
                      f"/awards/360giving.json?round={year.round_code}")
    target = tmp_path / "360giving.json"
    download_info.value.save_as(target)
    package = json.loads(target.read_text(encoding="utf-8"))
    assert package_errors(package) == []
    assert sorted(grant["amountAwarded"] for grant in package["grants"]) == [4000, 5000]
    assert {grant["recipientOrganization"][0]["name"] for grant in package["grants"]} == {
        ALI.organisation, BEA.organisation}
    sign_out(page)


def anyone_reads_the_public_register(page: Page, year: Year) -> None:
    page.goto("/")
    year.checks(page)
    page.get_by_role("link", name="Grants awarded").first.click()
    heading_is(page, "Grants awarded")
    expect(page.get_by_role("heading", name="2 grants")).to_be_visible()
    for organisation in (ALI.organisation, BEA.organisation):
        expect(page.locator("main").get_by_text(organisation).first).to_be_visible()
    expect(page.locator("main").get_by_text(FOOD_SHARE)).to_have_count(0)
    year.checks(page)


# --- The year ------------------------------------------------------------------------------

def test_a_year_of_the_police_property_act_fund_from_launch_to_the_public_register(
        page: Page, year: Year, tmp_path):
    staff_create_and_launch_round(page, year)
    round_opens(year)

    applicant_registers(page, year, ALI)
    applicant_starts_and_fills(page, year, ALI, priority="P1 Vulnerability", key_aim="P1.1",
                               mistake_in_documents=True)
    sign_out(page)
    applicant_registers(page, year, BEA)
    applicant_leaves_a_draft_and_comes_back(page, year, BEA)
    sign_out(page)
    two_more_organisations_have_applied(year)

    round_closes(year)
    staff_screen_and_assign_reviewers(page, year)
    reviewer_declares_and_scores(page, year, "riley@opcc.example", {
        ALI.organisation: ("5", "5", "4", "Fund"), BEA.organisation: ("4", "3", "3", "Fund"),
        FOOD_SHARE: ("2", "2", "2", "Do not fund")})
    reviewer_scored_through_the_services(year, "quinn@opcc.example", {
        ALI.organisation: ("5", "4", "4", "Fund"), BEA.organisation: ("3", "3", "4", "Fund"),
        FOOD_SHARE: ("1", "2", "3", "Do not fund")})
    staff_read_the_ranking(page, year)
    staff_decide_sign_off_and_publish(page, year)

    applicant_sees_outcome(page, year, BEA, "Awarded")
    sign_out(page)
    applicant_sees_outcome(page, year, CAL, "Not eligible", password=TEST_PASSWORD)
    sign_out(page)
    applicant_sees_outcome(page, year, ALI, "Awarded")
    applicant_accepts_the_offer(page, year, ALI)
    staff_record_and_approve_a_payment(page, year, ALI)

    staff_read_the_round_report(page, year)
    staff_download_the_360giving_data(page, year, tmp_path)
    anyone_reads_the_public_register(page, year)

    year.checks.assert_titles_unique()
    assert year.checks.pages_checked > 80 and len(year.checks.routes_by_title) > 40
    with db.engine.connect() as conn:
        assert conn.scalar(select(Round.decisions_published_at).where(
            Round.id == year.round_id)) is not None
