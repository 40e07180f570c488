"""Staff set the questions a round asks applicants: sections of the task list, each question's
kind, wording and "ask only if", their order; frozen at the first submission; copied with the
round."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from grants.applications.models import ApplicationStatus
from grants.extensions import db
from grants.funds.models import QuestionKind, QuestionSection, Round, RoundQuestion
from tests.fixtures.auth import post_form
from tests.funds.conftest import error_messages

FROZEN = ("Applications have been submitted to this round (the first at 3pm on 20 May 2026 "
          "(BST)), so its application questions can no longer change")


def _question_form(**overrides) -> dict:
    data = {"wording": "Does your organisation work with children?", "hint": "",
            "kind": "yes_no", "word_limit": "", "choices": "", "required": "yes",
            "show_to_screeners": "no", "condition_question_id": "", "condition_answer": ""}
    data.update(overrides)
    return data


@pytest.fixture
def round_(round_factory):
    return round_factory()


@pytest.fixture
def section(round_):
    section = QuestionSection(title="Safeguarding", position=1)
    round_.question_sections.append(section)
    db.session.commit()
    return section


def _add(staff_client, round_, section, **overrides):
    return post_form(staff_client,
                     f"/staff/rounds/{round_.id}/question-sections/{section.id}/questions/new",
                     _question_form(**overrides))


def test_staff_add_a_section_and_a_question_with_choices_that_the_round_page_lists(
        staff_client, round_, audit_actions):
    added = post_form(staff_client, f"/staff/rounds/{round_.id}/question-sections/new",
                      {"title": "Safeguarding"})
    section = db.session.scalars(select(QuestionSection)).one()
    question = _add(staff_client, round_, section, wording="Which groups do you work with?",
                    kind="several_choices", choices="Children\r\nOlder people\r\n\r\n",
                    show_to_screeners="yes", required="no")

    assert added.status_code == question.status_code == 302
    saved = db.session.scalars(select(RoundQuestion)).one()
    assert (saved.kind, saved.choices, saved.required, saved.show_to_screeners) == (
        QuestionKind.SEVERAL_CHOICES, ["Children", "Older people"], False, True)
    page = staff_client.get(f"/staff/rounds/{round_.id}").text
    assert "Safeguarding" in page and "Which groups do you work with?" in page
    assert "Shown to screeners" in page
    assert audit_actions("round", round_.id) == ["round.question_section_added",
                                                 "round.application_question_added"]


@pytest.mark.parametrize(("overrides", "message"), [
    ({"kind": ""}, "Select the kind of answer the question takes"),
    ({"wording": ""}, "Enter the question"),
    ({"kind": "long_text"}, "Enter a word limit from 1 to 5,000"),
    ({"kind": "one_choice", "choices": "Only one"}, "Enter at least 2 choices, one on each line"),
    ({"kind": "one_choice", "choices": "Yes\nyes"}, "Enter each choice once"),
])
def test_a_question_that_cannot_be_asked_is_refused_with_what_to_do(
        staff_client, round_, section, overrides, message):
    response = _add(staff_client, round_, section, **overrides)

    assert response.status_code == 200
    assert message in error_messages(response.text)
    assert db.session.scalars(select(RoundQuestion)).all() == []


def test_ask_only_if_names_an_earlier_question_and_one_of_its_answers(
        staff_client, round_, section):
    _add(staff_client, round_, section)
    first = db.session.scalars(select(RoundQuestion)).one()

    wrong = _add(staff_client, round_, section, wording="Who is your safeguarding lead?",
                 kind="short_text", condition_question_id=str(first.id),
                 condition_answer="Maybe")
    right = _add(staff_client, round_, section, wording="Who is your safeguarding lead?",
                 kind="short_text", condition_question_id=str(first.id),
                 condition_answer="yes")

    assert "Enter one of the answers to that question: Yes, No" in error_messages(wrong.text)
    assert right.status_code == 302
    lead = db.session.scalars(select(RoundQuestion).where(RoundQuestion.id != first.id)).one()
    assert (lead.condition_question_id, lead.condition_answer) == (first.id, "Yes")
    # The question depended on cannot then move after it.
    moved = post_form(staff_client,
                      f"/staff/rounds/{round_.id}/application-questions/{first.id}/move-down",
                      form_page=f"/staff/rounds/{round_.id}")
    assert moved.status_code == 302
    db.session.expire_all()
    assert [q.wording for q in db.session.get(QuestionSection, section.id).questions] == [
        "Does your organisation work with children?", "Who is your safeguarding lead?"]


def test_staff_change_reorder_and_remove_questions_and_sections(staff_client, round_, section):
    _add(staff_client, round_, section, wording="First?")
    _add(staff_client, round_, section, wording="Second?")
    first, second = section.questions
    later = QuestionSection(title="About you", position=2)
    round_.question_sections.append(later)
    db.session.commit()
    base = f"/staff/rounds/{round_.id}"

    post_form(staff_client, f"{base}/application-questions/{second.id}/move-up",
              form_page=base)
    post_form(staff_client, f"{base}/question-sections/{later.id}/move-up", form_page=base)
    post_form(staff_client, f"{base}/application-questions/{first.id}/edit",
              _question_form(wording="First, changed?"))
    post_form(staff_client, f"{base}/question-sections/{later.id}/edit", {"title": "You"})

    db.session.expire_all()
    round_ = db.session.get(Round, round_.id)
    assert [(s.title, [q.wording for q in s.questions]) for s in round_.question_sections] == [
        ("You", []), ("Safeguarding", ["Second?", "First, changed?"])]

    post_form(staff_client, f"{base}/application-questions/{second.id}/remove",
              form_page=base)
    post_form(staff_client, f"{base}/question-sections/{later.id}/remove", form_page=base)
    db.session.expire_all()
    assert [(s.title, [q.wording for q in s.questions])
            for s in db.session.get(Round, round_.id).question_sections] == [
        ("Safeguarding", ["First, changed?"])]


def test_questions_freeze_at_the_first_submission_and_the_pages_say_why(
        staff_client, round_, section, application_factory):
    _add(staff_client, round_, section)
    question = section.questions[0]
    application_factory(round=round_, status=ApplicationStatus.SUBMITTED,
                        submitted_at=datetime(2026, 5, 20, 14, 0, tzinfo=UTC))
    base = f"/staff/rounds/{round_.id}"

    added = _add(staff_client, round_, section, wording="Another?")
    changed = post_form(staff_client, f"{base}/application-questions/{question.id}/edit",
                        _question_form(wording="Changed?"))
    removed = post_form(staff_client, f"{base}/question-sections/{section.id}/remove",
                        form_page=base)
    edit_page = staff_client.get(f"{base}/application-questions/{question.id}/edit").text
    round_page = staff_client.get(base).text

    assert error_messages(added.text) == [FROZEN]
    assert error_messages(changed.text) == [FROZEN]
    assert FROZEN in error_messages(removed.text)
    assert FROZEN in edit_page and "Save question" not in edit_page
    assert "application questions and scoring criteria can no longer change" in round_page
    assert "Add a section of questions" not in round_page
    db.session.expire_all()
    assert [q.wording for q in db.session.get(QuestionSection, section.id).questions] == [
        "Does your organisation work with children?"]


def test_copying_a_round_copies_its_questions_and_their_conditions(
        staff_client, round_, section):
    works = RoundQuestion(position=1, kind=QuestionKind.YES_NO, wording="Children?",
                          show_to_screeners=True)
    lead = RoundQuestion(position=2, kind=QuestionKind.SHORT_TEXT, wording="Lead?",
                         condition_question=works, condition_answer="Yes")
    section.questions.extend([works, lead])
    db.session.commit()

    response = post_form(staff_client, f"/staff/rounds/{round_.id}/copy",
                         form_page=f"/staff/rounds/{round_.id}")

    assert response.status_code == 302
    copy = db.session.scalars(select(Round).where(Round.id != round_.id)).one()
    (twin_section,) = copy.question_sections
    twin_works, twin_lead = twin_section.questions
    assert twin_section.title == "Safeguarding"
    assert (twin_works.wording, twin_works.show_to_screeners) == ("Children?", True)
    assert twin_works.id != works.id
    assert (twin_lead.condition_question, twin_lead.condition_answer) == (twin_works, "Yes")
