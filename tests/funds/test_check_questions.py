"""Staff add yes/no questions to a round's eligibility check before it opens: the question, the
answer someone needs to give, and the reason shown to someone who gives the other."""

from datetime import timedelta

import pytest

from grants.funds.models import CheckQuestion
from grants.funds.operations.copying import copy_round
from tests.fixtures.auth import post_form
from tests.funds.conftest import NOW, error_messages

QUESTION = {"text": "Have you been operating for at least 12 months?", "needed_answer": "yes",
            "reason": "it funds organisations that have been operating for at least 12 months"}


@pytest.fixture
def draft_round(round_factory, now):
    return round_factory(opens_at=NOW + timedelta(days=10), closes_at=NOW + timedelta(days=40))


def test_staff_add_a_question_to_the_check_and_see_it_on_the_round(
        staff_client, draft_round, db_session, audit_actions):
    response = post_form(staff_client, f"/staff/rounds/{draft_round.id}/check-questions/new",
                         QUESTION)

    assert response.status_code == 302
    assert response.location.endswith(f"/staff/rounds/{draft_round.id}#check_questions")
    db_session.refresh(draft_round)
    [question] = draft_round.check_questions
    assert (question.text, question.needed_answer, question.reason) == (
        QUESTION["text"], True, QUESTION["reason"])
    assert audit_actions("round", draft_round.id) == ["round.check_question_added"]
    page = staff_client.get(f"/staff/rounds/{draft_round.id}").text
    assert QUESTION["text"] in page and QUESTION["reason"] in page


def test_a_question_needs_its_text_its_answer_and_its_reason(staff_client, draft_round,
                                                              db_session):
    response = post_form(staff_client, f"/staff/rounds/{draft_round.id}/check-questions/new",
                         {"text": " ", "reason": ""})

    assert error_messages(response.text) == [
        "Enter the question", "Select the answer someone needs to give",
        "Enter why someone who gives the other answer cannot apply"]
    db_session.refresh(draft_round)
    assert draft_round.check_questions == []


def test_staff_change_and_remove_a_question(staff_client, draft_round, db_session):
    draft_round.check_questions.append(CheckQuestion(position=1, text="Old?",
                                                     needed_answer=True, reason="old"))
    db_session.commit()
    path = (f"/staff/rounds/{draft_round.id}/check-questions/"
            f"{draft_round.check_questions[0].id}/edit")

    changed = post_form(staff_client, path, {**QUESTION, "needed_answer": "no"})
    db_session.refresh(draft_round)
    needed = draft_round.check_questions[0].needed_answer
    removed = post_form(staff_client, path.replace("/edit", "/remove"), form_page=path)

    assert changed.status_code == removed.status_code == 302
    assert needed is False
    db_session.refresh(draft_round)
    assert draft_round.check_questions == []


def test_a_launched_round_may_still_change_its_questions_until_it_opens(
        staff_client, draft_round, db_session):
    draft_round.launched_at = NOW - timedelta(days=1)
    db_session.commit()

    response = post_form(staff_client, f"/staff/rounds/{draft_round.id}/check-questions/new",
                         QUESTION)

    assert response.status_code == 302


def test_the_questions_are_fixed_once_the_round_opens(staff_client, draft_round, db_session):
    draft_round.check_questions.append(CheckQuestion(position=1, text="Kept?",
                                                     needed_answer=True, reason="kept"))
    draft_round.launched_at = NOW - timedelta(days=2)
    draft_round.opens_at = NOW - timedelta(days=1)
    db_session.commit()
    path = (f"/staff/rounds/{draft_round.id}/check-questions/"
            f"{draft_round.check_questions[0].id}/edit")

    added = post_form(staff_client, f"/staff/rounds/{draft_round.id}/check-questions/new",
                      QUESTION, form_page=f"/staff/rounds/{draft_round.id}")
    removed = post_form(staff_client, path.replace("/edit", "/remove"),
                        form_page=f"/staff/rounds/{draft_round.id}")

    reason = ("This round opened at midday on 31 May 2026 (BST), so the questions of its "
              "eligibility check can no longer change")
    assert error_messages(added.text) == [reason]
    assert error_messages(removed.text) == [reason]
    db_session.refresh(draft_round)
    assert [q.text for q in draft_round.check_questions] == ["Kept?"]
    page = staff_client.get(f"/staff/rounds/{draft_round.id}").text
    assert "Add a question to the eligibility check" not in page


def test_a_copied_round_asks_the_same_questions(draft_round, db_session):
    draft_round.check_questions.append(CheckQuestion(position=1, text="Copied?",
                                                     needed_answer=False, reason="copied"))
    db_session.flush()

    copy = copy_round(db_session, draft_round, actor_id=None)

    assert [(q.text, q.needed_answer, q.reason) for q in copy.check_questions] == [
        ("Copied?", False, "copied")]
