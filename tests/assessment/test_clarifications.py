"""Questions to the applicant and their answers, and staff's internal notes, which applicants
never see."""

import re

import pytest
from sqlalchemy import select

from grants.accounts.models import Role
from grants.applications.models import ApplicationStatus
from grants.assessment.models import Clarification, InternalNote
from grants.assessment.operations import clarifications
from grants.assessment.operations import notes as staff_notes
from grants.core import clock
from grants.records.models import AuditEvent, OutboxMessage
from tests.assessment.screening_data import (
    NOT_STAFF,
    NOW,
    closed_round,
    make_user,
    member_of,
    sent,
    words,
)
from tests.fixtures.auth import csrf_token_for, post_form


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "utcnow", lambda: NOW)


@pytest.fixture
def staff(user_factory):
    return user_factory(roles=[Role.STAFF], name="Sam Staff")


@pytest.fixture
def organisation(organisation_factory):
    return organisation_factory(name="Reading Street Support",
                                contact_email="contact@reading.example.org")


@pytest.fixture
def member(organisation):
    return member_of(organisation, name="Jo Member", email="jo@reading.example.org")


@pytest.fixture
def application(organisation, member):
    return sent(closed_round(), organisation, by=member)


def _staff_page(application) -> str:
    return f"/staff/applications/{application.id}"


def _questions_page(application) -> str:
    return f"/applications/{application.id}/questions"


def _ask(client, application, question):
    return post_form(client, f"/staff/applications/{application.id}/clarifications",
                     {"question": question}, form_page=_staff_page(application))


def _answer(client, application, clarification, answer):
    token = csrf_token_for(client, _questions_page(application))
    return client.post(_questions_page(application), data={
        "csrf_token": token, "clarification_id": str(clarification.id), "answer": answer})


def _events(db_session, application, action):
    return db_session.scalars(select(AuditEvent).where(
        AuditEvent.entity_type == "application", AuditEvent.entity_id == application.id,
        AuditEvent.action == action)).all()


QUESTION = "How many volunteers will run the outreach each night?"


# --- Asking -------------------------------------------------------------------------------

def test_staff_ask_the_applicant_a_question_which_is_emailed_with_a_link_to_answer_it(
    application, staff, sign_in_as, db_session
):
    response = _ask(sign_in_as(staff), application, QUESTION)

    assert response.status_code == 302
    assert response.headers["Location"] == f"{_staff_page(application)}#questions"
    [clarification] = clarifications.clarifications_for(db_session, application.id)
    assert (clarification.question, clarification.asked_by_id, clarification.answer) == (
        QUESTION, staff.id, "")
    emails = db_session.scalars(select(OutboxMessage).where(
        OutboxMessage.idempotency_key.like(f"clarification-asked:{clarification.id}:%"))).all()
    assert sorted(email.to_address for email in emails) == [
        "contact@reading.example.org", "jo@reading.example.org"]
    assert QUESTION in emails[0].body_text
    assert f"http://127.0.0.1:5000/applications/{application.id}/questions" in (
        emails[0].body_text)
    [event] = _events(db_session, application, "application.clarification_asked")
    assert event.actor_id == staff.id and event.after == {"clarification_id": clarification.id}


@pytest.mark.parametrize("question,message", [
    ("", "Enter the question to ask the applicant"),
    ("x" * 1001, "The question must be 1,000 characters or fewer"),
])
def test_a_question_must_be_given_and_at_most_a_thousand_characters(
    question, message, application, staff, sign_in_as, db_session
):
    response = _ask(sign_in_as(staff), application, question)
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert message in page and "<title>Error: " in page
    assert db_session.scalars(select(Clarification)).all() == []


def test_no_question_can_be_asked_about_a_withdrawn_application(
    organisation, staff, db_session
):
    application = sent(closed_round(), organisation, status=ApplicationStatus.WITHDRAWN)

    with pytest.raises(clarifications.Refusal, match="not withdrawn"):
        clarifications.ask_clarification(db_session, staff, application, QUESTION)


