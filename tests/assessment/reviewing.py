"""Shared set-up for the reviewing tests: a round with scoring criteria whose applications are
eligible for review, staff, reviewers, and helpers that score through the services.

Test modules import the fixtures they use from here: each is named by its `name=` (the
function's name ends in _fixture, so that a test's argument does not shadow the import).
"""

from datetime import UTC, datetime, timedelta

import pytest

from grants.accounts.models import Role
from grants.applications.models import Application, ApplicationStatus
from grants.assessment.models import Recommendation, ReviewAssignment
from grants.assessment.operations import assignment as assigning
from grants.assessment.operations import declarations, reviews
from grants.core import clock
from grants.extensions import db
from grants.funds.models import Round, ScoringCriterion

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)

# (name, weight, maximum score)
CRITERIA = (("Need for the project", 2, 5), ("Ability to deliver", 1, 10))


@pytest.fixture(name="fixed_clock")
def fixed_clock_fixture(monkeypatch):
    monkeypatch.setattr(clock, "utcnow", lambda: NOW)
    return NOW


@pytest.fixture(name="scoring_round")
def scoring_round_fixture(round_factory, fixed_clock) -> Round:
    """A closed round being assessed, with two weighted criteria; budget £20,000."""
    round_ = round_factory(
        code="PPAF-2026-7", title="PPAF 2026/27 Round 7",
        opens_at=NOW - timedelta(days=60), closes_at=NOW - timedelta(days=10),
        launched_at=NOW - timedelta(days=70), assessing_at=NOW - timedelta(days=5),
        budget_pence=2_000_000, min_award_pence=100_000, max_award_pence=1_000_000,
    )
    round_.scoring_criteria = [
        ScoringCriterion(position=i, name=name, weight=weight, max_score=max_score,
                         guidance=f"How well the application shows {name.lower()}")
        for i, (name, weight, max_score) in enumerate(CRITERIA, start=1)]
    db.session.commit()
    return round_


@pytest.fixture(name="staff")
def staff_fixture(user_factory, fixed_clock):
    return user_factory(roles=[Role.STAFF], name="Sam Staff", email="sam.staff@example.org")


@pytest.fixture(name="reviewer_users")
def reviewer_users_fixture(user_factory, fixed_clock):
    """Three reviewers, named so that name order is Alex, Bea, Cal."""
    return [user_factory(roles=[Role.REVIEWER], name=name,
                         email=f"{name.lower()}@example.org")
            for name in ("Cal Reviewer", "Alex Reviewer", "Bea Reviewer")]


@pytest.fixture(name="make_application")
def make_application_fixture(application_factory, organisation_factory, scoring_round):
    """`make_application(number, ...)`: a submitted application to the scoring round, made
    eligible (or the status given), asking for £5,000 unless told otherwise."""

    def _make(number: int, *, status=ApplicationStatus.ELIGIBLE, amount_pence=500_000,
              organisation=None, submitted_at=None, round_=None) -> Application:
        round_ = round_ or scoring_round
        return application_factory(
            round=round_, organisation=organisation or organisation_factory(),
            title=f"Project {number}", summary="A summary", description="A description",
            reference=f"{round_.code}-{number:04d}", sequence=number, status=status,
            amount_requested_pence=amount_pence,
            submitted_at=submitted_at or NOW - timedelta(days=20, minutes=-number),
        )

    return _make


def assign(staff, application, reviewer) -> ReviewAssignment:
    assignment = assigning.assign_reviewer(db.session, staff, application, reviewer)
    db.session.commit()
    return assignment


def declared(staff, application, reviewer) -> ReviewAssignment:
    """Assigned, with no conflict declared."""
    assignment = assign(staff, application, reviewer)
    declarations.declare(db.session, reviewer, assignment, has_conflict=False)
    db.session.commit()
    return assignment


def answers_for(round_: Round, scores: list[int], *, recommendation=Recommendation.FUND,
                amount_pence=None, comment="A sound application",
                comments: list[str] | None = None) -> reviews.ReviewAnswers:
    """Answers giving each criterion of the round its score (in order), with comments."""
    comments = comments or [f"Comment on score {s}" for s in scores]
    return reviews.ReviewAnswers(
        scores={criterion.id: reviews.CriterionAnswer(score=score, comment=text)
                for criterion, score, text in zip(round_.scoring_criteria, scores, comments,
                                                  strict=True)},
        recommendation=recommendation, recommended_amount_pence=amount_pence,
        comment=comment)


def submitted(staff, application, reviewer, scores: list[int], **kwargs) -> ReviewAssignment:
    """Assigned, declared and scored, with the review submitted."""
    assignment = declared(staff, application, reviewer)
    reviews.save_review(db.session, reviewer, assignment,
                        answers_for(application.round, scores, **kwargs), submit=True)
    db.session.commit()
    return assignment


def review_form_data(round_: Round, scores: list, *, action="submit", recommendation="fund",
                     amount="", comment="A sound application", comments=None) -> dict:
    """The scoring form's fields as a browser sends them."""
    comments = comments or [f"Comment on score {s}" for s in scores]
    data = {"action": action, "recommendation": recommendation, "recommended_amount": amount,
            "comment": comment}
    for criterion, score, text in zip(round_.scoring_criteria, scores, comments, strict=True):
        data[f"score_{criterion.id}"] = "" if score is None else str(score)
        data[f"comment_{criterion.id}"] = text
    return data
