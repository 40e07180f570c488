"""Eligibility screening: the rules, the reason the applicant is told, reversals, marking many
eligible at once, the audit record, the staff view of an application, and who may do it."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from grants.accounts.models import Role
from grants.applications.models import ApplicationStatus, Document, DocumentKind
from grants.assessment.models import (
    EligibilityAnswer,
    EligibilityAnswerValue,
    ReviewAssignment,
    ScreeningDecision,
    ScreeningOutcome,
)
from grants.assessment.operations import history as histories
from grants.assessment.operations import screening, screening_reversal
from grants.core import clock
from grants.records.models import AuditEvent, OutboxMessage
from tests.assessment.screening_data import (
    NOT_STAFF,
    NOW,
    add_questions,
    answer,
    closed_round,
    make_user,
    member_of,
    sent,
    words,
)
from tests.fixtures.auth import csrf_token_for, post_form

YES, NO, NA = (EligibilityAnswerValue.YES, EligibilityAnswerValue.NO,
               EligibilityAnswerValue.NOT_APPLICABLE)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "utcnow", lambda: NOW)


@pytest.fixture
def round_():
    return closed_round()


@pytest.fixture
def questions(round_):
    """Two mandatory questions and an optional one."""
    return add_questions(round_, ("Is the organisation based in Thames Valley?", True),
                         ("Does it have a safeguarding policy?", True),
                         ("Has it had a grant before?", False))


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
def application(round_, organisation, member, questions):
    return sent(round_, organisation, by=member)


def _screening_path(application) -> str:
    return f"/staff/applications/{application.id}/screening"


def _screen(client, application, questions, choices, *, reason="", action="decide"):
    """Post the screening form: `choices` gives each question's answer value (or None)."""
    data = {"reason": reason, "action": action}
    for question, choice in zip(questions, choices, strict=True):
        if choice is not None:
            data[f"answer_{question.id}"] = choice.value
        data[f"note_{question.id}"] = f"checked {question.position}"
    return post_form(client, _screening_path(application), data)


def _decisions(db_session, application):
    return db_session.scalars(select(ScreeningDecision).where(
        ScreeningDecision.application_id == application.id).order_by(
        ScreeningDecision.id)).all()


def _events(db_session, application, action):
    return db_session.scalars(select(AuditEvent).where(
        AuditEvent.entity_type == "application", AuditEvent.entity_id == application.id,
        AuditEvent.action == action)).all()


def _emails(db_session, prefix):
    return db_session.scalars(select(OutboxMessage).where(
        OutboxMessage.idempotency_key.like(f"{prefix}%")).order_by(OutboxMessage.id)).all()


# --- The screening page -------------------------------------------------------------------

def test_the_screening_page_lists_the_rounds_questions_with_guidance_and_mandatory_tags(
    application, questions, staff, sign_in_as
):
    page = sign_in_as(staff).get(_screening_path(application)).get_data(as_text=True)
    text = words(page)

    assert "Screen eligibility" in text
    for question in questions:
        assert question.text in text and question.guidance in text
    assert text.count("Mandatory") == 2 and "(optional)" in text
    assert f'name="answer_{questions[0].id}" type="radio" value="not_applicable"' in page
    assert f'name="note_{questions[0].id}"' in page


def test_a_mandatory_no_without_a_reason_is_refused_and_nothing_is_saved(
    application, questions, staff, sign_in_as, db_session
):
    response = _screen(sign_in_as(staff), application, questions, [NO, YES, YES])
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "<title>Error: Screen eligibility" in page
    assert "Enter why the application is not eligible" in page
    assert 'href="#reason"' in page
    # What was chosen is shown again, with a suggestion built from the failing question.
    assert f'name="answer_{questions[0].id}" type="radio" value="no" checked' in page
    assert ("Suggested from the questions answered no: “Your application does not meet this "
            f"eligibility requirement of the round: {questions[0].text}”") in words(page)
    db_session.refresh(application)
    assert application.status is ApplicationStatus.SUBMITTED
    assert _decisions(db_session, application) == []
    assert db_session.scalars(select(EligibilityAnswer)).all() == []


