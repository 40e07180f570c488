"""Declaring conflicts of interest: before anything of the application but the organisation's
name is shown; a conflict ends the assignment and tells staff."""

import pytest
from sqlalchemy import select

from grants.assessment.models import ConflictStatus
from grants.assessment.operations import declarations, review_queries, reviews
from grants.core.errors import NotFound, Refusal, ValidationFailed
from grants.extensions import db
from grants.records.models import AuditEvent, OutboxMessage
from tests.assessment.reviewing import (  # noqa: F401  (fixtures)
    answers_for,
    assign,
    fixed_clock_fixture,
    make_application_fixture,
    review_form_data,
    reviewer_users_fixture,
    scoring_round_fixture,
    staff_fixture,
)
from tests.fixtures.auth import post_form


def action_events(application, action):
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.entity_id == application.id, AuditEvent.action == action)))


@pytest.fixture
def application(make_application):
    return make_application(1, organisation=None)


@pytest.fixture
def assignment(staff, reviewer_users, application):
    return assign(staff, application, reviewer_users[0])


@pytest.fixture
def reviewer(reviewer_users):
    return reviewer_users[0]


def test_declaring_no_conflict_opens_the_application_to_the_reviewer(
        reviewer, assignment, application):
    declarations.declare(db.session, reviewer, assignment, has_conflict=False)
    assert assignment.conflict is ConflictStatus.NO_CONFLICT
    assert assignment.declared_at is not None and assignment.removed_at is None
    assert review_queries.next_step(assignment) == "score"
    assert len(action_events(application, "review.no_conflict_declared")) == 1


def test_declaring_a_conflict_removes_the_assignment_and_emails_the_staff_member(
        reviewer, assignment, application, staff):
    declarations.declare(db.session, reviewer, assignment, has_conflict=True,
                         note="I chair its trustees")
    assert assignment.conflict is ConflictStatus.CONFLICT
    assert assignment.conflict_note == "I chair its trustees"
    assert assignment.removed_at is not None
    assert assignment.removal_reason == ("declared a conflict of interest: I chair its "
                                         "trustees")
    [email] = db.session.scalars(select(OutboxMessage)).all()
    assert email.to_address == staff.email
    assert application.reference in email.subject
    assert "I chair its trustees" in email.body_text
    [event] = action_events(application, "review.conflict_declared")
    assert event.actor_id == reviewer.id and event.after["note"] == "I chair its trustees"


def test_a_conflict_needs_a_description(reviewer, assignment):
    with pytest.raises(ValidationFailed) as refused:
        declarations.declare(db.session, reviewer, assignment, has_conflict=True, note=" ")
    assert refused.value.errors == {"note": "Describe your conflict of interest"}
    assert assignment.conflict is ConflictStatus.UNDECLARED


def test_nobody_else_declares_for_the_reviewer(reviewer_users, assignment):
    with pytest.raises(NotFound):
        declarations.declare(db.session, reviewer_users[1], assignment, has_conflict=False)


def test_scores_cannot_be_saved_before_declaring(reviewer, assignment, scoring_round):
    with pytest.raises(Refusal, match="Declare whether"):
        reviews.save_review(db.session, reviewer, assignment,
                            answers_for(scoring_round, [3, 6]), submit=False)


# --- The pages ----------------------------------------------------------------------------

def test_the_declaration_page_shows_the_applications_reference_and_title_and_no_more(
        reviewer, assignment, application, sign_in_as):
    """Two bids from one organisation are told apart before declaring; what the bid says
    waits until then."""
    html = sign_in_as(reviewer).get(f"/reviews/{assignment.id}/declaration").get_data(
        as_text=True)
    for shown in (application.organisation.name, application.round.title,
                  application.reference, application.title):
        assert shown in html
    for secret in (application.summary, "£5,000"):
        assert secret not in html


def test_the_reviewers_list_shows_each_applications_reference_and_title_before_declaring(
        reviewer, assignment, application, sign_in_as):
    html = sign_in_as(reviewer).get("/reviews").get_data(as_text=True)
    assert application.organisation.name in html
    assert "Declare any conflict of interest" in html
    assert f"{application.reference}: {application.title}" in html


def test_a_reviewer_cannot_open_or_score_the_application_before_declaring(
        reviewer, assignment, scoring_round, sign_in_as):
    client = sign_in_as(reviewer)
    path = f"/reviews/{assignment.id}"
    opened = client.get(path)
    assert opened.status_code == 302
    assert opened.headers["Location"] == f"/reviews/{assignment.id}/declaration"
    scored = post_form(client, path, review_form_data(scoring_round, [3, 6]),
                       form_page=f"/reviews/{assignment.id}/declaration")
    assert scored.status_code == 302
    assert scored.headers["Location"] == f"/reviews/{assignment.id}/declaration"
    db.session.expire_all()
    assert assignment.review is None


def test_declaring_no_conflict_on_the_page_leads_to_the_scoring_page(
        reviewer, assignment, application, sign_in_as):
    client = sign_in_as(reviewer)
    response = post_form(client, f"/reviews/{assignment.id}/declaration", {"conflict": "no"})
    assert response.headers["Location"] == f"/reviews/{assignment.id}"
    page = client.get(f"/reviews/{assignment.id}").get_data(as_text=True)
    assert application.title in page and application.summary in page


def test_declaring_a_conflict_on_the_page_confirms_and_takes_access_away(
        reviewer, assignment, sign_in_as):
    client = sign_in_as(reviewer)
    path = f"/reviews/{assignment.id}/declaration"
    missing = post_form(client, path, {"conflict": "yes", "note": ""})
    assert missing.status_code == 200
    assert "Describe your conflict of interest" in missing.get_data(as_text=True)
    response = post_form(client, path, {"conflict": "yes", "note": "I volunteer there"})
    assert response.headers["Location"] == "/reviews"
    assert "You declared a conflict of interest" in client.get("/reviews").get_data(
        as_text=True)
    assert client.get(path).status_code == 404
    assert client.get(f"/reviews/{assignment.id}").status_code == 404


def test_the_declaration_page_asks_for_a_choice(reviewer, assignment, sign_in_as):
    response = post_form(sign_in_as(reviewer), f"/reviews/{assignment.id}/declaration", {})
    html = response.get_data(as_text=True)
    assert "<title>Error:" in html
    assert "Select whether you have a conflict of interest" in html