# --- Answering ----------------------------------------------------------------------------

@pytest.fixture
def asked(application, staff, db_session):
    clarification = clarifications.ask_clarification(db_session, staff, application, QUESTION)
    db_session.commit()
    return clarification


def test_the_applicant_sees_the_question_and_answers_it_without_changing_the_application(
    application, asked, member, sign_in_as, db_session
):
    client = sign_in_as(member)
    page = client.get(_questions_page(application)).get_data(as_text=True)
    version, status = application.version, application.status
    emails_before = len(db_session.scalars(select(OutboxMessage)).all())

    response = _answer(client, application, asked, "Four volunteers, and a coordinator.")

    assert QUESTION in page and "Send answer to question 1" in page
    assert response.status_code == 302
    db_session.refresh(asked)
    db_session.refresh(application)
    assert (asked.answer, asked.answered_by_id, asked.answered_at) == (
        "Four volunteers, and a coordinator.", member.id, NOW)
    assert (application.version, application.status) == (version, status)
    assert len(db_session.scalars(select(OutboxMessage)).all()) == emails_before
    [event] = _events(db_session, application, "application.clarification_answered")
    assert event.actor_id == member.id
    after = client.get(_questions_page(application)).get_data(as_text=True)
    assert "Four volunteers, and a coordinator." in after
    assert "Send answer" not in after


def test_a_question_is_answered_once(application, asked, member, sign_in_as, db_session):
    client = sign_in_as(member)
    _answer(client, application, asked, "First answer")

    response = _answer(client, application, asked, "Second answer")

    assert response.status_code == 302
    db_session.refresh(asked)
    assert asked.answer == "First answer"
    assert "This question has already been answered" in client.get(
        _questions_page(application)).get_data(as_text=True)
    assert len(_events(db_session, application, "application.clarification_answered")) == 1


@pytest.mark.parametrize("answer,message", [
    ("  ", "Enter your answer"),
    ("x" * 2001, "Your answer must be 2,000 characters or fewer"),
])
def test_an_answer_must_be_given_and_at_most_two_thousand_characters(
    answer, message, application, asked, member, sign_in_as, db_session
):
    response = _answer(sign_in_as(member), application, asked, answer)
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert message in page and "<title>Error: " in page
    assert f'href="#answer-{asked.id}"' in page and f'id="answer-{asked.id}"' in page
    db_session.refresh(asked)
    assert asked.answered_at is None


def test_answers_show_on_the_staff_page(application, asked, staff, member, sign_in_as,
                                        new_client):
    _answer(sign_in_as(member), application, asked, "Four volunteers.")

    text = words(sign_in_as(staff, on=new_client()).get(_staff_page(application)).get_data(
        as_text=True))

    assert QUESTION in text
    assert "Four volunteers." in text and "Jo Member" in text


def test_clarifications_for_lists_questions_oldest_first_with_their_answers(
    application, asked, staff, member, db_session
):
    second = clarifications.ask_clarification(db_session, staff, application, "And on Sundays?")
    clarifications.answer_clarification(db_session, member, application, asked, "Four.")

    listed = clarifications.clarifications_for(db_session, application.id)

    assert [(c.id, c.answer) for c in listed] == [(asked.id, "Four."), (second.id, "")]
    assert listed[0].answered_by.name == "Jo Member"


def test_a_question_of_another_application_cannot_be_answered_here(
    application, member, staff, organisation_factory, sign_in_as, db_session
):
    other = sent(closed_round(code="PPAF-2026-3", title="Round 3"), organisation_factory())
    foreign = clarifications.ask_clarification(db_session, staff, other, QUESTION)
    db_session.commit()

    response = _answer(sign_in_as(member), application, foreign, "Sneaky")

    assert response.status_code == 404
    db_session.refresh(foreign)
    assert foreign.answered_at is None


