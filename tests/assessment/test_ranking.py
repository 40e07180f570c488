"""The round's ranking: mean weighted scores, spread and disagreement, moderation, the order
and its tie-breaks, the running total against the budget, and a fixed number of queries."""

from datetime import timedelta
from fractions import Fraction

import pytest
from sqlalchemy import select

from grants.applications.models import ApplicationStatus
from grants.assessment.models import Moderation
from grants.assessment.operations import assignment as assigning
from grants.assessment.operations import moderation as moderating
from grants.assessment.operations import ranking, reviews
from grants.core.errors import ValidationFailed
from grants.extensions import db
from grants.records.models import AuditEvent
from tests.assessment.reviewing import (  # noqa: F401  (fixtures)
    NOW,
    assign,
    fixed_clock_fixture,
    make_application_fixture,
    reviewer_users_fixture,
    scoring_round_fixture,
    staff_fixture,
    submitted,
)
from tests.fixtures.auth import post_form


def rows_by_reference(round_id):
    return {row.application.reference: row for row in ranking.load_ranking(db.session,
                                                                           round_id).rows}


def test_the_ranking_shows_the_mean_spread_and_disagreement_of_submitted_reviews(
        staff, reviewer_users, make_application, scoring_round):
    application = make_application(1)
    cal, alex, bea = reviewer_users
    submitted(staff, application, cal, [5, 10])  # 100%
    submitted(staff, application, alex, [2, 4])  # (0.8 + 0.4) / 3 = 40%
    assign(staff, application, bea)  # assigned, not submitted: does not count
    row = rows_by_reference(scoring_round.id)[application.reference]
    assert row.review_count == 2
    assert row.mean == 70 and row.mean_text == "70.0"
    assert row.spread == 60 and row.spread_text == "60.0"
    assert row.disagree
    assert row.ranking_score == 70


def test_reviewers_disagree_from_the_rounds_threshold(
        staff, reviewer_users, make_application, scoring_round):
    application = make_application(1)
    submitted(staff, application, reviewer_users[0], [5, 10])  # 100%
    submitted(staff, application, reviewer_users[1], [4, 5])  # (1.6 + 0.5) / 3 = 70%
    assert rows_by_reference(scoring_round.id)[application.reference].disagree  # 30 >= 25
    scoring_round.disagreement_threshold = 31
    db.session.commit()
    assert not rows_by_reference(scoring_round.id)[application.reference].disagree


def test_equal_scores_share_a_rank_listed_by_reference_whenever_they_were_sent(
        staff, reviewer_users, make_application, scoring_round):
    early = NOW - timedelta(days=30)
    low = make_application(1)
    tie_late = make_application(2, submitted_at=early + timedelta(hours=1))
    tie_early_b = make_application(4, submitted_at=early)
    tie_early_a = make_application(3, submitted_at=early)
    unscored = make_application(5, submitted_at=early - timedelta(days=1))
    in_review = make_application(6, status=ApplicationStatus.IN_REVIEW)
    make_application(7, status=ApplicationStatus.INELIGIBLE)
    make_application(8, status=ApplicationStatus.SUBMITTED)
    reviewer = reviewer_users[0]
    submitted(staff, low, reviewer, [1, 1])
    for application in (tie_late, tie_early_b, tie_early_a):
        submitted(staff, application, reviewer, [3, 6])
    submitted(staff, in_review, reviewer, [5, 9])
    result = ranking.load_ranking(db.session, scoring_round.id)
    # The tie is listed by reference (2, 3, 4): sent an hour later, R-2 still comes first.
    assert [row.application.id for row in result.rows] == [
        in_review.id, tie_late.id, tie_early_a.id, tie_early_b.id, low.id, unscored.id]
    assert [row.rank_text for row in result.rows] == ["1", "=2", "=2", "=2", "5", "6"]
    assert [row.tied for row in result.rows] == [False, True, True, True, False, False]


