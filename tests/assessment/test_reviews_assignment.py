"""Assigning reviewers, one at a time and in bulk, each reviewer's load, and removing them."""

import pytest
from flask_login import login_user
from sqlalchemy import select

from grants.accounts.models import Role
from grants.applications.models import ApplicationStatus
from grants.assessment.models import ConflictStatus, ReviewAssignment
from grants.assessment.operations import assignment as assigning
from grants.assessment.operations import bulk_assignment, declarations, review_queries
from grants.assessment.views.panel import review_panel_data
from grants.core.errors import Refusal, ValidationFailed
from grants.extensions import db
from grants.organisations.models import MembershipStatus
from grants.records.models import AuditEvent
from tests.assessment.reviewing import (  # noqa: F401  (fixtures)
    assign,
    declared,
    fixed_clock_fixture,
    make_application_fixture,
    reviewer_users_fixture,
    scoring_round_fixture,
    staff_fixture,
    submitted,
)
from tests.fixtures.auth import post_form


def events(application_id: int, action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.entity_type == "application", AuditEvent.entity_id == application_id,
        AuditEvent.action == action)))


def standing(application) -> list[str]:
    return sorted(a.reviewer.name for a in db.session.scalars(select(ReviewAssignment).where(
        ReviewAssignment.application_id == application.id,
        ReviewAssignment.removed_at.is_(None))))


# --- One at a time ------------------------------------------------------------------------

def test_assigning_the_first_reviewer_moves_an_eligible_application_into_review(
        staff, reviewer_users, make_application):
    application = make_application(1)
    assignment = assign(staff, application, reviewer_users[0])
    assert assignment.conflict is ConflictStatus.UNDECLARED
    assert assignment.assigned_by_id == staff.id
    assert application.status is ApplicationStatus.IN_REVIEW
    assert len(events(application.id, "review.assigned")) == 1
    [moved] = events(application.id, "application.in_review")
    assert moved.before == {"status": "eligible"} and moved.after == {"status": "in_review"}
    assign(staff, application, reviewer_users[1])
    assert len(events(application.id, "application.in_review")) == 1


@pytest.mark.parametrize("status", [ApplicationStatus.SUBMITTED, ApplicationStatus.INELIGIBLE,
                                    ApplicationStatus.WITHDRAWN, ApplicationStatus.DRAFT])
def test_only_eligible_or_in_review_applications_can_have_reviewers(
        staff, reviewer_users, make_application, status):
    application = make_application(1, status=status)
    with pytest.raises(Refusal, match="Only an eligible application"):
        assigning.assign_reviewer(db.session, staff, application, reviewer_users[0])


@pytest.mark.parametrize("membership", [MembershipStatus.ACTIVE, MembershipStatus.PENDING])
def test_a_member_of_the_applying_organisation_cannot_be_assigned(
        staff, reviewer_users, make_application, membership_factory, membership):
    application = make_application(1)
    membership_factory(user=reviewer_users[0], organisation=application.organisation,
                       status=membership)
    with pytest.raises(Refusal, match="is a member of") as refused:
        assigning.assign_reviewer(db.session, staff, application, reviewer_users[0])
    assert refused.value.field == "reviewer_id"
    assert application.status is ApplicationStatus.ELIGIBLE


def test_someone_without_the_reviewer_role_cannot_be_assigned(
        staff, make_application, user_factory):
    application = make_application(1)
    with pytest.raises(Refusal, match="is not a reviewer"):
        assigning.assign_reviewer(db.session, staff, application,
                                  user_factory(roles=[Role.APPLICANT]))


def test_a_reviewer_cannot_be_assigned_twice_or_again_after_declaring_a_conflict(
        staff, reviewer_users, make_application):
    application = make_application(1)
    assignment = assign(staff, application, reviewer_users[0])
    with pytest.raises(Refusal, match="already reviewing"):
        assigning.assign_reviewer(db.session, staff, application, reviewer_users[0])
    declarations.declare(db.session, reviewer_users[0], assignment, has_conflict=True,
                         note="I am a trustee")
    with pytest.raises(Refusal, match="declared a conflict"):
        assigning.assign_reviewer(db.session, staff, application, reviewer_users[0])