def test_a_mandatory_no_with_a_reason_makes_the_application_not_eligible(
    application, questions, staff, member, organisation, sign_in_as, db_session
):
    reason = "You told us the organisation is based in Kent."
    response = _screen(sign_in_as(staff), application, questions, [NO, YES, None],
                       reason=reason)

    assert response.status_code == 302
    assert response.headers["Location"] == f"/staff/applications/{application.id}"
    db_session.refresh(application)
    assert application.status is ApplicationStatus.INELIGIBLE
    [decision] = _decisions(db_session, application)
    assert (decision.outcome, decision.reason, decision.is_reversal, decision.decided_by_id) == (
        ScreeningOutcome.INELIGIBLE, reason, False, staff.id)
    answers = screening.answers_for(db_session, application.id)
    assert {qid: row.answer for qid, row in answers.items()} == {
        questions[0].id: NO, questions[1].id: YES}
    assert answers[questions[0].id].note == "checked 1"
    assert screening.ineligible_reason(db_session, application) == reason


def test_being_found_not_eligible_emails_the_contact_and_the_member_who_sent_it_the_reason(
    application, questions, staff, member, organisation, sign_in_as, db_session
):
    reason = "You told us the organisation is based in Kent."
    _screen(sign_in_as(staff), application, questions, [NO, YES, YES], reason=reason)

    [decision] = _decisions(db_session, application)
    emails = _emails(db_session, "screening-ineligible:")
    assert sorted(email.to_address for email in emails) == [
        "contact@reading.example.org", "jo@reading.example.org"]
    assert {email.idempotency_key.split(":")[1] for email in emails} == {str(decision.id)}
    assert emails[0].subject == f"Application {application.reference}: not eligible"
    assert reason in emails[0].body_text
    assert "http://127.0.0.1:5000/dashboard" in emails[0].body_text


def test_a_no_to_an_optional_question_does_not_make_the_application_not_eligible(
    application, questions, staff, sign_in_as, db_session
):
    response = _screen(sign_in_as(staff), application, questions, [YES, NA, NO])

    assert response.status_code == 302
    db_session.refresh(application)
    assert application.status is ApplicationStatus.ELIGIBLE
    [decision] = _decisions(db_session, application)
    assert decision.outcome is ScreeningOutcome.ELIGIBLE and decision.reason == ""
    assert _emails(db_session, "screening-") == []
    assert screening.ineligible_reason(db_session, application) is None


def test_an_application_is_eligible_only_once_every_mandatory_question_is_answered(
    application, questions, staff, sign_in_as, db_session
):
    response = _screen(sign_in_as(staff), application, questions, [YES, None, None])
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "Select yes, no or not applicable" in page
    assert f'href="#answer_{questions[1].id}"' in page
    assert f'href="#answer_{questions[2].id}"' not in page
    db_session.refresh(application)
    assert application.status is ApplicationStatus.SUBMITTED


def test_an_answer_not_among_the_choices_hides_no_other_unanswered_question(
    application, questions, staff, sign_in_as, db_session
):
    data = {"reason": "", "action": "decide", f"answer_{questions[0].id}": "maybe"}
    page = post_form(sign_in_as(staff), _screening_path(application), data).get_data(
        as_text=True)

    assert f'href="#answer_{questions[0].id}"' in page  # the answer that is not a choice
    assert f'href="#answer_{questions[1].id}"' in page  # and the mandatory one left out
    assert f'href="#answer_{questions[2].id}"' not in page  # the optional one
    db_session.refresh(application)
    assert application.status is ApplicationStatus.SUBMITTED


def test_staff_can_save_answers_without_deciding_and_change_them_later(
    application, questions, staff, sign_in_as, db_session
):
    client = sign_in_as(staff)
    first = _screen(client, application, questions, [YES, None, None], action="save")
    second = _screen(client, application, questions, [NO, None, None], action="save")

    assert first.status_code == second.status_code == 302
    db_session.refresh(application)
    assert application.status is ApplicationStatus.SUBMITTED
    rows = db_session.scalars(select(EligibilityAnswer)).all()
    assert [(row.question_id, row.answer) for row in rows] == [(questions[0].id, NO)]
    assert _decisions(db_session, application) == []
    assert len(_events(db_session, application, "application.screening_answers_saved")) == 2