# --- Who may answer -----------------------------------------------------------------------

def test_another_organisations_member_is_told_the_questions_page_does_not_exist(
    application, asked, organisation_factory, sign_in_as, db_session
):
    outsider = member_of(organisation_factory(name="Other Group"))
    client = sign_in_as(outsider)

    assert client.get(_questions_page(application)).status_code == 404
    token = csrf_token_for(client, "/account")
    response = client.post(_questions_page(application), data={
        "csrf_token": token, "clarification_id": str(asked.id), "answer": "Not mine"})
    assert response.status_code == 404
    db_session.refresh(asked)
    assert asked.answered_at is None


@pytest.mark.parametrize("role", [Role.STAFF, *NOT_STAFF])
def test_only_members_see_the_questions_page(role, application, sign_in_as):
    client = sign_in_as(make_user(role))

    assert client.get(_questions_page(application)).status_code == 404


def test_anonymous_people_are_sent_to_sign_in_from_the_questions_page(application, client):
    response = client.get(_questions_page(application))

    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("role", NOT_STAFF)
def test_only_staff_ask_questions_and_add_notes(role, application, sign_in_as, db_session):
    client = sign_in_as(make_user(role))
    token = csrf_token_for(client, "/account")

    for path, data in [("clarifications", {"question": QUESTION}), ("notes", {"body": "x"})]:
        response = client.post(f"/staff/applications/{application.id}/{path}",
                               data={"csrf_token": token, **data})
        assert response.status_code == 403
    assert db_session.scalars(select(Clarification)).all() == []
    assert db_session.scalars(select(InternalNote)).all() == []


# --- Internal notes -----------------------------------------------------------------------

def _add_note(client, application, body):
    return post_form(client, f"/staff/applications/{application.id}/notes", {"body": body},
                     form_page=_staff_page(application))


def test_staff_add_notes_shown_newest_first_with_author_and_time(
    application, staff, sign_in_as, db_session, monkeypatch
):
    client = sign_in_as(staff)
    first = _add_note(client, application, "Called the treasurer about the accounts.")
    later = NOW.replace(minute=5)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    _add_note(client, application, "Accounts received by email.")

    page = client.get(_staff_page(application)).get_data(as_text=True)
    text = words(page)

    assert first.status_code == 302
    assert first.headers["Location"] == f"{_staff_page(application)}#notes"
    assert text.index("Accounts received by email.") < text.index(
        "Called the treasurer about the accounts.")
    assert "Sam Staff , 10:05am on 1 December 2026 (GMT)" in text
    notes = staff_notes.notes_for(db_session, application.id)
    assert [note.author_id for note in notes] == [staff.id, staff.id]
    assert len(_events(db_session, application, "application.note_added")) == 2


@pytest.mark.parametrize("body,message", [
    ("", "Enter the note"),
    ("x" * 5001, "The note must be 5,000 characters or fewer"),
])
def test_a_note_must_be_given_and_at_most_five_thousand_characters(
    body, message, application, staff, sign_in_as, db_session
):
    response = _add_note(sign_in_as(staff), application, body)
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert message in page and "<title>Error: " in page and 'href="#body"' in page
    assert db_session.scalars(select(InternalNote)).all() == []


def test_applicants_never_see_internal_notes(application, asked, staff, member, sign_in_as,
                                             new_client, db_session):
    secret = "Trustee is the chair's brother: check for a conflict"
    _add_note(sign_in_as(staff), application, secret)
    assert db_session.scalars(select(InternalNote)).one().body == secret
    client = sign_in_as(member, on=new_client())

    pages = [_questions_page(application), f"/applications/{application.id}/view",
             f"/applications/{application.id}", "/dashboard"]
    for path in pages:
        response = client.get(path, follow_redirects=True)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert "Trustee is the chair" not in html, path
        assert not re.search(r"brother", html), path