def test_a_reviewer_removed_by_staff_can_be_assigned_again_and_declares_afresh(
        staff, reviewer_users, make_application):
    application = make_application(1)
    assignment = declared(staff, application, reviewer_users[0])
    assigning.remove_assignment(db.session, staff, assignment, "Too busy this month")
    again = assign(staff, application, reviewer_users[0])
    assert again.id == assignment.id
    assert again.removed_at is None and again.removal_reason == ""
    assert again.conflict is ConflictStatus.UNDECLARED


# --- Removing -----------------------------------------------------------------------------

def test_removing_an_assignment_needs_a_reason_and_is_recorded(
        staff, reviewer_users, make_application):
    application = make_application(1)
    assignment = assign(staff, application, reviewer_users[0])
    with pytest.raises(ValidationFailed) as refused:
        assigning.remove_assignment(db.session, staff, assignment, "  ")
    assert "reason" in refused.value.errors
    assigning.remove_assignment(db.session, staff, assignment, "Away until March")
    assert assignment.removed_at is not None
    assert assignment.removal_reason == "Away until March"
    [event] = events(application.id, "review.assignment_removed")
    assert event.after["reason"] == "Away until March"
    assert standing(application) == []


# --- In bulk ------------------------------------------------------------------------------

def test_bulk_assignment_spreads_the_load_evenly_and_deterministically(
        staff, reviewer_users, make_application, scoring_round):
    applications = [make_application(n) for n in range(1, 6)]
    result = bulk_assignment.bulk_assign(db.session, staff, scoring_round, 2)
    assert result.made == 10 and result.shortfalls == []
    loads = {load.reviewer.name: load.active
             for load in review_queries.reviewer_loads(db.session, scoring_round.id)}
    assert loads == {"Alex Reviewer": 4, "Bea Reviewer": 3, "Cal Reviewer": 3}
    # Least loaded first, ties by name: the first application goes to Alex and Bea.
    assert standing(applications[0]) == ["Alex Reviewer", "Bea Reviewer"]
    assert standing(applications[1]) == ["Alex Reviewer", "Cal Reviewer"]
    assert all(a.status is ApplicationStatus.IN_REVIEW for a in applications)
    assert all(len(standing(a)) == 2 for a in applications)


def test_bulk_assignment_tops_up_and_leaves_complete_applications_alone(
        staff, reviewer_users, make_application, scoring_round):
    first = make_application(1)
    second = make_application(2)
    assign(staff, first, reviewer_users[0])
    assign(staff, first, reviewer_users[1])
    assign(staff, second, reviewer_users[2])
    result = bulk_assignment.bulk_assign(db.session, staff, scoring_round, 2)
    assert result.made == 1
    assert standing(first) == ["Alex Reviewer", "Cal Reviewer"]
    assert len(standing(second)) == 2
    again = bulk_assignment.bulk_assign(db.session, staff, scoring_round, 2)
    assert again.made == 0 and again.shortfalls == []


def test_bulk_assignment_never_chooses_members_or_reviewers_who_declared_a_conflict(
        staff, reviewer_users, make_application, scoring_round, membership_factory):
    alex, bea, cal = sorted(reviewer_users, key=lambda r: r.name)
    application = make_application(1)
    membership_factory(user=alex, organisation=application.organisation,
                       status=MembershipStatus.PENDING)
    assignment = assign(staff, application, bea)
    declarations.declare(db.session, bea, assignment, has_conflict=True, note="My sister runs it")
    result = bulk_assignment.bulk_assign(db.session, staff, scoring_round, 2)
    assert standing(application) == ["Cal Reviewer"]
    assert result.made == 1
    [shortfall] = result.shortfalls
    assert shortfall.given == 1 and shortfall.wanted == 2
    assert "1 reviewer is a member of the organisation" in shortfall.text
    assert "1 reviewer declared a conflict of interest" in shortfall.text


