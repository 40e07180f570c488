"""Scoring: drafts keep partial answers, submission needs everything (a comment at 0 and at the
maximum, an amount within the rules for "fund in part"), happens once, and only staff reopen
it, with a reason."""

import pytest
from sqlalchemy import select

from grants.applications.models import ApplicationStatus
from grants.assessment.models import Recommendation
from grants.assessment.operations import review_queries, reviews
from grants.core.errors import Conflict, NotFound, Refusal, ValidationFailed
from grants.extensions import db
from grants.records.models import AuditEvent, OutboxMessage
from tests.assessment.reviewing import (  # noqa: F401  (fixtures)
    answers_for,
    declared,
    fixed_clock_fixture,
    make_application_fixture,
    review_form_data,
    reviewer_users_fixture,
    scoring_round_fixture,
    staff_fixture,
)
from tests.fixtures.auth import post_form


@pytest.fixture
def application(make_application):
    return make_application(1, amount_pence=500_000)


@pytest.fixture
def reviewer(reviewer_users):
    return reviewer_users[0]


@pytest.fixture
def assignment(staff, reviewer, application):
    return declared(staff, application, reviewer)


@pytest.fixture
def criteria(scoring_round):
    return scoring_round.scoring_criteria  # Need: weight 2, max 5; Delivery: weight 1, max 10


def save(reviewer, assignment, answers, *, submit):
    return reviews.save_review(db.session, reviewer, assignment, answers, submit=submit)


def errors_of(reviewer, assignment, answers, *, submit=True) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as refused:
        save(reviewer, assignment, answers, submit=submit)
    db.session.rollback()
    return refused.value.errors


# --- Drafts and submission ----------------------------------------------------------------

def test_a_draft_keeps_partial_answers(reviewer, assignment, criteria):
    need, delivery = criteria
    answers = reviews.ReviewAnswers(scores={need.id: reviews.CriterionAnswer(3, "Clear need")})
    review = save(reviewer, assignment, answers, submit=False)
    assert review.submitted_at is None
    saved = {s.criterion_id: s for s in review.scores}
    assert saved[need.id].score == 3 and saved[need.id].comment == "Clear need"
    assert saved[delivery.id].score is None
    assert review_queries.next_step(assignment) == "score"


def test_a_draft_may_not_hold_a_score_out_of_range(reviewer, assignment, criteria):
    need, _ = criteria
    answers = reviews.ReviewAnswers(scores={need.id: reviews.CriterionAnswer(6, "")})
    assert errors_of(reviewer, assignment, answers, submit=False) == {
        f"score_{need.id}": "Score for Need for the project must be a whole number from 0 to 5"}


def test_submission_needs_every_score_a_recommendation_and_an_overall_comment(
        reviewer, assignment, criteria):
    need, delivery = criteria
    answers = reviews.ReviewAnswers(scores={need.id: reviews.CriterionAnswer(3, "")})
    assert errors_of(reviewer, assignment, answers) == {
        f"score_{delivery.id}": "Enter a score for Ability to deliver",
        "recommendation": "Select your recommendation",
        "comment": "Enter your overall comment",
    }


@pytest.mark.parametrize("scores,needing_comment", [([0, 6], 0), ([5, 6], 0), ([3, 0], 1),
                                                     ([3, 10], 1)])
def test_a_comment_is_required_at_zero_and_at_the_maximum(
        reviewer, assignment, criteria, scoring_round, scores, needing_comment):
    answers = answers_for(scoring_round, scores, comments=["", ""])
    criterion = criteria[needing_comment]
    errors = errors_of(reviewer, assignment, answers)
    assert list(errors) == [f"comment_{criterion.id}"]
    assert "a comment is needed at 0 and at" in errors[f"comment_{criterion.id}"]


def test_a_comment_is_optional_between_zero_and_the_maximum(
        reviewer, assignment, scoring_round):
    review = save(reviewer, assignment, answers_for(scoring_round, [1, 9], comments=["", ""]),
                  submit=True)
    assert review.submitted_at is not None


@pytest.mark.parametrize("amount,message", [
    (None, "Enter the amount you recommend, in pounds"),
    (99_999, "Amount must be at least £1,000, the round's minimum award"),
    (500_000, "Amount must be less than the £5,000 requested: to recommend the full amount, "
              "choose Fund"),
])
def test_fund_in_part_needs_an_amount_from_the_minimum_to_below_the_request(
        reviewer, assignment, scoring_round, amount, message):
    answers = answers_for(scoring_round, [3, 6], recommendation=Recommendation.FUND_IN_PART,
                          amount_pence=amount)
    assert errors_of(reviewer, assignment, answers) == {"recommended_amount": message}


