"""In the browser: with two applications screened eligible, staff assign two reviewers to each
in bulk; a reviewer declares no conflict and scores the first application low, first forgetting
the comment a score of 0 needs, and sees the other reviewer's high score only once their own
review is sent; staff see the ranking flag the disagreement. Every page passes axe-core,
including those showing errors.

The screening (marking applications eligible in bulk from the list is proved in
tests/assessment/test_screening.py) and the other reviewer's review (the same pages as the
first's, which the year's story drives too) are made through the services."""

import re
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import select

from grants.accounts.models import Role
from grants.applications.models import ApplicationStatus
from grants.assessment.models import Recommendation, ReviewAssignment
from grants.assessment.operations import declarations, reviews
from grants.assessment.operations.bulk_eligibility import mark_eligible_in_bulk
from grants.extensions import db
from grants.funds.models import ScoringCriterion
from tests.e2e.story_staff import People


def riley_scored_high(riley_id: int, application_id: int) -> None:
    """Riley declares no conflict and scores the first application high, through the services
    (the reviewer's pages are driven below, and in the year's story)."""
    assignment = db.session.scalars(select(ReviewAssignment).where(
        ReviewAssignment.reviewer_id == riley_id,
        ReviewAssignment.application_id == application_id)).one()
    riley = assignment.reviewer
    need, delivery = assignment.application.round.scoring_criteria
    declarations.declare(db.session, riley, assignment, has_conflict=False)
    reviews.save_review(db.session, riley, assignment, reviews.ReviewAnswers(
        scores={need.id: reviews.CriterionAnswer(score=5, comment="Strong local evidence."),
                delivery.id: reviews.CriterionAnswer(score=9, comment="")},
        recommendation=Recommendation.FUND, recommended_amount_pence=None,
        comment="An excellent, well-run project."), submit=True)
    db.session.commit()
    db.session.close()


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
    staff = user_factory(roles=[Role.STAFF], email="staff@example.org", name="Sam Staff")
    riley_id = user_factory(roles=[Role.REVIEWER], email="riley@example.org",
                            name="Riley Reviewer").id
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
    # Staff screened both eligible from the list (the round asks no eligibility questions).
    marked = mark_eligible_in_bulk(db.session, staff, round_id, [a.id for a in applications])
    assert len(marked.marked) == 2
    save()
    people = People(page)

    # Staff see both eligible on the list, and assign two reviewers to each application.
    people.sign_in("staff@example.org", f"/staff/rounds/{round_id}/applications")
    expect(page.get_by_role("heading", level=1)).to_have_text("Applications")
    for reference in ("PPAF-2026-5-0001", "PPAF-2026-5-0002"):
        expect(page.get_by_role("row", name=re.compile(reference))).to_contain_text("Eligible")
    check_accessibility(page)
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

    # Riley has scored high; Quinn declares no conflict and scores low, first forgetting the
    # comment a score of 0 needs, and sees Riley's review only once Quinn's is sent.
    riley_scored_high(riley_id, first_id)
    people.sign_in("quinn@example.org")  # a reviewer lands on their reviews
    expect(page.get_by_role("heading", level=1)).to_have_text("Your reviews")
    # Which bid it is shows before declaring: its reference and title, not what it says.
    expect(page.get_by_text("PPAF-2026-5-0001: Night shelter outreach")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Declare any conflict of interest with "
                                   "Reading Street Support").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Declare any conflict of interest")
    expect(page.locator("main").get_by_text("PPAF-2026-5-0001", exact=True)).to_be_visible()
    expect(page.locator("main").get_by_text("Night shelter outreach", exact=True)).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Select whether you have a conflict of interest")
    check_accessibility(page)
    page.get_by_label("I have no conflict of interest").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Night shelter outreach")
    check_accessibility(page)
    score(page, "0", "", "2", "Do not fund", "Weak evidence of need.")
    page.get_by_role("button", name="Submit review").click()
    expect(page).to_have_title(re.compile(
        r"^Error: Night shelter outreach: review PPAF-2026-5-0001 — "))
    expect(page.get_by_role("alert")).to_contain_text(
        "Explain a score of 0 for Need for the project")
    check_accessibility(page)
    page.get_by_label("Comment on Need for the project").fill("No evidence of need was given.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Your draft is saved")).to_be_visible()
    expect(page.get_by_role("heading", name="Other reviewers' reviews")).to_have_count(0)
    expect(page.get_by_text("An excellent, well-run project.")).to_have_count(0)
    page.get_by_role("button", name="Submit review").click()
    expect(page.get_by_text("Your review is submitted. You can now see")).to_be_visible()
    expect(page.get_by_role("heading", name="Other reviewers' reviews")).to_be_visible()
    expect(page.get_by_text("An excellent, well-run project.")).to_be_visible()
    check_accessibility(page)

    # Staff see the disagreement on the ranking, and agree a score.
    people.sign_in("staff@example.org", f"/staff/rounds/{round_id}/ranking")
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