def test_the_screening_page_suggests_a_reason_from_saved_answers_that_fail(
    application, questions, staff, sign_in_as
):
    answer(application, questions[1], NO, staff)

    page = sign_in_as(staff).get(_screening_path(application)).get_data(as_text=True)

    assert ("Your application does not meet this eligibility requirement of the round: "
            f"{questions[1].text}</textarea>") in page
    assert f'name="answer_{questions[1].id}" type="radio" value="no" checked' in page


def test_a_round_without_questions_lets_staff_mark_an_application_eligible(
    round_, staff, sign_in_as, db_session
):
    application = sent(round_)

    response = post_form(sign_in_as(staff), _screening_path(application),
                         {"reason": "", "action": "decide"})

    assert response.status_code == 302
    db_session.refresh(application)
    assert application.status is ApplicationStatus.ELIGIBLE


def test_every_screening_writes_an_audit_event(application, questions, staff, sign_in_as,
                                               db_session):
    _screen(sign_in_as(staff), application, questions, [NO, YES, YES], reason="Kent.")

    [event] = _events(db_session, application, "application.screened")
    decision = _decisions(db_session, application)[0]
    assert event.actor_id == staff.id
    assert event.before == {"status": "submitted"}
    assert event.after == {"status": "ineligible", "decision_id": decision.id,
                           "outcome": "ineligible", "reason": "Kent.",
                           "failed_questions": [questions[0].id]}


def test_an_application_already_screened_is_not_screened_again(
    application, questions, staff, sign_in_as, db_session
):
    client = sign_in_as(staff)
    _screen(client, application, questions, [YES, YES, YES])

    response = client.get(_screening_path(application))

    assert response.status_code == 302
    assert response.headers["Location"] == f"/staff/applications/{application.id}"
    with pytest.raises(screening.ScreeningRefused, match="already been screened"):
        screening.screen_application(db_session, staff, application, {}, reason="x")


@pytest.mark.parametrize("status", [ApplicationStatus.WITHDRAWN, ApplicationStatus.DRAFT])
def test_withdrawn_and_draft_applications_cannot_be_screened(round_, staff, db_session,
                                                             status):
    application = sent(round_, status=status)

    with pytest.raises(screening.ScreeningRefused, match="cannot be screened"):
        screening.screen_application(db_session, staff, application, {})


# --- Reversing ----------------------------------------------------------------------------

def _reverse_path(application) -> str:
    return f"/staff/applications/{application.id}/screening/reverse"


def _make_ineligible(client, application, questions, reason="Based in Kent."):
    response = _screen(client, application, questions, [NO, YES, YES], reason=reason)
    assert response.status_code == 302


def test_staff_reverse_a_not_eligible_decision_with_a_reason(
    application, questions, staff, sign_in_as, db_session
):
    client = sign_in_as(staff)
    _make_ineligible(client, application, questions)

    response = post_form(client, _reverse_path(application),
                         {"reason": "The head office moved to Reading in 2025."})

    assert response.status_code == 302
    db_session.refresh(application)
    assert application.status is ApplicationStatus.ELIGIBLE
    first, second = _decisions(db_session, application)
    assert (second.outcome, second.is_reversal, second.reason) == (
        ScreeningOutcome.ELIGIBLE, True, "The head office moved to Reading in 2025.")
    [event] = _events(db_session, application, "application.screening_reversed")
    assert event.note == "The head office moved to Reading in 2025."
    assert event.before == {"status": "ineligible"}
    assert screening.ineligible_reason(db_session, application) is None
    [email] = [e for e in _emails(db_session, "screening-eligible-again:")
               if e.to_address == "contact@reading.example.org"]
    assert "being assessed again" in email.subject