def test_a_moderated_score_ranks_instead_of_the_mean_and_both_show(
        staff, reviewer_users, make_application, scoring_round, sign_in_as):
    first = make_application(1)
    second = make_application(2)
    submitted(staff, first, reviewer_users[0], [5, 10])  # 100%
    submitted(staff, second, reviewer_users[0], [3, 6])  # 60%
    moderating.moderate(db.session, staff, first, agreed_score_tenths=555, reason="Panel view")
    db.session.commit()
    rows = ranking.load_ranking(db.session, scoring_round.id).rows
    assert [row.application.id for row in rows] == [second.id, first.id]
    moderated = rows[1]
    assert moderated.mean_text == "100.0" and moderated.moderated_text == "55.5"
    html = sign_in_as(staff).get(f"/staff/rounds/{scoring_round.id}/ranking").get_data(
        as_text=True)
    assert "100.0%" in html and "55.5%" in html and "Panel view" in html


def test_the_latest_moderation_counts(staff, make_application, scoring_round):
    application = make_application(1)
    moderating.moderate(db.session, staff, application, agreed_score_tenths=500, reason="First")
    moderating.moderate(db.session, staff, application, agreed_score_tenths=720, reason="Second")
    row = rows_by_reference(scoring_round.id)[application.reference]
    assert row.ranking_score == Fraction(72)
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "application.moderated",
        AuditEvent.entity_id == application.id).order_by(AuditEvent.id)).all()
    assert [e.after["agreed_score"] for e in events] == ["50.0", "72.0"]
    assert events[1].before == {"agreed_score": "50.0"}


@pytest.mark.parametrize("tenths,reason,field", [
    (None, "Why", "agreed_score"), (1001, "Why", "agreed_score"), (500, " ", "reason"),
])
def test_moderation_needs_a_score_from_0_to_100_and_a_reason(
        staff, make_application, tenths, reason, field):
    application = make_application(1)
    with pytest.raises(ValidationFailed) as refused:
        moderating.moderate(db.session, staff, application, agreed_score_tenths=tenths,
                            reason=reason)
    assert list(refused.value.errors) == [field]


def test_a_removed_reviewers_review_does_not_count(
        staff, reviewer_users, make_application, scoring_round):
    application = make_application(1)
    gone = submitted(staff, application, reviewer_users[0], [5, 10])
    submitted(staff, application, reviewer_users[1], [3, 6])
    assigning.remove_assignment(db.session, staff, gone, "Conflict found later")
    row = rows_by_reference(scoring_round.id)[application.reference]
    assert row.review_count == 1 and row.mean_text == "60.0"


def test_the_running_total_of_requests_is_checked_against_the_budget(
        staff, reviewer_users, make_application, scoring_round):
    # Budget £20,000.
    make_application(1, amount_pence=900_000)
    make_application(2, amount_pence=900_000)
    make_application(3, amount_pence=300_000)
    result = ranking.load_ranking(db.session, scoring_round.id)
    assert [row.running_total_pence for row in result.rows] == [900_000, 1_800_000, 2_100_000]
    assert [row.within_budget for row in result.rows] == [True, True, False]
    assert result.total_requested_pence == 2_100_000


# --- The pages ----------------------------------------------------------------------------

def test_the_ranking_page_lists_the_applications_and_says_how_ties_are_broken(
        staff, reviewer_users, make_application, scoring_round, sign_in_as, priority_factory):
    priority = priority_factory(title="Vulnerable people")
    application = make_application(1)
    application.primary_priority = priority
    db.session.commit()
    submitted(staff, application, reviewer_users[0], [5, 10])
    submitted(staff, application, reviewer_users[1], [1, 1])
    html = sign_in_as(staff).get(f"/staff/rounds/{scoring_round.id}/ranking").get_data(
        as_text=True)
    assert application.reference in html and application.organisation.name in html
    assert "Vulnerable people" in html
    assert "Reviewers disagree" in html
    assert "Applications with equal scores share a rank" in html
    assert "when they were sent does not decide between them" in html
    assert "£5,000" in html and "Within budget" in html


