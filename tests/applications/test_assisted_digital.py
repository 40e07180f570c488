"""Assisted digital: staff start, fill in and send an application for an organisation whose
people cannot use the service, and the record says so."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from grants.accounts.models import Role
from grants.applications.models import Application, ApplicationStatus, SectionStatus
from grants.applications.operations.assisted_digital import ASSISTED_SUBMISSION_NOTE
from grants.funds.models import RoundOrganisationType
from grants.organisations.models import OrganisationType
from grants.records.models import AuditEvent, OutboxMessage
from tests.applications.completing import complete, submit
from tests.applications.conftest import NOW
from tests.fixtures.auth import csrf_token_for, post_form


@pytest.fixture
def staff(user_factory):
    return user_factory(roles=[Role.STAFF], name="Sam Officer")


def on_behalf_path(organisation):
    return f"/organisations/{organisation.id}/apply-on-behalf"


def _events(db_session, application, action):
    return db_session.scalars(select(AuditEvent).where(
        AuditEvent.entity_type == "application", AuditEvent.entity_id == application.id,
        AuditEvent.action == action)).all()


def _start(client, organisation, round_):
    return post_form(client, on_behalf_path(organisation), {"round_id": str(round_.id)})


def test_the_organisation_page_offers_staff_an_application_on_its_behalf(
    organisation, member, staff, sign_in_as, new_client
):
    link = f'href="{on_behalf_path(organisation)}"'
    staff_page = sign_in_as(staff).get(f"/organisations/{organisation.id}")
    member_page = sign_in_as(member, on=new_client()).get(f"/organisations/{organisation.id}")

    assert link in staff_page.get_data(as_text=True)
    assert link not in member_page.get_data(as_text=True)


def test_staff_choose_from_the_open_rounds_that_accept_the_organisation(
    organisation, open_round, round_factory, staff, sign_in_as
):
    closed = round_factory(code="PPAF-2026-1", title="Closed round",
                           opens_at=NOW - timedelta(days=60), closes_at=NOW - timedelta(days=1),
                           launched_at=NOW - timedelta(days=70))
    schools_only = round_factory(code="PPAF-2026-4", title="Schools round",
                                 opens_at=NOW - timedelta(days=1),
                                 closes_at=NOW + timedelta(days=10),
                                 launched_at=NOW - timedelta(days=2))
    schools_only.organisation_type_rows = [
        RoundOrganisationType(organisation_type=OrganisationType.SCHOOL)]
    closed.organisation_type_rows = [
        RoundOrganisationType(organisation_type=OrganisationType.COMMUNITY_GROUP)]

    page = sign_in_as(staff).get(on_behalf_path(organisation)).get_data(as_text=True)

    assert open_round.title in page
    assert "Closed round" not in page and "Schools round" not in page


def test_staff_start_an_application_for_an_organisation_recorded_as_assisted(
    organisation, open_round, staff, sign_in_as, db_session
):
    client = sign_in_as(staff)

    response = _start(client, organisation, open_round)

    application = db_session.scalars(select(Application)).one()
    assert response.headers["Location"] == f"/applications/{application.id}"
    assert application.organisation_id == organisation.id
    assert application.created_by_id == application.assisted_by_id == staff.id
    [event] = _events(db_session, application, "application.started")
    assert event.actor_id == staff.id and event.note.startswith("assisted digital")
    assert client.get(response.headers["Location"]).status_code == 200


def test_starting_on_an_organisations_behalf_again_opens_its_application(
    organisation, open_round, draft, staff, sign_in_as, db_session
):
    response = _start(sign_in_as(staff), organisation, open_round)

    assert response.headers["Location"] == f"/applications/{draft.id}"
    assert len(db_session.scalars(select(Application)).all()) == 1


def test_starting_on_behalf_needs_a_round_to_be_chosen(organisation, open_round, staff,
                                                       sign_in_as):
    response = post_form(sign_in_as(staff), on_behalf_path(organisation), {})

    assert response.status_code == 200
    assert "Select the round the application is for" in response.get_data(as_text=True)


def test_staff_fill_in_and_send_the_application_and_the_record_says_they_did(
    organisation, open_round, staff, sign_in_as, db_session
):
    client = sign_in_as(staff)
    _start(client, organisation, open_round)
    application = db_session.scalars(select(Application)).one()

    project_path = f"/applications/{application.id}/sections/project"
    page = client.get(project_path).get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)
    saved = client.post(project_path, data={
        "csrf_token": csrf_token_for(client, project_path), "version": version,
        "action": "continue", "title": "Night shelter outreach",
        "summary": "Volunteers meet people sleeping rough.",
        "description": "Outreach three nights a week.",
        "planned_start": ["1", "1", "2027"], "planned_end": ["31", "12", "2027"],
    })
    assert saved.status_code == 302
    db_session.refresh(application)
    project = next(row for row in application.sections if row.key == "project")
    assert project.status is SectionStatus.COMPLETED
    [completed] = _events(db_session, application, "application.section_completed")
    assert completed.note.startswith("assisted digital")

    complete(application, title="Night shelter outreach")
    assert "on behalf of" in client.get(f"/applications/{application.id}/check").get_data(
        as_text=True)
    response = submit(client, application)

    assert response.headers["Location"] == f"/applications/{application.id}/submitted"
    db_session.refresh(application)
    assert application.status is ApplicationStatus.SUBMITTED
    assert application.reference == "PPAF-2026-2-0001"
    [event] = _events(db_session, application, "application.submitted")
    assert event.actor_id == staff.id and event.note == ASSISTED_SUBMISSION_NOTE
    told = set(db_session.scalars(select(OutboxMessage.to_address).where(
        OutboxMessage.idempotency_key.like(f"application-submitted:{application.id}%"))))
    assert organisation.contact_email in told


@pytest.mark.parametrize("roles", [[Role.APPLICANT], [Role.REVIEWER]])
def test_only_staff_may_apply_on_an_organisations_behalf(organisation, open_round, member,
                                                         user_factory, sign_in_as, roles):
    person = member if roles == [Role.APPLICANT] else user_factory(roles=roles)
    client = sign_in_as(person)

    assert client.get(on_behalf_path(organisation)).status_code == 403
    token = csrf_token_for(client, "/account")
    assert client.post(on_behalf_path(organisation), data={
        "csrf_token": token, "round_id": str(open_round.id)}).status_code == 403


def test_someone_signed_out_is_asked_to_sign_in_first(organisation, client):
    response = client.get(on_behalf_path(organisation))
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_an_unknown_organisation_is_not_found(staff, sign_in_as):
    assert sign_in_as(staff).get("/organisations/999999/apply-on-behalf").status_code == 404


def test_a_members_own_submission_is_not_marked_assisted(draft, member, sign_in_as,
                                                         db_session):
    complete(draft)
    submit(sign_in_as(member), draft)
    [event] = _events(db_session, draft, "application.submitted")
    assert event.note == ""
    db_session.refresh(draft)
    assert draft.assisted_by_id is None