def test_fund_in_part_keeps_its_amount_and_other_recommendations_drop_it(
        reviewer, assignment, scoring_round):
    review = save(reviewer, assignment, answers_for(
        scoring_round, [3, 6], recommendation=Recommendation.FUND_IN_PART,
        amount_pence=100_000), submit=False)
    assert review.recommended_amount_pence == 100_000
    review = save(reviewer, assignment, answers_for(
        scoring_round, [3, 6], recommendation=Recommendation.DO_NOT_FUND,
        amount_pence=100_000), submit=True)
    assert review.recommendation is Recommendation.DO_NOT_FUND
    assert review.recommended_amount_pence is None


def test_a_review_is_submitted_once_and_then_cannot_change(
        reviewer, assignment, scoring_round, application):
    review = save(reviewer, assignment, answers_for(scoring_round, [4, 7]), submit=True)
    submitted_at = review.submitted_at
    again = save(reviewer, assignment, answers_for(scoring_round, [1, 1]), submit=True)
    assert again.submitted_at == submitted_at
    assert sorted(s.score for s in again.scores) == [4, 7]
    with pytest.raises(Conflict):
        save(reviewer, assignment, answers_for(scoring_round, [1, 1]), submit=False)
    submissions = db.session.scalars(select(AuditEvent).where(
        AuditEvent.entity_id == application.id, AuditEvent.action == "review.submitted")).all()
    assert len(submissions) == 1
    assert submissions[0].after["weighted_score"] == "76.7"
    assert review_queries.next_step(assignment) == "submitted"


def test_every_draft_save_is_recorded(reviewer, assignment, scoring_round, application):
    save(reviewer, assignment, answers_for(scoring_round, [4, 7]), submit=False)
    save(reviewer, assignment, answers_for(scoring_round, [3, 7]), submit=False)
    drafts = db.session.scalars(select(AuditEvent).where(
        AuditEvent.entity_id == application.id, AuditEvent.action == "review.draft_saved")).all()
    assert [d.after["scores"][str(scoring_round.scoring_criteria[0].id)]["score"]
            for d in drafts] == [4, 3]


# --- Reopening ----------------------------------------------------------------------------

def test_staff_reopen_a_submitted_review_with_a_reason(
        reviewer, assignment, scoring_round, staff, application):
    review = save(reviewer, assignment, answers_for(scoring_round, [4, 7]), submit=True)
    with pytest.raises(ValidationFailed):
        reviews.reopen_review(db.session, staff, review, "")
    reviews.reopen_review(db.session, staff, review, "Please look again at the budget")
    assert review.submitted_at is None
    assert review.reopened_by_id == staff.id
    assert review.reopen_reason == "Please look again at the budget"
    [email] = db.session.scalars(select(OutboxMessage)).all()
    assert email.to_address == reviewer.email
    assert "Please look again at the budget" in email.body_text
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "review.reopened")).one()
    assert event.entity_id == application.id
    review = save(reviewer, assignment, answers_for(scoring_round, [3, 7]), submit=True)
    assert review.submitted_at is not None


def test_only_staff_reopen_a_review(reviewer, assignment, scoring_round):
    review = save(reviewer, assignment, answers_for(scoring_round, [4, 7]), submit=True)
    with pytest.raises(NotFound):
        reviews.reopen_review(db.session, reviewer, review, "I changed my mind")
    assert review.submitted_at is not None


def test_a_draft_cannot_be_reopened(reviewer, assignment, scoring_round, staff):
    review = save(reviewer, assignment, answers_for(scoring_round, [4, 7]), submit=False)
    with pytest.raises(Conflict):
        reviews.reopen_review(db.session, staff, review, "Why not")


def test_a_reviewer_cannot_use_the_reopen_page(reviewer, assignment, scoring_round,
                                               sign_in_as):
    review = save(reviewer, assignment, answers_for(scoring_round, [4, 7]), submit=True)
    db.session.commit()
    client = sign_in_as(reviewer)
    assert client.get(f"/staff/reviews/{review.id}/reopen").status_code == 403
    assert client.post(f"/staff/reviews/{review.id}/reopen",
                       data={"reason": "Mine"}).status_code in (400, 403)
    db.session.expire_all()
    assert review.submitted_at is not None


