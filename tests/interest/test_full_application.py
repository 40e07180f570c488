"""An invited organisation's full application starts from its expression of interest: the
title, summary, amount and the answers to the questions asked at both stages, each of which
the applicant may change."""

import pytest

from grants.applications.models import Application
from grants.applications.operations import questions as asked
from grants.extensions import db
from tests.applications.section_pages import open_section, save_section
from tests.fixtures.auth import post_form
from tests.interest.making import invited_interest


@pytest.fixture
def application(sign_in_as, member, organisation, staff, staged_round, idea):
    yes_no, people = idea.questions
    invited_interest(staged_round, organisation, member, staff, title="Safer streets",
                     values={yes_no.id: "Yes", people.id: 40})
    started = post_form(sign_in_as(member), f"/rounds/{staged_round.code}/apply",
                        data={"organisation_id": str(organisation.id)})
    assert started.status_code == 302
    return db.session.scalars(db.select(Application)).one()


def test_the_application_starts_with_the_title_summary_and_amount(application):
    assert application.title == "Safer streets"
    assert application.summary == "Patrols and training for volunteers."
    assert application.amount_requested_pence == 500_000


def test_the_questions_asked_at_both_stages_start_answered(application, idea):
    yes_no, people = idea.questions

    assert asked.stored_values(application) == {yes_no.id: "Yes", people.id: 40}


def test_the_applicant_can_change_an_answer_carried_from_the_first_stage(
        client, member, application, idea):
    yes_no, people = idea.questions
    key = f"questions-{idea.id}"
    page = open_section(client, application, key)
    assert 'value="40"' in page

    save_section(client, application, key, {f"q{yes_no.id}": "No", f"q{people.id}": "55"})

    db.session.expire(application, ["question_answers"])
    assert asked.stored_values(application) == {yes_no.id: "No", people.id: 55}
