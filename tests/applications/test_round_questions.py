"""A round's own questions as applicants answer them: the extra sections of the task list,
each kind's checks on the server, "ask only if", and the answers wherever the application is
shown or exported."""

import re
from datetime import date

import pytest

from grants.accounts.models import Role
from grants.applications.models import ApplicationStatus, SectionStatus
from grants.applications.operations import questions as asked
from grants.extensions import db
from grants.funds.models import QuestionKind, RoundQuestion
from tests.applications.completing import complete, submit
from tests.applications.round_questions import ask, question, when
from tests.applications.section_pages import (
    error_for,
    open_section,
    save_section,
    section_row,
    text_of,
)
from tests.assessment.reviewing import declared

K = QuestionKind


def _key(section) -> str:
    return f"questions-{section.id}"


def _answers(application) -> dict[int, object]:
    db.session.expire(application, ["question_answers"])
    return asked.stored_values(application)


# --- The rule of "ask only if" ---------------------------------------------------------------

def test_a_question_is_asked_only_while_the_answer_it_waits_for_holds_even_through_a_chain():
    first = RoundQuestion(id=1, kind=K.YES_NO, wording="Do you work with children?")
    second = RoundQuestion(id=2, kind=K.SEVERAL_CHOICES, wording="Which ages?",
                           choices=["Under 11", "11 to 17"], condition_question_id=1,
                           condition_answer="Yes")
    third = RoundQuestion(id=3, kind=K.DATE, wording="When did staff train?",
                          condition_question_id=2, condition_answer="Under 11")
    questions = [first, second, third]

    assert asked.asked_ids(questions, {}) == {1}
    assert asked.asked_ids(questions, {1: "Yes", 2: ["11 to 17"]}) == {1, 2}
    assert asked.asked_ids(questions, {1: "Yes", 2: ["Under 11", "11 to 17"]}) == {1, 2, 3}
    # The middle question is no longer asked, so neither is the one that waits on it.
    assert asked.asked_ids(questions, {1: "No", 2: ["Under 11"]}) == {1}


# --- The task list and the section's page ------------------------------------------------------

@pytest.fixture
def safeguarding(open_round):
    return ask(open_round, "Safeguarding",
               question("Does your organisation work with children?", K.YES_NO),
               question("How much of your income is from grants?", K.MONEY, required=False),
               question("When was your safeguarding policy last reviewed?", K.DATE),
               question("How many volunteers do you have?", K.NUMBER),
               question("Which groups do you work with?", K.SEVERAL_CHOICES,
                        choices=["Children", "Older people", "Victims of crime"]),
               question("How do you keep people safe?", K.LONG_TEXT, word_limit=5,
                        hint="Training, checks and reporting"))


def _ids(section) -> list[str]:
    return [f"q{item.id}" for item in section.questions]


def test_the_round_s_sections_of_questions_sit_in_the_task_list_before_the_documents(
        client, sign_in_as, member, draft, safeguarding):
    page = text_of(sign_in_as(member).get(f"/applications/{draft.id}").get_data(as_text=True))

    assert "Safeguarding" in page
    assert page.index("Outcomes and beneficiaries") < page.index("Safeguarding") < \
        page.index("Documents")
    assert "You have completed 0 of 9 sections." in page
    assert f"/applications/{draft.id}/sections/{_key(safeguarding)}" in page


def test_a_question_without_a_hint_has_no_hint_saying_none(client, sign_in_as, member, draft,
                                                           safeguarding):
    page = open_section(sign_in_as(member), draft, _key(safeguarding))

    hints = re.findall(r'<div[^>]*class="govuk-hint"[^>]*>\s*(.*?)\s*</div>', page, re.S)
    assert "Training, checks and reporting" in " ".join(hints)
    assert "None" not in hints


def test_an_applicant_fills_in_the_round_s_section_and_each_answer_is_kept_in_its_kind(
        client, sign_in_as, member, draft, safeguarding):
    yes_no, money, day, count, groups, words = _ids(safeguarding)
    signed_in = sign_in_as(member)

    response = save_section(signed_in, draft, _key(safeguarding), {
        yes_no: "Yes", money: "£1,250.50", day: ["3", "5", "2026"], count: "1,200",
        groups: ["Children", "Victims of crime"], words: "Training and DBS checks"})

    assert response.status_code == 302
    assert section_row(draft, _key(safeguarding)).status is SectionStatus.COMPLETED
    by_question = dict(zip(_ids(safeguarding), safeguarding.questions, strict=True))
    values = {f"q{qid}": value for qid, value in _answers(draft).items()}
    assert values == {yes_no: "Yes", money: 125_050, day: date(2026, 5, 3), count: 1200,
                      groups: ["Children", "Victims of crime"],
                      words: "Training and DBS checks"}
    assert by_question[money].kind is K.MONEY
    # Coming back shows the answers as they were typed.
    page = open_section(signed_in, draft, _key(safeguarding))
    assert 'value="£1,250.50"' in page and "Training and DBS checks" in page