def test_staff_reopen_from_the_page_and_the_reason_is_required(
        reviewer, assignment, scoring_round, staff, sign_in_as):
    review = save(reviewer, assignment, answers_for(scoring_round, [4, 7]), submit=True)
    db.session.commit()
    client = sign_in_as(staff)
    path = f"/staff/reviews/{review.id}/reopen"
    missing = post_form(client, path, {"reason": ""})
    assert "Enter why you are reopening this review" in missing.get_data(as_text=True)
    response = post_form(client, path, {"reason": "Score the second criterion again"})
    assert response.status_code == 302
    db.session.expire_all()
    assert review.submitted_at is None


# --- The scoring page ---------------------------------------------------------------------

def test_the_scoring_page_saves_a_draft_and_submits(
        reviewer, assignment, scoring_round, sign_in_as):
    client = sign_in_as(reviewer)
    path = f"/reviews/{assignment.id}"
    draft = post_form(client, path, review_form_data(scoring_round, [4, None],
                                                     action="draft", comment=""))
    assert draft.status_code == 302
    page = client.get(path).get_data(as_text=True)
    assert "Your draft is saved" in page
    assert 'value="4"' in page
    submitted = post_form(client, path, review_form_data(scoring_round, [4, 7]))
    assert submitted.status_code == 302
    page = client.get(path).get_data(as_text=True)
    assert "Your review is submitted" in page
    assert "76.7%" in page
    assert 'name="action"' not in page


def test_the_scoring_page_shows_the_missing_comment_at_zero(
        reviewer, assignment, scoring_round, sign_in_as, criteria):
    client = sign_in_as(reviewer)
    response = post_form(client, f"/reviews/{assignment.id}",
                         review_form_data(scoring_round, [0, 7], comments=["", "Fine"]))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error:" in html
    assert f'href="#comment_{criteria[0].id}"' in html
    assert "Explain a score of 0 for Need for the project" in html
    assert 'value="7"' in html  # what was typed is kept
    db.session.expire_all()
    assert assignment.review is None


def test_the_scoring_page_refuses_a_score_that_is_not_a_whole_number(
        reviewer, assignment, scoring_round, sign_in_as):
    response = post_form(sign_in_as(reviewer), f"/reviews/{assignment.id}",
                         review_form_data(scoring_round, ["3.5", "x"], action="draft"))
    html = response.get_data(as_text=True)
    assert "Score for Need for the project must be a whole number" in html
    assert "Score for Ability to deliver must be a whole number" in html


def test_the_scoring_page_reads_the_recommended_amount_in_pounds(
        reviewer, assignment, scoring_round, sign_in_as):
    client = sign_in_as(reviewer)
    bad = post_form(client, f"/reviews/{assignment.id}", review_form_data(
        scoring_round, [3, 6], recommendation="fund_in_part", amount="lots"))
    assert "Enter an amount in pounds and pence only" in bad.get_data(as_text=True)
    good = post_form(client, f"/reviews/{assignment.id}", review_form_data(
        scoring_round, [3, 6], recommendation="fund_in_part", amount="£2,500"))
    assert good.status_code == 302
    db.session.expire_all()
    assert assignment.review.recommended_amount_pence == 250_000


def test_submitting_twice_from_the_page_changes_nothing(
        reviewer, assignment, scoring_round, sign_in_as):
    client = sign_in_as(reviewer)
    path = f"/reviews/{assignment.id}"
    post_form(client, path, review_form_data(scoring_round, [4, 7]))
    db.session.expire_all()
    first = assignment.review.submitted_at
    again = post_form(client, path, review_form_data(scoring_round, [1, 1]),
                      form_page="/reviews")
    assert again.status_code == 302
    db.session.expire_all()
    assert assignment.review.submitted_at == first
    assert sorted(s.score for s in assignment.review.scores) == [4, 7]


def test_a_withdrawn_application_can_no_longer_be_scored(
        reviewer, assignment, scoring_round, application):
    application.status = ApplicationStatus.WITHDRAWN
    db.session.commit()
    with pytest.raises(Refusal, match="no longer being assessed"):
        save(reviewer, assignment, answers_for(scoring_round, [4, 7]), submit=False)