def test_a_reversal_needs_a_reason(application, questions, staff, sign_in_as, db_session):
    client = sign_in_as(staff)
    _make_ineligible(client, application, questions)

    response = post_form(client, _reverse_path(application), {"reason": "  "})

    assert response.status_code == 200
    assert "Enter why you are reversing the decision" in response.get_data(as_text=True)
    db_session.refresh(application)
    assert application.status is ApplicationStatus.INELIGIBLE


def test_making_an_eligible_application_not_eligible_needs_the_reason_for_the_applicant(
    application, questions, staff, sign_in_as, db_session
):
    client = sign_in_as(staff)
    _screen(client, application, questions, [YES, YES, YES])

    refused = post_form(client, _reverse_path(application), {"reason": "Misread the policy"})
    accepted = post_form(client, _reverse_path(application), {
        "reason": "Misread the policy",
        "applicant_reason": "Your safeguarding policy is out of date."})

    assert refused.status_code == 200
    assert "Enter why the application is not eligible" in refused.get_data(as_text=True)
    assert accepted.status_code == 302
    db_session.refresh(application)
    assert application.status is ApplicationStatus.INELIGIBLE
    latest = _decisions(db_session, application)[-1]
    assert (latest.outcome, latest.is_reversal, latest.reason) == (
        ScreeningOutcome.INELIGIBLE, True, "Your safeguarding policy is out of date.")
    assert screening.ineligible_reason(db_session, application) == (
        "Your safeguarding policy is out of date.")
    assert _events(db_session, application, "application.screening_reversed")[0].note == (
        "Misread the policy")
    assert len(_emails(db_session, f"screening-ineligible:{latest.id}")) == 2


def test_both_missing_reasons_are_shown_at_once(application, questions, staff, sign_in_as):
    client = sign_in_as(staff)
    _screen(client, application, questions, [YES, YES, YES])

    page = post_form(client, _reverse_path(application), {}).get_data(as_text=True)

    assert "<title>Error: Reverse the screening decision" in page
    assert 'href="#reason"' in page and 'href="#applicant_reason"' in page


def test_an_application_in_review_cannot_be_made_not_eligible_while_it_has_reviewers(
    round_, staff, user_factory, db_session, sign_in_as
):
    application = sent(round_, status=ApplicationStatus.IN_REVIEW)
    reviewer = user_factory(roles=[Role.REVIEWER])
    assignment = ReviewAssignment(application_id=application.id, reviewer_id=reviewer.id,
                                  assigned_by_id=staff.id)
    db_session.add(assignment)
    db_session.commit()
    client = sign_in_as(staff)

    page = client.get(_reverse_path(application)).get_data(as_text=True)
    with pytest.raises(screening.ScreeningRefused, match="Remove its reviewers"):
        screening_reversal.reverse_screening(db_session, staff, application, reason="x",
                                             applicant_reason="y")
    db_session.rollback()

    assert "Remove its reviewers before you make it not eligible" in page
    assert "Reverse decision" not in page
    assignment.removed_at = NOW - timedelta(hours=1)
    db_session.commit()
    decision = screening_reversal.reverse_screening(db_session, staff, application, reason="x",
                                                    applicant_reason="Not in Thames Valley.")
    assert decision.outcome is ScreeningOutcome.INELIGIBLE
    assert application.status is ApplicationStatus.INELIGIBLE


def test_an_application_waiting_to_be_screened_has_nothing_to_reverse(
    application, staff, sign_in_as
):
    response = sign_in_as(staff).get(_reverse_path(application))

    assert response.status_code == 302
    assert response.headers["Location"] == f"/staff/applications/{application.id}"


# --- Marking many eligible at once --------------------------------------------------------