@pytest.mark.parametrize(("position", "sent", "message"), [
    (1, "12.345", "Enter an amount in pounds and pence"),
    (2, ["31", "2", "2027"], "The date must be a real date"),
    (3, "lots", "Enter a whole number, like 250"),
    (4, ["Children", "Everyone"], "Select one of the answers shown"),
    (5, "one two three four five six", "Your answer must be 5 words or fewer"),
])
def test_each_kind_of_answer_is_checked_on_the_server_and_what_was_typed_is_kept(
        client, sign_in_as, member, draft, safeguarding, position, sent, message):
    names = _ids(safeguarding)
    data = {names[0]: "No", names[2]: ["1", "4", "2026"], names[3]: "3",
            names[4]: ["Children"], names[5]: "Checks"}
    data[names[position]] = sent

    response = save_section(sign_in_as(member), draft, _key(safeguarding), data)

    assert response.status_code == 200
    # A date's message sits on its group of three boxes.
    shown_on = names[position] + ("-date" if position == 2 else "")
    assert message in (error_for(response.get_data(as_text=True), shown_on) or "")
    row = section_row(draft, _key(safeguarding))
    assert row.status is SectionStatus.IN_PROGRESS
    assert row.answers[names[position]] == (sent if isinstance(sent, list) else [sent])
    assert _answers(draft) == {}


def test_a_required_question_left_empty_says_what_to_do_and_an_optional_one_may_be(
        client, sign_in_as, member, draft, safeguarding):
    names = _ids(safeguarding)

    response = save_section(sign_in_as(member), draft, _key(safeguarding), {
        names[2]: ["1", "4", "2026"], names[3]: "3", names[4]: ["Children"],
        names[5]: "Checks"})

    page = response.get_data(as_text=True)
    assert error_for(page, names[0]) == \
        "Select yes or no for: Does your organisation work with children?"
    assert error_for(page, names[1]) is None


def test_save_and_come_back_later_keeps_a_half_finished_section_in_progress(
        client, sign_in_as, member, draft, safeguarding):
    names = _ids(safeguarding)

    response = save_section(sign_in_as(member), draft, _key(safeguarding),
                            {names[3]: "lots"}, action="later")

    assert response.status_code == 302
    row = section_row(draft, _key(safeguarding))
    assert row.status is SectionStatus.IN_PROGRESS
    assert row.answers[names[3]] == ["lots"]


def test_a_save_after_someone_else_changed_the_section_is_refused_and_says_so(
        client, sign_in_as, member, draft, safeguarding):
    signed_in = sign_in_as(member)
    page = open_section(signed_in, draft, _key(safeguarding))
    save_section(signed_in, draft, _key(safeguarding), {}, action="later")
    version = re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)

    response = signed_in.post(f"/applications/{draft.id}/sections/{_key(safeguarding)}",
                              data={"csrf_token": token, "version": version,
                                    "action": "continue"})

    assert "This section was changed by someone else" in response.get_data(as_text=True)


# --- Ask only if ----------------------------------------------------------------------------

@pytest.fixture
def children(open_round):
    works = question("Does your organisation work with children?", K.YES_NO)
    policy = when(question("Who is your safeguarding lead?", K.SHORT_TEXT), works, "Yes")
    return ask(open_round, "Children", works, policy)


def test_a_question_hidden_by_its_condition_is_not_required_and_its_answer_is_dropped(
        client, sign_in_as, member, draft, children):
    works, lead = _ids(children)
    signed_in = sign_in_as(member)

    missing = save_section(signed_in, draft, _key(children), {works: "Yes"})
    assert error_for(missing.get_data(as_text=True), lead) == \
        "Enter your answer for: Who is your safeguarding lead?"

    save_section(signed_in, draft, _key(children), {works: "Yes", lead: "Sam Lead"})
    assert sorted(_answers(draft).values()) == ["Sam Lead", "Yes"]

    response = save_section(signed_in, draft, _key(children), {works: "No", lead: "Sam Lead"})
    assert response.status_code == 302
    assert list(_answers(draft).values()) == ["No"]