def test_bulk_assignment_skips_applications_that_are_not_eligible(
        staff, reviewer_users, make_application, scoring_round):
    waiting = make_application(1, status=ApplicationStatus.SUBMITTED)
    refused = make_application(2, status=ApplicationStatus.INELIGIBLE)
    result = bulk_assignment.bulk_assign(db.session, staff, scoring_round, 2)
    assert result.made == 0 and result.applications == 0
    assert standing(waiting) == [] and standing(refused) == []


def test_bulk_assignment_says_when_there_are_no_reviewers(staff, make_application,
                                                          scoring_round):
    make_application(1)
    result = bulk_assignment.bulk_assign(db.session, staff, scoring_round, 2)
    assert "no reviewers" in result.shortfalls[0].text


@pytest.mark.parametrize("number", [0, 11])
def test_bulk_assignment_refuses_a_number_out_of_range(staff, scoring_round, number):
    with pytest.raises(ValidationFailed):
        bulk_assignment.bulk_assign(db.session, staff, scoring_round, number)


def test_bulk_assignment_records_each_assignment_and_the_run(
        staff, reviewer_users, make_application, scoring_round):
    application = make_application(1)
    bulk_assignment.bulk_assign(db.session, staff, scoring_round, 2)
    assert len(events(application.id, "review.assigned")) == 2
    run = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "round.reviewers_bulk_assigned")).one()
    assert run.entity_id == scoring_round.id and run.after["made"] == 2


# --- The pages ----------------------------------------------------------------------------

def test_the_reviewers_page_shows_each_reviewers_load(
        staff, reviewer_users, make_application, scoring_round, sign_in_as):
    application = make_application(1)
    declared(staff, application, reviewer_users[0])
    page = sign_in_as(staff).get(f"/staff/rounds/{scoring_round.id}/reviewers")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Cal Reviewer" in html and "Alex Reviewer" in html
    assert application.reference in html


