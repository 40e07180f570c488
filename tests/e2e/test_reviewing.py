"""In the browser: staff screen two applications and assign two reviewers to each in bulk;
each reviewer declares no conflict and scores the first application (one high, one low, the
low one first forgetting the comment a score of 0 needs); staff see the ranking flag the
disagreement. Every page passes axe-core, including those showing errors."""

import re
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect

from grants.accounts.models import Role
from grants.applications.models import ApplicationStatus
from grants.funds.models import ScoringCriterion
from tests.e2e.test_pages_accessibility import sign_in


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


def score(page: Page, need: str, need_comment: str, delivery: str, recommendation: str,
          comment: str) -> None:
    page.get_by_label("Score for Need for the project").fill(need)
    page.get_by_label("Comment on Need for the project").fill(need_comment)
    page.get_by_label("Score for Ability to deliver").fill(delivery)
    page.get_by_label(recommendation, exact=True).check()
    page.get_by_label("Overall comment").fill(comment)


def test_staff_assign_reviewers_who_declare_and_score_and_staff_see_the_ranking(
    page: Page, check_accessibility, save, user_factory, organisation_factory, round_factory,
    application_factory,
):
    now = datetime.now(UTC)
    user_factory(roles=[Role.STAFF], email="staff@example.org", name="Sam Staff")
    user_factory(roles=[Role.REVIEWER], email="riley@example.org", name="Riley Reviewer")
    user_factory(roles=[Role.REVIEWER], email="quinn@example.org", name="Quinn Reviewer")
    round_ = round_factory(code="PPAF-2026-5", title="PPAF 2026/27 Round 5",
                           opens_at=now - timedelta(days=40), closes_at=now - timedelta(days=2),
                           launched_at=now - timedelta(days=50))
    round_.scoring_criteria = [
        ScoringCriterion(position=1, name="Need for the project", weight=2, max_score=5,
                         guidance="Is there evidence of the need?"),
        ScoringCriterion(position=2, name="Ability to deliver", weight=1, max_score=10),
    ]
    applications = [
        application_factory(
            round=round_, organisation=organisation_factory(name=name), title=title,
            reference=f"PPAF-2026-5-000{number}", sequence=number,
            status=ApplicationStatus.SUBMITTED, amount_requested_pence=500_000,
            submitted_at=now - timedelta(days=3, hours=number))
        for number, name, title in ((1, "Reading Street Support", "Night shelter outreach"),
                                    (2, "Didcot Youth Club", "Safer evenings"))]
    round_id = round_.id
    first_id = applications[0].id
    save()

    # Staff screen both applications eligible (the round asks no eligibility questions).
    sign_in(page, "staff@example.org")
    page.goto(f"/staff/rounds/{round_id}/applications")
    check_accessibility(page)
    page.get_by_label("Select PPAF-2026-5-0001").check()
    page.get_by_label("Select PPAF-2026-5-0002").check()
    page.get_by_role("button", name="Mark selected as eligible").click()
    expect(page.get_by_text("Eligible").first).to_be_visible()

    # Staff assign two reviewers to each application.
    page.goto(f"/staff/rounds/{round_id}/reviewers")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reviewers")
    check_accessibility(page)
    page.get_by_label("Reviewers per application").fill("two")
    page.get_by_role("button", name="Assign reviewers").click()
    expect(page.get_by_role("alert")).to_contain_text("Reviewers per application must be")
    check_accessibility(page)
    page.get_by_label("Reviewers per application").fill("2")
    page.get_by_role("button", name="Assign reviewers").click()
    expect(page.get_by_text("4 assignments made.")).to_be_visible()
    expect(page.get_by_text("Every eligible application has enough reviewers.")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("link", name="PPAF-2026-5-0001 reviewers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Reviewers of Night shelter outreach")
    expect(page.get_by_role("heading", name="Riley Reviewer")).to_be_visible()
    expect(page.get_by_text("Not declared yet")).to_have_count(2)
    check_accessibility(page)
    page.get_by_role("link", name="Remove Quinn Reviewer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove Quinn Reviewer as a reviewer")
    page.get_by_role("button", name="Remove reviewer").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter why you are removing this reviewer")
    check_accessibility(page)
    page.get_by_role("link", name="Cancel").click()
    sign_out(page)

    # Each reviewer declares no conflict and scores: Quinn low (first forgetting a comment).
    for email, name, scores in [
        ("quinn@example.org", "Quinn", ("0", "", "2", "Do not fund", "Weak evidence of need.")),
        ("riley@example.org", "Riley", ("5", "Strong local evidence.", "9", "Fund",
                                        "An excellent, well-run project.")),
    ]:
        sign_in(page, email)
        page.goto("/reviews")
        expect(page.get_by_role("heading", level=1)).to_have_text("Your reviews")
        # Which bid it is shows before declaring: its reference and title, not what it says.
        expect(page.get_by_text("PPAF-2026-5-0001: Night shelter outreach")).to_be_visible()
        check_accessibility(page)
        page.get_by_role("link", name="Declare any conflict of interest with "
                                       "Reading Street Support").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Declare any conflict of interest")
        expect(page.locator("main").get_by_text("PPAF-2026-5-0001", exact=True)).to_be_visible()
        expect(page.locator("main").get_by_text("Night shelter outreach",
                                                exact=True)).to_be_visible()
        if name == "Quinn":
            page.get_by_role("button", name="Continue").click()
            expect(page.get_by_role("alert")).to_contain_text(
                "Select whether you have a conflict of interest")
            check_accessibility(page)
        else:
            check_accessibility(page)
        page.get_by_label("I have no conflict of interest").check()
        page.get_by_role("button", name="Continue").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Night shelter outreach")
        check_accessibility(page)
        score(page, *scores)
        if name == "Quinn":
            page.get_by_role("button", name="Submit review").click()
            expect(page).to_have_title(re.compile(
                r"^Error: Night shelter outreach: review PPAF-2026-5-0001 — "))
            expect(page.get_by_role("alert")).to_contain_text(
                "Explain a score of 0 for Need for the project")
            check_accessibility(page)
            page.get_by_label("Comment on Need for the project").fill(
                "No evidence of need was given.")
            page.get_by_role("button", name="Save draft").click()
            expect(page.get_by_text("Your draft is saved")).to_be_visible()
            expect(page.get_by_role("heading", name="Other reviewers' reviews")).to_have_count(0)
        page.get_by_role("button", name="Submit review").click()
        expect(page.get_by_text("Your review is submitted. You can now see")).to_be_visible()
        expect(page.get_by_role("heading", name="Other reviewers' reviews")).to_be_visible()
        if name == "Riley":
            expect(page.get_by_text("Weak evidence of need.")).to_be_visible()
        check_accessibility(page)
        sign_out(page)

    # Staff see the disagreement on the ranking, and agree a score.
    sign_in(page, "staff@example.org")
    page.goto(f"/staff/rounds/{round_id}/ranking")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ranking")
    first_row = page.get_by_role("row").nth(1)
    expect(first_row).to_contain_text("PPAF-2026-5-0001")
    expect(first_row).to_contain_text("51.7%")  # (96.7 + 6.7) / 2
    expect(first_row).to_contain_text("Reviewers disagree")
    check_accessibility(page)
    page.get_by_role("link", name="Agree a score for PPAF-2026-5-0001").click()
    page.get_by_role("button", name="Record agreed score").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the agreed score")
    check_accessibility(page)
    page.get_by_label("Agreed score", exact=True).fill("60")
    page.get_by_label("Why is this the agreed score?").fill("Agreed at the panel meeting.")
    page.get_by_role("button", name="Record agreed score").click()
    expect(page.get_by_role("row").nth(1)).to_contain_text("60.0%")

    page.goto(f"/staff/applications/{first_id}/reviewers")
    expect(page.get_by_text("No conflict")).to_have_count(2)
    page.get_by_role("link", name="Reopen review by Riley Reviewer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reopen Riley Reviewer's review")
    check_accessibility(page)
