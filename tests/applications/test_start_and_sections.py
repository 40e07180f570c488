"""Starting an application, and saving its sections so that nothing typed is ever lost."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from grants.applications.models import Application, ApplicationSection, SectionStatus
from grants.core import clock
from grants.organisations.models import OrganisationType
from tests.applications.conftest import NOW
from tests.fixtures.auth import csrf_token_for, post_form

PROJECT = {
    "title": "Night shelter outreach",
    "summary": "Volunteers meet people sleeping rough and link them to support.",
    "description": "We will run outreach three nights a week.",
    "planned_start": ["1", "1", "2027"],
    "planned_end": ["31", "12", "2027"],
}


def project_page(application):
    return f"/applications/{application.id}/sections/project"


def save_project(client, application, data, action="continue", version=None):
    path = project_page(application)
    page = client.get(path).get_data(as_text=True)
    token = csrf_token_for(client, path)
    if version is None:
        version = re.search(r'<input[^>]*name="version"[^>]*value="(\d+)"', page).group(1)
    return client.post(path, data={**data, "csrf_token": token, "version": version,
                                   "action": action})


def test_a_member_starts_an_application_and_a_second_start_opens_the_first(
    open_round, organisation, member, sign_in_as, db_session
):
    client = sign_in_as(member)
    path = f"/rounds/{open_round.code}/apply"

    first = post_form(client, path, {"organisation_id": str(organisation.id)})
    second = post_form(client, path, {"organisation_id": str(organisation.id)})

    applications = db_session.scalars(select(Application)).all()
    assert len(applications) == 1
    assert first.headers["Location"] == second.headers["Location"] == (
        f"/applications/{applications[0].id}")
    assert "already started an application" in client.get(
        second.headers["Location"]).get_data(as_text=True)


def test_the_round_page_says_why_an_organisation_cannot_apply_before_anything_is_typed(
    open_round, organisation, member, sign_in_as
):
    organisation.organisation_type = OrganisationType.SCHOOL
    client = sign_in_as(member)

    page = client.get(f"/rounds/{open_round.code}/apply").get_data(as_text=True)

    assert "Reading Street Support is a school" in page
    assert "This round is open to: registered charity, constituted community group" in page
    response = post_form(client, f"/rounds/{open_round.code}/apply",
                         {"organisation_id": str(organisation.id)})
    assert response.status_code == 200


def test_nobody_can_start_an_application_once_the_round_has_closed(
    open_round, organisation, member, sign_in_as, monkeypatch, db_session
):
    open_round.closes_at = NOW + timedelta(minutes=5)
    client = sign_in_as(member)
    token = csrf_token_for(client, f"/rounds/{open_round.code}/apply")
    monkeypatch.setattr(clock, "utcnow", lambda: open_round.closes_at)

    response = client.post(f"/rounds/{open_round.code}/apply",
                           data={"organisation_id": str(organisation.id), "csrf_token": token})

    assert "This round closed at" in response.get_data(as_text=True)
    assert db_session.scalars(select(Application)).all() == []


def test_a_complete_section_is_saved_and_leads_to_the_next(draft, member, sign_in_as):
    client = sign_in_as(member)

    response = save_project(client, draft, PROJECT)

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/applications/{draft.id}/sections/priorities") \
        or response.headers["Location"].endswith(f"/applications/{draft.id}")
    assert draft.title == "Night shelter outreach"
    assert draft.planned_end.isoformat() == "2027-12-31"
    row = draft.sections[0]
    assert (row.key, row.status) == ("project", SectionStatus.COMPLETED)


def test_a_validation_error_keeps_everything_typed_and_saves_it_as_in_progress(
    draft, member, sign_in_as, new_client
):
    client = sign_in_as(member)
    long_summary = " ".join(["word"] * 101)

    response = save_project(client, draft, {**PROJECT, "summary": long_summary})

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error: Your project" in page
    assert "Summary must be 100 words or fewer" in page
    assert "Night shelter outreach" in page and long_summary in page
    assert draft.title == ""  # the checked answers are unchanged
    row = draft.sections[0]
    assert row.status is SectionStatus.IN_PROGRESS
    assert row.answers["summary"] == [long_summary]
    # Signed out and back in (another browser): what was typed is still there.
    again = sign_in_as(member, on=new_client()).get(project_page(draft)).get_data(as_text=True)
    assert long_summary in again


def test_save_and_come_back_later_saves_a_half_finished_section(draft, member, sign_in_as):
    client = sign_in_as(member)

    response = save_project(client, draft, {"title": "Half an idea"}, action="later")

    assert response.headers["Location"] == f"/applications/{draft.id}"
    assert draft.sections[0].status is SectionStatus.IN_PROGRESS
    assert "Half an idea" in client.get(project_page(draft)).get_data(as_text=True)


@pytest.mark.parametrize("start,end,message", [
    (["20", "12", "2026"], ["1", "6", "2027"], "must start on or after 21 December 2026"),
    (["1", "2", "2027"], ["31", "1", "2027"], "must end on or after the day it starts"),
    (["1", "2", "2027"], ["2", "2", "2028"], "within 12 months"),
    (["31", "2", "2027"], ["1", "6", "2027"], "Not a valid date"),
])
def test_project_dates_follow_the_rounds_rules(start, end, message, draft, member, sign_in_as,
                                               open_round):
    open_round.closes_at = NOW + timedelta(days=28)  # 21 December 2026
    client = sign_in_as(member)

    response = save_project(client, draft, {**PROJECT, "planned_start": start,
                                            "planned_end": end})

    assert message in response.get_data(as_text=True)
    assert draft.sections[0].status is SectionStatus.IN_PROGRESS


def test_a_save_on_a_stale_copy_is_refused_with_a_clear_message(draft, member, sign_in_as,
                                                                 db_session):
    client = sign_in_as(member)
    save_project(client, draft, PROJECT)  # version 0 -> 1

    response = save_project(client, draft, {**PROJECT, "title": "Overwritten?"}, version="0")

    page = response.get_data(as_text=True)
    assert "changed this section" in page and "have not been saved" in page
    assert "Overwritten?" in page
    assert draft.title == "Night shelter outreach"
    assert db_session.scalars(select(ApplicationSection)).one().version == 1


def test_another_organisation_cannot_see_or_edit_the_application(draft, user_factory,
                                                                  sign_in_as):
    client = sign_in_as(user_factory())

    assert client.get(f"/applications/{draft.id}").status_code == 404
    assert client.get(project_page(draft)).status_code == 404


def test_sections_cannot_be_saved_after_the_round_closes(draft, member, sign_in_as,
                                                         monkeypatch, open_round):
    open_round.closes_at = NOW + timedelta(minutes=5)
    client = sign_in_as(member)
    token = csrf_token_for(client, project_page(draft))
    monkeypatch.setattr(clock, "utcnow", lambda: open_round.closes_at + timedelta(seconds=1))

    response = client.post(project_page(draft), data={**PROJECT, "csrf_token": token,
                                                      "version": "0", "action": "continue"})

    assert response.status_code == 302
    assert "This round closed at" in client.get(response.headers["Location"]).get_data(
        as_text=True)
    assert draft.sections == []