def test_staff_assign_in_bulk_from_the_reviewers_page(
        staff, reviewer_users, make_application, scoring_round, sign_in_as, membership_factory):
    applications = [make_application(n) for n in range(1, 4)]
    for reviewer in reviewer_users[:2]:
        membership_factory(user=reviewer, organisation=applications[2].organisation)
    client = sign_in_as(staff)
    path = f"/staff/rounds/{scoring_round.id}/reviewers"
    response = post_form(client, path, {"per_application": "2"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "5 assignments made" in html
    assert f"{applications[2].reference} ({applications[2].organisation.name}) has 1 of 2" in html
    assert "2 reviewers are members of the organisation" in html


def test_the_bulk_form_says_when_the_number_is_not_a_whole_number(
        staff, scoring_round, sign_in_as):
    client = sign_in_as(staff)
    response = post_form(client, f"/staff/rounds/{scoring_round.id}/reviewers",
                         {"per_application": "two"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error:" in html
    assert "Reviewers per application must be a whole number" in html


def test_the_bulk_form_refuses_a_number_of_only_spaces(staff, scoring_round, sign_in_as):
    client = sign_in_as(staff)
    response = post_form(client, f"/staff/rounds/{scoring_round.id}/reviewers",
                         {"per_application": "   "})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Reviewers per application must be a whole number from 1 to 10" in html


def test_staff_assign_one_reviewer_from_the_review_panel(
        staff, reviewer_users, make_application, sign_in_as):
    application = make_application(1)
    client = sign_in_as(staff)
    panel = f"/staff/applications/{application.id}/reviewers"
    response = post_form(client, f"{panel}/assign",
                         {"reviewer_id": str(reviewer_users[0].id), "next": panel},
                         form_page=panel)
    assert response.status_code == 302
    assert response.headers["Location"] == panel
    assert standing(application) == ["Cal Reviewer"]
    assert "Cal Reviewer" in client.get(panel).get_data(as_text=True)


def test_the_review_panel_refuses_a_member_of_the_organisation_with_a_message(
        staff, reviewer_users, make_application, sign_in_as, membership_factory):
    application = make_application(1)
    membership_factory(user=reviewer_users[0], organisation=application.organisation)
    client = sign_in_as(staff)
    panel = f"/staff/applications/{application.id}/reviewers"
    assert f'value="{reviewer_users[0].id}"' not in client.get(panel).get_data(as_text=True)
    response = post_form(client, f"{panel}/assign",
                         {"reviewer_id": str(reviewer_users[0].id)}, form_page=panel)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Cal Reviewer is a member of" in html
    assert standing(application) == []


def test_the_panel_never_redirects_to_another_site(
        staff, reviewer_users, make_application, sign_in_as):
    application = make_application(1)
    client = sign_in_as(staff)
    panel = f"/staff/applications/{application.id}/reviewers"
    response = post_form(client, f"{panel}/assign", {
        "reviewer_id": str(reviewer_users[0].id), "next": "//evil.example/"}, form_page=panel)
    assert response.headers["Location"] == panel


def test_staff_remove_a_reviewer_with_a_reason(
        staff, reviewer_users, make_application, sign_in_as):
    application = make_application(1)
    assignment = assign(staff, application, reviewer_users[0])
    client = sign_in_as(staff)
    path = f"/staff/assignments/{assignment.id}/remove"
    missing = post_form(client, path, {"reason": ""})
    assert "Enter why you are removing this reviewer" in missing.get_data(as_text=True)
    assert standing(application) == ["Cal Reviewer"]
    response = post_form(client, path, {"reason": "Off sick"})
    assert response.status_code == 302
    assert standing(application) == []


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.APPLICANT])
def test_staff_reviewer_pages_refuse_other_roles(
        role, user_factory, make_application, scoring_round, sign_in_as, staff, reviewer_users):
    application = make_application(1)
    assignment = assign(staff, application, reviewer_users[0])
    client = sign_in_as(user_factory(roles=[role]))
    for path in [f"/staff/rounds/{scoring_round.id}/reviewers",
                 f"/staff/rounds/{scoring_round.id}/ranking",
                 f"/staff/applications/{application.id}/reviewers",
                 f"/staff/applications/{application.id}/moderation",
                 f"/staff/assignments/{assignment.id}/remove"]:
        assert client.get(path).status_code == 403, path


def test_the_review_panel_runs_the_same_few_queries_however_many_reviewers(
        app, staff, reviewer_users, make_application, count_queries):
    application = make_application(1)
    counts = []
    for reviewer in reviewer_users:
        submitted(staff, application, reviewer, [3, 6])
        db.session.refresh(application)  # as the page including the panel has it
        with app.test_request_context():
            login_user(staff)
            with count_queries() as log:
                panel = review_panel_data(application)
            assert [row.score_text for row in panel.rows] == ["60.0"] * len(panel.rows)
            assert panel.may_assign
        counts.append(log.count)
    assert len(panel.rows) == 3
    assert counts[0] == counts[2] <= 6, str(log)


def test_the_staff_application_page_shows_the_review_panel(
        app, staff, reviewer_users, make_application, sign_in_as):
    application = make_application(1)
    submitted(staff, application, reviewer_users[0], [3, 6])
    client = sign_in_as(staff)
    path = f"/staff/applications/{application.id}"
    html = client.get(path).get_data(as_text=True)
    assert 'id="reviewers"' in html
    assert "Cal Reviewer" in html and "60.0%" in html
    assert f'value="{reviewer_users[1].id}"' in html  # Alex can be assigned
    response = post_form(client, f"{path}/reviewers/assign",
                         {"reviewer_id": str(reviewer_users[1].id), "next": path},
                         form_page=path)
    assert response.headers["Location"] == path


@pytest.mark.parametrize("next_url", ["/\t/evil.example", "//evil.example", "/\\evil.example",
                                      "https://evil.example/"])
def test_staff_pages_never_send_people_to_another_site(
        staff, reviewer_users, make_application, sign_in_as, next_url):
    application = make_application(1)
    client = sign_in_as(staff)
    path = f"/staff/applications/{application.id}"
    response = post_form(client, f"{path}/reviewers/assign",
                         {"reviewer_id": str(reviewer_users[1].id), "next": next_url},
                         form_page=path)
    assert response.headers["Location"] == f"/staff/applications/{application.id}/reviewers"
