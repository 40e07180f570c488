"""Each application's kept score (what the database sorts a round's ranking on) follows every
write that changes it, and the page the database sorts is the ranking worked out in full."""

import importlib
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from grants.applications.models import ApplicationStatus
from grants.assessment.models import ApplicationScore
from grants.assessment.operations import assignment as assigning
from grants.assessment.operations import declarations, kept_scores, ranking, ranking_pages, reviews
from grants.assessment.operations import moderation as moderating
from grants.extensions import db
from tests.assessment.reviewing import (  # noqa: F401  (fixtures)
    NOW,
    answers_for,
    assign,
    fixed_clock_fixture,
    make_application_fixture,
    reviewer_users_fixture,
    scoring_round_fixture,
    staff_fixture,
    submitted,
)

MIGRATION = next(Path(__file__).parents[2].joinpath("migrations", "versions")
                 .glob("*_applications_keep_their_ranking_score.py"))


def kept(application_id) -> dict:
    row = db.session.get(ApplicationScore, application_id)
    db.session.refresh(row)
    return {name: getattr(row, name) for name in (
        "review_count", "score_scale", "score_total", "score_lowest", "score_highest",
        "moderation_id", "ranking_key", "ranking_multiple", "key_exact")}


def worked_out(application_id) -> dict:
    """What the reviews and agreed scores say now, worked out afresh."""
    with db.session.begin_nested() as nested:
        kept_scores.refresh_score(db.session, application_id)
        fresh = kept(application_id)
        nested.rollback()
    return fresh


def test_the_kept_score_follows_each_write_that_changes_it(
        staff, reviewer_users, make_application, scoring_round):
    application = make_application(1)
    cal, alex, bea = reviewer_users
    first = submitted(staff, application, cal, [5, 10])  # 100 %
    assert kept(application.id)["review_count"] == 1
    assert kept(application.id)["ranking_key"] == 100 * kept(application.id)["ranking_multiple"]

    second = submitted(staff, application, alex, [1, 7])  # 110/3 %
    assert kept(application.id) == worked_out(application.id)
    assert kept(application.id)["review_count"] == 2

    reviews.reopen_review(db.session, staff, second.review, "Look again")
    assert kept(application.id)["review_count"] == 1

    reviews.save_review(db.session, alex, second, answers_for(scoring_round, [2, 2]),
                        submit=True)
    assert kept(application.id)["review_count"] == 2

    assigning.remove_assignment(db.session, staff, first, "Left the panel")
    assert kept(application.id)["review_count"] == 1
    assert kept(application.id) == worked_out(application.id)

    assigning.assign_reviewer(db.session, staff, application, cal)  # back: the review counts
    assert kept(application.id)["review_count"] == 2

    conflicted = assign(staff, application, bea)
    declarations.declare(db.session, bea, conflicted, has_conflict=True, note="My employer")
    assert kept(application.id)["review_count"] == 2

    moderation = moderating.moderate(db.session, staff, application, agreed_score_tenths=555,
                                     reason="Panel view")
    assert kept(application.id)["moderation_id"] == moderation.id
    assert kept(application.id)["ranking_key"] == kept(application.id)["ranking_multiple"] \
        * 555 // 10
    assert kept(application.id) == worked_out(application.id)


def _round_with_ties(staff, reviewer_users, make_application):
    """Nine applications: equal means over different review counts, a moderated score equal
    to a mean, ties broken by submission time and by reference, and some with no score."""
    early = NOW - timedelta(days=30)
    cal, alex, bea = reviewer_users
    # Made from the last reference to the first, so that the database's own order of rows
    # never happens to break a tie as the reference does.
    made = [make_application(number, submitted_at=early + timedelta(hours=number % 3),
                             amount_pence=300_000 + 100_000 * number)
            for number in range(9, 0, -1)][::-1]
    submitted(staff, made[0], cal, [3, 6])  # 60 %
    submitted(staff, made[1], cal, [5, 10])  # 60 % as the mean of 100 % …
    submitted(staff, made[1], alex, [1, 2])  # … and 20 %
    submitted(staff, made[2], cal, [1, 7])  # 110/3 %
    submitted(staff, made[3], cal, [3, 6])  # 60 %, submitted later than made[0]
    submitted(staff, made[4], bea, [2, 9])
    moderating.moderate(db.session, staff, made[4], agreed_score_tenths=600, reason="Agreed")
    submitted(staff, made[5], alex, [0, 0])
    submitted(staff, made[6], alex, [4, 3])
    submitted(staff, made[6], bea, [4, 3])
    db.session.commit()
    return made  # made[7] and made[8] have no score


def test_the_page_the_database_sorts_is_the_ranking_worked_out_in_full(
        staff, reviewer_users, make_application, scoring_round, monkeypatch):
    _round_with_ties(staff, reviewer_users, make_application)
    make_application(10, status=ApplicationStatus.INELIGIBLE)
    scoring_round.budget_pence = 2_500_000
    db.session.commit()
    monkeypatch.setattr(ranking_pages, "RANKING_PAGE_SIZE", 4)

    full = ranking.load_ranking(db.session, scoring_round.id)
    pages = [ranking_pages.load_ranking_page(db.session, scoring_round.id, number)
             for number in (1, 2, 3)]
    # Every key is a whole number, so the database sorted these pages.
    assert all(db.session.scalars(select(ApplicationScore.key_exact)))

    def shown(row):
        return (row.rank, row.application.id, row.review_count, row.mean, row.spread,
                row.moderated_score, row.running_total_pence, row.within_budget, row.tied,
                row.tie_straddles)

    assert [shown(row) for page in pages for row in page.page.items] == [
        shown(row) for row in full.rows]
    assert [page.page.total for page in pages] == [9, 9, 9]
    assert pages[0].total_requested_pence == full.total_requested_pence
    assert pages[0].within_budget_count == sum(row.within_budget for row in full.rows)
    assert 0 < pages[0].within_budget_count < 9  # the funding line falls inside the round
    assert pages[2].page.items[0].application.organisation_name


def test_a_round_whose_keys_are_not_whole_numbers_is_ranked_in_full_instead(
        staff, reviewer_users, make_application, scoring_round, monkeypatch):
    made = _round_with_ties(staff, reviewer_users, make_application)
    # As if a mean needed a larger multiple than the round's: its key is kept as inexact.
    monkeypatch.setattr(kept_scores, "KEY_LIMIT", 1)
    kept_scores.refresh_score(db.session, made[2].id)
    assert not db.session.scalar(select(ApplicationScore.key_exact).where(
        ApplicationScore.application_id == made[2].id))
    monkeypatch.setattr(kept_scores, "KEY_LIMIT", 2 ** 62)

    page = ranking_pages.load_ranking_page(db.session, scoring_round.id, 1)

    full = ranking.load_ranking(db.session, scoring_round.id)
    assert [row.application.id for row in page.page.items] == [row.application.id
                                                         for row in full.rows]


def test_the_migration_keeps_the_score_the_service_keeps(
        staff, reviewer_users, make_application, scoring_round):
    made = _round_with_ties(staff, reviewer_users, make_application)
    spec = importlib.util.spec_from_file_location("kept_score_migration", MIGRATION)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    before = {application.id: kept(application.id) for application in made[:7]}

    db.session.execute(ApplicationScore.__table__.delete())
    migration._fill(db.session.connection())

    assert {application.id: kept(application.id) for application in made[:7]} == before
    assert db.session.get(ApplicationScore, made[7].id) is None
