"""The bugs the hostile-input tests found, each kept as a test of its own."""

import io

import pytest
from sqlalchemy import func, select

from grants.assessment.models import InternalNote
from grants.organisations.models import Organisation
from tests.fixtures.auth import csrf_token_for, post_form, sign_in


def test_a_nul_in_the_email_on_sign_in_is_answered_as_a_wrong_email_not_an_error(client):
    # PostgreSQL fails on a query holding a NUL: this was a 500 there.
    response = sign_in(client, "someone\x00@example.org")

    assert response.status_code == 200
    assert "govuk-error-summary" in response.get_data(as_text=True)


def test_a_file_sent_where_a_form_takes_text_is_refused_with_the_400_page(
    client, sign_in_as, user_factory, db_session
):
    # Flask-WTF hands files to the form with the text: the name's `.strip()` was a 500.
    sign_in_as(user_factory())
    before = db_session.scalar(select(func.count(Organisation.id)))
    token = csrf_token_for(client, "/organisations/new")

    response = client.post("/organisations/new", data={
        "csrf_token": token, "name": (io.BytesIO(b"<script>"), "name.html")})

    assert response.status_code == 400
    assert "Sorry, there is a problem with your request" in response.get_data(as_text=True)
    assert db_session.scalar(select(func.count(Organisation.id))) == before


def test_an_expected_file_still_reaches_its_form(client, sign_in_as, user_factory):
    sign_in_as(user_factory())
    token = csrf_token_for(client, "/organisations/new")

    response = client.post("/organisations/new", data={
        "csrf_token": token, "document_file": (io.BytesIO(b"x"), "policy.pdf")})

    assert response.status_code == 200
    assert "govuk-error-summary" in response.get_data(as_text=True)


def test_a_nul_typed_in_a_staff_note_is_dropped_not_a_server_error(world, people, db_session):
    # PostgreSQL cannot store a NUL in text: reasons, comments and notes were 500s there.
    application_id = world.arguments["application_id"][1]
    client = people.client("staff")
    path = f"/staff/applications/{application_id}/notes"

    response = post_form(client, path, {"body": "Called\x00 the chair"},
                         form_page=f"/staff/applications/{application_id}")

    assert response.status_code == 302
    assert db_session.scalars(select(InternalNote.body).where(
        InternalNote.application_id == application_id)).all() == ["Called the chair"]


def test_a_reviewer_id_too_big_for_the_database_is_answered_as_no_reviewer(world, people):
    # It reached the database: OverflowError on SQLite, "integer out of range" on PostgreSQL.
    application_id = world.endpoint_arguments["assessment.assign_reviewer"]["application_id"][0]
    client = people.client("staff")

    response = post_form(client, f"/staff/applications/{application_id}/reviewers/assign",
                         {"reviewer_id": "99999999999999999999"},
                         form_page=f"/staff/applications/{application_id}")

    assert response.status_code == 200
    assert "Select a reviewer" in response.get_data(as_text=True)


@pytest.mark.parametrize("value", ["²", "١٢٣٤٥٦٧٨٩٠١٢"])
def test_a_digit_that_is_not_ascii_in_an_id_is_ignored_not_a_server_error(world, people, value):
    # "²".isdigit() is true but int("²") fails: these were 500s.
    round_id = world.arguments["round_id"][0]
    client = people.client("staff")

    response = post_form(client, f"/staff/rounds/{round_id}/applications/mark-eligible",
                         {"application_id": value},
                         form_page=f"/staff/rounds/{round_id}/applications")

    assert response.status_code == 302