def test_staff_record_an_agreed_score_on_the_moderation_page(
        staff, make_application, scoring_round, sign_in_as):
    application = make_application(1)
    client = sign_in_as(staff)
    path = f"/staff/applications/{application.id}/moderation"
    bad = post_form(client, path, {"agreed_score": "101", "reason": ""})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "<title>Error:" in html
    assert "Agreed score must be a number from 0 to 100" in html
    assert "Enter why this is the agreed score" in html
    good = post_form(client, path, {"agreed_score": "64.5", "reason": "Agreed at panel"})
    assert good.headers["Location"] == f"/staff/rounds/{scoring_round.id}/ranking"
    moderation = db.session.scalars(select(Moderation)).one()
    assert moderation.agreed_score_tenths == 645 and moderation.reason == "Agreed at panel"


def test_an_agreed_score_that_is_not_a_number_is_explained_once(
        staff, make_application, scoring_round, sign_in_as):
    application = make_application(1)
    client = sign_in_as(staff)
    path = f"/staff/applications/{application.id}/moderation"
    html = post_form(client, path, {"agreed_score": "high", "reason": "Agreed at panel"}
                     ).get_data(as_text=True)
    assert "Agreed score must be a number from 0 to 100 with at most one decimal place" in html
    assert "Enter the agreed score" not in html
    assert db.session.scalars(select(Moderation)).first() is None


def _add_applications(numbers, make_application, staff, reviewers):
    for number in numbers:
        application = make_application(number)
        for reviewer in reviewers:
            submitted(staff, application, reviewer, [number % 6, (number * 3) % 11])
        if number % 5 == 0:
            moderating.moderate(db.session, staff, application, agreed_score_tenths=500,
                                reason="Panel")
    db.session.commit()


def test_the_ranking_page_runs_the_same_few_queries_for_5_and_for_20_applications(
        staff, reviewer_users, make_application, scoring_round, sign_in_as, count_queries):
    reviewers = reviewer_users[:2]
    client = sign_in_as(staff)
    path = f"/staff/rounds/{scoring_round.id}/ranking"
    counts = {}
    for total, numbers in ((5, range(1, 6)), (20, range(6, 21))):
        _add_applications(numbers, make_application, staff, reviewers)
        with count_queries() as log:
            response = client.get(path)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert html.count('<tr class="govuk-table__row">') == total + 1  # and the header
        counts[total] = log.count
    # The signed-in user (3), the round, its criteria, the applications, the reviews and
    # their scores (2), the moderations.
    assert counts[5] == counts[20] <= 10, counts  # one of them the session record


def test_the_ranking_page_shows_each_change_of_reviews_moderation_and_screening_at_once(
        staff, reviewer_users, make_application, scoring_round, sign_in_as):
    from grants.assessment.operations import screening

    first, second = make_application(1), make_application(2)
    waiting = make_application(3, status=ApplicationStatus.SUBMITTED)
    high = submitted(staff, first, reviewer_users[0], [5, 10])  # 100%
    submitted(staff, second, reviewer_users[1], [3, 6])  # 60%
    client = sign_in_as(staff)
    path = f"/staff/rounds/{scoring_round.id}/ranking"

    def order() -> list[str]:
        html = client.get(path).get_data(as_text=True)
        shown = [(html.find(f">{a.reference}<"), a.reference) for a in (first, second, waiting)]
        return [reference for at, reference in sorted(shown) if at >= 0]

    assert order() == [first.reference, second.reference]
    assigning.remove_assignment(db.session, staff, high, "Conflict found later")
    db.session.commit()
    assert order() == [second.reference, first.reference]  # no review left: last
    moderating.moderate(db.session, staff, first, agreed_score_tenths=900, reason="Agreed at panel")
    db.session.commit()
    assert order() == [first.reference, second.reference]
    screening.screen_application(db.session, staff, waiting, {})
    db.session.commit()
    assert order() == [first.reference, second.reference, waiting.reference]
    review = submitted(staff, waiting, reviewer_users[2], [5, 10]).review  # 100%, over 90%
    db.session.commit()
    assert order() == [waiting.reference, first.reference, second.reference]
    reviews.reopen_review(db.session, staff, review, "Scored the wrong application")
    db.session.commit()
    assert order() == [first.reference, second.reference, waiting.reference]
