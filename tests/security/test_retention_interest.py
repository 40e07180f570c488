"""Retention treats expressions of interest like applications of the same age: the words and
answers of one to a round closed long ago go (unless its organisation's application to the
round is kept), its figures stay, and a dry run counts them."""

import logging
from datetime import timedelta

import pytest

from grants.applications.models import ApplicationStatus
from grants.funds.models import QuestionKind, QuestionSection, RoundQuestion
from grants.interest.models import Interest, InterestAnswer, InterestStatus
from grants.jobs.cli import retention_report
from tests.jobs.test_jobs import job_context
from tests.security.test_retention import (  # noqa: F401 (fixtures shared)
    LONG_AGO,
    _run,
    make_application,
    old_round,
)


@pytest.fixture
def make_interest(db_session, organisation_factory, user_factory):
    def make(round_, status=InterestStatus.DECLINED):
        round_.interest_closes_at = round_.closes_at - timedelta(days=10)
        section = QuestionSection(title="Your idea", position=1, in_interest=True)
        round_.question_sections.append(section)
        question = RoundQuestion(position=1, kind=QuestionKind.SHORT_TEXT,
                                 wording="Who will you help?")
        section.questions.append(question)
        interest = Interest(
            round=round_, organisation=organisation_factory(), status=status,
            title="Help for Jo Bloggs", summary="Jo Bloggs, 07700 900123",
            amount_pence=500_000, created_by=user_factory(), sent_at=LONG_AGO,
            decline_reason="Jo's family is already helped", created_at=LONG_AGO)
        interest.question_answers.append(InterestAnswer(question=question, text="Jo, aged 9"))
        db_session.add(interest)
        db_session.commit()
        return interest

    return make


def test_an_old_expression_of_interest_loses_its_words_but_keeps_its_figures(
        runner, db_session, old_round, make_interest):  # noqa: F811
    interest = make_interest(old_round)

    output = _run(runner)

    db_session.expire_all()
    interest = db_session.get(Interest, interest.id)
    assert "Anonymised 1 expression of interest" in output
    assert "Jo" not in f"{interest.title}{interest.summary}{interest.decline_reason}"
    assert interest.question_answers == []
    assert interest.anonymised_at is not None
    assert (interest.status, interest.amount_pence) == (InterestStatus.DECLINED, 500_000)


def test_a_dry_run_counts_expressions_of_interest_and_changes_nothing(
        runner, db_session, old_round, make_interest):  # noqa: F811
    interest = make_interest(old_round, InterestStatus.SENT)

    output = _run(runner, "--dry-run")

    db_session.expire_all()
    assert "Would anonymise 1 expression of interest" in output
    assert db_session.get(Interest, interest.id).summary == "Jo Bloggs, 07700 900123"


def test_one_that_led_to_a_kept_application_is_kept(runner, db_session, old_round,  # noqa: F811
                                                    make_interest, make_application):  # noqa: F811
    interest = make_interest(old_round, InterestStatus.INVITED)
    make_application(old_round, ApplicationStatus.AWARDED).organisation = interest.organisation
    db_session.commit()

    assert "Anonymised 0 expressions of interest" in _run(runner)


def test_the_scheduled_dry_run_counts_expressions_of_interest(
        app, db_session, old_round, make_interest, caplog):  # noqa: F811
    make_interest(old_round)
    caplog.set_level(logging.INFO, logger="grants")

    retention_report(job_context(app))

    assert "1 expressions of interest" in caplog.text
