"""A submitted review keeps its exact weighted score; reopening clears it; the migration that
added the score gives reviews submitted before it the same score the service gives."""

import importlib
from fractions import Fraction
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from grants.assessment.models import Review
from grants.assessment.operations import reviews
from grants.extensions import db
from tests.assessment.reviewing import (  # noqa: F401  (fixtures)
    answers_for,
    fixed_clock_fixture,
    make_application_fixture,
    reviewer_users_fixture,
    scoring_round_fixture,
    staff_fixture,
    submitted,
)

MIGRATION = next(Path(__file__).parents[2].joinpath("migrations", "versions")
                 .glob("*_reviews_keep_their_weighted_score.py"))


def _migration():
    spec = importlib.util.spec_from_file_location("review_score_migration", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_submitted_review_keeps_its_exact_weighted_score_in_lowest_terms(
        staff, reviewer_users, make_application, scoring_round):
    # Weights 2 and 1 over maxima 5 and 10: (2 × 1/5 + 7/10) ÷ 3 = 11/30, so 110/3 per cent.
    assignment = submitted(staff, make_application(1), reviewer_users[0], [1, 7])
    review = assignment.review
    assert (review.score_numerator, review.score_denominator) == (110, 3)


def test_reopening_a_review_clears_its_score_and_submitting_again_keeps_the_new_one(
        staff, reviewer_users, make_application, scoring_round):
    application = make_application(1)
    assignment = submitted(staff, application, reviewer_users[0], [5, 10])
    assert (assignment.review.score_numerator, assignment.review.score_denominator) == (100, 1)

    reviews.reopen_review(db.session, staff, assignment.review, "Look again at the costs")
    assert assignment.review.score_numerator is None
    assert assignment.review.score_denominator is None

    again = reviews.save_review(db.session, reviewer_users[0], assignment,
                                answers_for(scoring_round, [0, 0]), submit=True)
    assert (again.score_numerator, again.score_denominator) == (0, 1)


def test_the_database_refuses_a_submitted_review_without_its_score(
        staff, reviewer_users, make_application, scoring_round):
    assignment = submitted(staff, make_application(1), reviewer_users[0], [3, 3])
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.execute(update(Review).where(Review.id == assignment.review.id)
                           .values(score_numerator=None))


def test_the_migration_gives_earlier_reviews_the_score_the_service_gives(
        staff, reviewer_users, make_application, scoring_round):
    given = [[1, 7], [4, 3], [0, 10], [5, 1], [3, 3], [2, 9]]
    applications = [make_application(number) for number in range(1, 4)]
    made = [submitted(staff, applications[number // 2], reviewer_users[number % 2],
                      scores).review for number, scores in enumerate(given)]

    worked_out = _migration()._scores_of_submitted_reviews(db.session.connection())

    assert worked_out == {review.id: Fraction(review.score_numerator, review.score_denominator)
                          for review in made}
