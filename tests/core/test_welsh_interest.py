"""Welsh for the applicant's expression of interest (issue 25, point 5): starting one, its
questions, checking and sending it, and reading the grants team's answer (invited or not),
with the form's messages. The round's own questions, and what the applicant and staff typed,
stay as typed."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from grants.extensions import db
from grants.funds.models import QuestionKind
from grants.interest.operations import deciding, drafting
from tests.applications.round_questions import ask, question
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

WORKED = "Have you worked with the police before?"
PEOPLE = "How many people will take part?"
PLAN = "What is your plan?"


@pytest.fixture
def staged(applicant, welsh_office, user_factory):  # noqa: F811
    """The applicant's round with an expression of interest stage asking three questions of
    its own, and the organisation's expression of interest, started."""
    from grants.accounts.models import Role

    user, organisation, round_, application = applicant
    round_.interest_closes_at = datetime.now(UTC) + timedelta(days=7)
    section = ask(round_, "Your idea", question(WORKED, QuestionKind.YES_NO),
                  question(PEOPLE, QuestionKind.NUMBER, required=False),
                  question(PLAN, QuestionKind.LONG_TEXT, word_limit=50, required=False,
                           hint="Say who will run it."))
    section.in_interest = True
    db.session.commit()
    interest, _ = drafting.start_interest(db.session, user, round_, organisation)
    db.session.commit()
    staff = user_factory(roles=[Role.STAFF], name="Sam Officer", email="sam@example.org")
    data = _applicant_data(welsh_office, user, organisation, round_, application) | {
        WORKED, PEOPLE, PLAN, "Say who will run it.", "Safer streets",
        "Patrols and training for volunteers.", "£5,000",
        f"{organisation.name}: {round_.title}", f"{round_.title} ({round_.financial_year})"}
    return user, round_, interest, staff, data


def _answer_and_send(interest, user) -> None:
    questions = {q.wording: q.id for q in interest.round.question_sections[-1].questions}
    drafting.save_interest(db.session, interest, drafting.InterestAnswers(
        title="Safer streets", summary="Patrols and training for volunteers.",
        amount_pence=500_000, values={questions[WORKED]: "Yes"}), complete=True,
        actor_id=user.id)
    drafting.send_interest(db.session, user, interest)
    db.session.commit()


def test_starting_and_answering_an_expression_of_interest_is_in_welsh(client, sign_in_as,
                                                                      staged):
    user, round_, interest, _, data = staged
    sign_in_as(user)

    for path in (f"/rounds/{round_.code}/expression-of-interest",
                 f"/expressions-of-interest/{interest.id}/answers",
                 f"/expressions-of-interest/{interest.id}"):
        english, welsh = _both(client, path)
        _assert_welsh(english, welsh, data, path)
    answers = _both(client, f"/expressions-of-interest/{interest.id}/answers")[1]
    assert "Say who will run it. 50 gair neu lai." in answers
    assert re.search(r"govuk-radios__label[^>]*>\s*Ie\s*<", answers)


def test_the_expression_of_interests_messages_are_in_welsh(client, sign_in_as, staged):
    user, _, interest, _, _ = staged
    sign_in_as(user)
    _in_welsh(client)
    path = f"/expressions-of-interest/{interest.id}/answers"

    html = post_form(client, path, {"action": "continue", "amount": "£900,000"},
                     form_page=path).get_data(as_text=True)

    assert "Rhowch £5,000 neu lai" in html
    html = post_form(client, path, {"action": "continue", "amount": "lots"},
                     form_page=path).get_data(as_text=True)
    assert "Rhowch swm mewn punnoedd a cheiniogau yn unig" in html
    html = post_form(client, path, {"action": "continue", "title": "Safer streets"},
                     form_page=path).get_data(as_text=True)
    assert "Rhowch grynodeb o’ch prosiect" in html
    assert f"Dewiswch ‘ie’ neu ‘na’ ar gyfer: {WORKED}" in html
    saved = post_form(client, path, {"action": "later", "title": "Safer streets"},
                      form_page=path, follow_redirects=True).get_data(as_text=True)
    assert "Mae eich atebion wedi’u cadw" in saved


def test_the_grants_teams_answer_is_in_welsh(client, sign_in_as, staged):
    user, _, interest, staff, data = staged
    _answer_and_send(interest, user)
    sign_in_as(user)
    path = f"/expressions-of-interest/{interest.id}"

    english, welsh = _both(client, path)
    _assert_welsh(english, welsh, data, "sent")
    assert "Anfonwyd am " in welsh

    deciding.invite(db.session, staff, interest)
    db.session.commit()
    english, welsh = _both(client, path)
    _assert_welsh(english, welsh, data, "invited")
    assert "Rydych chi wedi cael gwahoddiad i wneud cais" in welsh


def test_an_expression_of_interest_not_taken_forward_is_in_welsh(client, sign_in_as, staged):
    user, _, interest, staff, data = staged
    _answer_and_send(interest, user)
    deciding.decline(db.session, staff, interest, "The round is for new projects only.")
    db.session.commit()
    sign_in_as(user)

    english, welsh = _both(client, f"/expressions-of-interest/{interest.id}")

    _assert_welsh(english, welsh, data | {"The round is for new projects only."}, "declined")
    assert "Heb ei ddatblygu ymhellach" in welsh