def test_mark_selected_as_eligible_marks_those_that_pass_and_lists_the_rest_with_reasons(
    round_, questions, staff, sign_in_as, db_session
):
    passing = sent(round_)
    for question, value in zip(questions, [YES, NA, None], strict=True):
        if value:
            answer(passing, question, value, staff)
    failing = sent(round_)
    for question in questions:
        answer(failing, question, NO if question.position == 2 else YES, staff)
    unanswered = sent(round_)
    answer(unanswered, questions[0], YES, staff)
    withdrawn = sent(round_, status=ApplicationStatus.WITHDRAWN)
    optional_no = sent(round_)
    for question in questions:
        answer(optional_no, question, NO if not question.mandatory else YES, staff)
    other_round = sent(closed_round(code="PPAF-2026-3", title="PPAF 2026/27 Round 3"))
    client = sign_in_as(staff)
    list_path = f"/staff/rounds/{round_.id}/applications"

    response = client.post(f"/staff/rounds/{round_.id}/applications/mark-eligible", data={
        "csrf_token": csrf_token_for(client, list_path),
        "application_id": [str(a.id) for a in (passing, failing, unanswered, withdrawn,
                                               optional_no, other_round)],
        "status": "submitted",
    })

    assert response.status_code == 302
    assert response.headers["Location"] == f"{list_path}?status=submitted"
    for item, status in [(passing, ApplicationStatus.ELIGIBLE),
                         (failing, ApplicationStatus.SUBMITTED),
                         (unanswered, ApplicationStatus.SUBMITTED),
                         (withdrawn, ApplicationStatus.WITHDRAWN),
                         (optional_no, ApplicationStatus.ELIGIBLE),
                         (other_round, ApplicationStatus.SUBMITTED)]:
        db_session.refresh(item)
        assert item.status is status, item.reference
    assert len(_events(db_session, passing, "application.screened")) == 1
    text = words(client.get(response.headers["Location"]).get_data(as_text=True))
    assert (f"2 applications marked as eligible: {passing.reference}, "
            f"{optional_no.reference}") in text
    assert (f"{failing.reference} was not marked as eligible: a mandatory eligibility "
            "question is answered no.") in text
    assert (f"{unanswered.reference} was not marked as eligible: not every mandatory "
            "eligibility question has been answered.") in text
    assert (f"{withdrawn.reference} was not marked as eligible: it is withdrawn, not "
            "waiting to be screened.") in text
    assert other_round.reference not in text


def test_mark_selected_as_eligible_with_nothing_selected_says_so(round_, staff, sign_in_as):
    client = sign_in_as(staff)
    path = f"/staff/rounds/{round_.id}/applications"

    response = post_form(client, f"{path}/mark-eligible", {}, form_page=path,
                         follow_redirects=True)

    assert "Select the applications to mark as eligible." in response.get_data(as_text=True)


# --- The reason, as the applicant sees it -------------------------------------------------

def test_the_applicant_sees_the_reason_on_their_questions_page(
    application, questions, staff, member, sign_in_as, new_client
):
    _make_ineligible(sign_in_as(staff), application, questions,
                     reason="You told us the organisation is based in Kent.")

    page = sign_in_as(member, on=new_client()).get(
        f"/applications/{application.id}/questions").get_data(as_text=True)
    text = words(page)

    assert "Why your application is not eligible" in text
    assert "You told us the organisation is based in Kent." in text
    assert "Not eligible" in text


def test_ineligible_reason_is_the_latest_decisions_reason(application, staff, db_session):
    assert screening.ineligible_reason(db_session, application) is None
    for outcome, reason in [(ScreeningOutcome.INELIGIBLE, "First reason"),
                            (ScreeningOutcome.ELIGIBLE, "Reversed"),
                            (ScreeningOutcome.INELIGIBLE, "Second reason")]:
        db_session.add(ScreeningDecision(application_id=application.id, outcome=outcome,
                                         reason=reason, decided_by_id=staff.id))
    application.status = ApplicationStatus.INELIGIBLE
    db_session.flush()

    assert screening.ineligible_reason(db_session, application) == "Second reason"


# --- The staff view of an application -----------------------------------------------------