def test_changing_an_earlier_section_drops_a_later_answer_or_reopens_its_section(
        client, sign_in_as, member, draft, open_round):
    works = question("Does your organisation work with children?", K.YES_NO)
    first = ask(open_round, "About you", works)
    lead = when(question("Who is your safeguarding lead?", K.SHORT_TEXT), works, "Yes")
    second = ask(open_round, "Safeguarding", lead)
    signed_in = sign_in_as(member)
    save_section(signed_in, draft, _key(first), {f"q{works.id}": "Yes"})
    save_section(signed_in, draft, _key(second), {f"q{lead.id}": "Sam Lead"})
    assert section_row(draft, _key(second)).status is SectionStatus.COMPLETED

    save_section(signed_in, draft, _key(first), {f"q{works.id}": "No"})
    assert _answers(draft) == {works.id: "No"}
    assert "Who is your safeguarding lead?" not in open_section(signed_in, draft, _key(second))

    save_section(signed_in, draft, _key(first), {f"q{works.id}": "Yes"})
    db.session.refresh(section_row(draft, _key(second)))
    assert section_row(draft, _key(second)).status is SectionStatus.IN_PROGRESS


# --- The answers wherever the application is shown -------------------------------------------

@pytest.fixture
def sent(client, sign_in_as, member, draft, open_round):
    """An application that answered the round's questions and was sent."""
    works = question("Does your organisation work with children?", K.YES_NO,
                     show_to_screeners=True)
    income = question("How much of your income is from grants?", K.MONEY)
    section = ask(open_round, "Safeguarding", works, income)
    signed_in = sign_in_as(member)
    complete(draft)
    save_section(signed_in, draft, _key(section), {f"q{works.id}": "Yes",
                                                   f"q{income.id}": "2500"})
    assert submit(signed_in, draft).status_code == 302
    assert draft.reference is not None
    return draft


def test_check_your_answers_shows_the_round_s_questions_with_change_links(
        client, sign_in_as, member, draft, open_round):
    works = question("Does your organisation work with children?", K.YES_NO)
    section = ask(open_round, "Safeguarding", works)
    signed_in = sign_in_as(member)
    complete(draft)
    save_section(signed_in, draft, _key(section), {f"q{works.id}": "Yes"})

    page = text_of(signed_in.get(f"/applications/{draft.id}/check").get_data(as_text=True))

    assert "Does your organisation work with children?" in page
    assert f"/applications/{draft.id}/sections/{_key(section)}" in page


def test_the_application_as_sent_shows_the_answers_to_the_applicant_and_in_print(
        client, sign_in_as, member, sent):
    page = text_of(client.get(f"/applications/{sent.id}/view")
                   .get_data(as_text=True))

    assert "Safeguarding" in page and "£2,500" in page


def test_staff_see_the_answers_on_the_application_page_and_in_the_csv(
        app, sign_in_as, user_factory, sent):
    staff = sign_in_as(user_factory(roles=[Role.STAFF]), on=app.test_client())

    page = text_of(staff.get(f"/staff/applications/{sent.id}").get_data(as_text=True))
    csv = staff.get(f"/staff/rounds/{sent.round_id}/applications.csv").get_data(as_text=True)

    assert "How much of your income is from grants?" in page and "£2,500" in page
    header, row = csv.splitlines()[:2]
    assert header.endswith("Does your organisation work with children?,"
                           "How much of your income is from grants?")
    assert row.endswith("Yes,2500.00")


def test_screeners_see_only_the_answers_staff_chose_to_show_them(
        app, sign_in_as, user_factory, sent):
    staff = sign_in_as(user_factory(roles=[Role.STAFF]), on=app.test_client())

    page = text_of(staff.get(f"/staff/applications/{sent.id}/screening")
                   .get_data(as_text=True))

    assert "The applicant's answers" in page
    assert "Does your organisation work with children?" in page
    assert "How much of your income is from grants?" not in page


def test_reviewers_read_the_answers_with_the_rest_of_the_application(
        app, sign_in_as, user_factory, sent):
    staff = user_factory(roles=[Role.STAFF])
    reviewer = user_factory(roles=[Role.REVIEWER])
    sent.status = ApplicationStatus.ELIGIBLE
    db.session.commit()
    assignment = declared(staff, sent, reviewer)

    page = text_of(sign_in_as(reviewer, on=app.test_client()).get(f"/reviews/{assignment.id}")
                   .get_data(as_text=True))

    assert "How much of your income is from grants?" in page and "£2,500" in page
