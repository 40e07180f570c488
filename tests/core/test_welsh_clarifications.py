"""Welsh for the applicant's page of questions from the grants team (issue 25, point 5): the
questions, answering one, and what was answered. The questions and answers are as typed."""

import pytest

from grants.accounts.models import Role
from grants.assessment.operations import clarifications
from grants.extensions import db
from tests.applications.completing import submit
from tests.core.test_welsh import (  # noqa: F401  (fixtures)
    _applicant_data,
    _assert_welsh,
    _both,
    _in_welsh,
    applicant,
    compiled_welsh,
    welsh_office,
)
from tests.fixtures.auth import post_form

ASKED = "Who will run the sessions?"
FOLLOW_UP = "Is the hall booked?"
ANSWER = "Our youth worker, Rhian."


@pytest.fixture
def questioned(client, sign_in_as, applicant, welsh_office, user_factory):  # noqa: F811
    """The applicant's application, sent, with two questions from staff, one answered."""
    user, organisation, round_, application = applicant
    sign_in_as(user)
    assert submit(client, application).status_code == 302
    staff = user_factory(roles=[Role.STAFF], name="Sam Officer", email="sam@example.org")
    first = clarifications.ask_clarification(db.session, staff, application, ASKED)
    clarifications.ask_clarification(db.session, staff, application, FOLLOW_UP)
    clarifications.answer_clarification(db.session, user, application, first, ANSWER)
    db.session.commit()
    data = _applicant_data(welsh_office, user, organisation, round_, application) | {
        ASKED, FOLLOW_UP, ANSWER, application.reference,
        f"{application.reference}: {application.title}"}
    return application, data


def test_the_questions_from_the_grants_team_are_in_welsh(client, questioned):
    application, data = questioned
    path = f"/applications/{application.id}/questions"

    english, welsh = _both(client, path)

    _assert_welsh(english, welsh, data, path)
    assert "Cwestiwn 2" in welsh and "Eich ateb i gwestiwn 2" in welsh
    assert "Atebwyd gan Dai Jones, " in welsh


def test_answering_a_question_says_what_is_wrong_and_done_in_welsh(client, questioned):
    application, _ = questioned
    path = f"/applications/{application.id}/questions"
    waiting = [c for c in clarifications.clarifications_for(db.session, application.id)
               if c.answered_at is None][0]
    _in_welsh(client)

    empty = post_form(client, path, {"clarification_id": str(waiting.id), "answer": ""},
                      form_page=path).get_data(as_text=True)
    sent = post_form(client, path, {"clarification_id": str(waiting.id), "answer": "Yes."},
                     form_page=path, follow_redirects=True).get_data(as_text=True)

    assert "Rhowch eich ateb" in empty and "Mae problem wedi codi" in empty
    assert "Diolch. Mae eich ateb wedi’i anfon at y tîm grantiau." in sent