def test_the_staff_page_shows_the_answers_documents_screening_and_history(
    application, questions, staff, member, sign_in_as, db_session
):
    application.summary = "Volunteers meet people sleeping rough."
    db_session.add(Document(application_id=application.id,
                            kind=DocumentKind.SAFEGUARDING_POLICY,
                            original_filename="policy.pdf", storage_key="k-1",
                            content_type="application/pdf", size_bytes=10, sha256="0" * 64))
    db_session.commit()
    client = sign_in_as(staff)
    _make_ineligible(client, application, questions, reason="Based in Kent.")

    page = client.get(f"/staff/applications/{application.id}").get_data(as_text=True)
    text = words(page)

    assert f"{application.reference}: Night shelter outreach" in text
    assert "Volunteers meet people sleeping rough." in text
    assert (f'href="/applications/{application.id}/documents/'
            f'{application.documents[0].id}"') in page
    assert "Decision Not eligible" in text and "Based in Kent." in text
    assert f"{questions[0].text} Mandatory No checked 1" in text
    history = re.findall(r"<td class=\"govuk-table__cell\">(Sam Staff|Jo Member)</td>\s*"
                         r"<td class=\"govuk-table__cell\">([^<]+)", page)
    assert history == [("Sam Staff", "Screened"), ("Jo Member", "Application sent")]
    assert f'href="/staff/applications/{application.id}/screening/reverse"' in page


def test_the_staff_page_of_an_application_waiting_to_be_screened_links_to_screening(
    application, staff, sign_in_as
):
    page = sign_in_as(staff).get(f"/staff/applications/{application.id}").get_data(
        as_text=True)

    assert "This application has not been screened yet." in page
    assert f'href="{_screening_path(application)}"' in page


def test_the_staff_page_reads_the_history_in_one_query(application, staff, db_session):
    for action in ["application.screened", "application.note_added"]:
        db_session.add(AuditEvent(actor_id=staff.id, action=action,
                                  entity_type="application", entity_id=application.id))
    db_session.commit()

    history = histories.application_history(db_session, application.id)

    assert [(event.action, name) for event, name in history] == [
        ("application.note_added", "Sam Staff"), ("application.screened", "Sam Staff"),
        ("application.submitted", "Jo Member")]


# --- Who may screen -----------------------------------------------------------------------

STAFF_PAGES = ["/staff/applications/{id}", "/staff/applications/{id}/screening",
               "/staff/applications/{id}/screening/reverse"]


@pytest.mark.parametrize("role", NOT_STAFF)
@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_application_pages_refuse_everyone_but_staff(path, role, application,
                                                          sign_in_as):
    client = sign_in_as(make_user(role))

    assert client.get(path.format(id=application.id)).status_code == 403


def test_the_applicant_cannot_see_the_staff_page_of_their_own_application(
    application, member, sign_in_as
):
    assert sign_in_as(member).get(f"/staff/applications/{application.id}").status_code == 403


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_anonymous_people_are_sent_to_sign_in_from_staff_application_pages(
    path, application, client
):
    response = client.get(path.format(id=application.id))

    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("role", NOT_STAFF)
def test_only_staff_can_mark_applications_eligible_in_bulk(role, application, round_,
                                                           sign_in_as, db_session):
    client = sign_in_as(make_user(role))
    token = csrf_token_for(client, "/account")

    response = client.post(f"/staff/rounds/{round_.id}/applications/mark-eligible",
                           data={"csrf_token": token, "application_id": str(application.id)})

    assert response.status_code == 403
    db_session.refresh(application)
    assert application.status is ApplicationStatus.SUBMITTED


def test_a_draft_has_no_staff_page(round_, application_factory, staff, sign_in_as):
    draft = application_factory(round=round_)

    assert sign_in_as(staff).get(f"/staff/applications/{draft.id}").status_code == 404


# --- Words that speak about the applicant --------------------------------------------------

@pytest.mark.parametrize("path", ["/staff/applications/{id}", "/applications/{id}/view"])
def test_staff_read_an_application_about_the_applicant_not_to_them(path, application, staff,
                                                                   sign_in_as):
    page = sign_in_as(staff).get(path.format(id=application.id)).get_data(as_text=True)

    assert ">The organisation</h2>" in page and ">The project</h2>" in page
    assert "Your organisation" not in page and "Your project" not in page


def test_the_applicant_reads_their_application_as_theirs(application, member, sign_in_as):
    page = sign_in_as(member).get(f"/applications/{application.id}/view").get_data(
        as_text=True)

    assert ">Your organisation</h2>" in page and ">Your project</h2>" in page
