"""The "Declaration" section: every statement confirmed, by a named person."""

import pytest

from grants.applications.models import SectionStatus
from tests.applications.conftest import NOW
from tests.applications.section_pages import (
    checked,
    error_for,
    open_section,
    save_section,
    section_row,
    text_of,
    value_of,
)

ALL = ["true_and_complete", "spend_as_described", "safeguarding", "use_and_publish"]
DECLARATION = {"statements": ALL, "declared_by_name": "Jo Member",
               "declared_by_position": "Chair of trustees"}


def test_the_page_states_the_declaration_and_suggests_the_persons_name(draft, member,
                                                                       sign_in_as):
    client = sign_in_as(member)

    page = open_section(client, draft, "declarations")

    text = text_of(page)
    for statement in (
        "The information in this application is true and complete",
        "We will spend any grant only on the project described, within 12 months",
        "We have a safeguarding policy and will follow it",
        "We agree that the Office of the Police and Crime Commissioner may use this "
        "information to decide on the application and, if we get a grant, may publish the "
        "details of the grant for anyone to see and use (open data)",
    ):
        assert statement in text
    assert value_of(page, "declared_by_name") == "Jo Member"
    assert checked(page, "statements") == set()


def test_a_complete_declaration_is_recorded_with_its_time(draft, member, sign_in_as):
    client = sign_in_as(member)

    response = save_section(client, draft, "declarations", {
        **DECLARATION, "declared_by_name": "Josephine Member"})

    assert response.status_code == 302
    assert response.headers["Location"] == f"/applications/{draft.id}"
    assert (draft.declared_by_name, draft.declared_by_position) == (
        "Josephine Member", "Chair of trustees")
    assert draft.declared_at == NOW
    assert section_row(draft, "declarations").status is SectionStatus.COMPLETED


def test_every_statement_must_be_ticked_and_the_ticks_are_kept(draft, member, sign_in_as):
    client = sign_in_as(member)

    response = save_section(client, draft, "declarations", {**DECLARATION,
                                                            "statements": ALL[:3]})

    page = response.get_data(as_text=True)
    assert error_for(page, "statements") == "Tick every statement to make the declaration"
    assert checked(page, "statements") == set(ALL[:3])
    assert draft.declared_at is None
    assert section_row(draft, "declarations").status is SectionStatus.IN_PROGRESS


def test_a_statement_that_is_not_shown_is_refused(draft, member, sign_in_as):
    client = sign_in_as(member)

    response = save_section(client, draft, "declarations", {
        **DECLARATION, "statements": [*ALL, "something_else"]})

    assert response.status_code == 200
    assert error_for(response.get_data(as_text=True), "statements") == (
        "Tick only the statements shown")
    assert draft.declared_at is None


@pytest.mark.parametrize("field,message", [
    ("declared_by_name", "Enter your full name"),
    ("declared_by_position", "Enter your position in the organisation"),
])
def test_the_name_and_position_are_required(field, message, draft, member, sign_in_as):
    client = sign_in_as(member)

    response = save_section(client, draft, "declarations", {**DECLARATION, field: " "})

    assert error_for(response.get_data(as_text=True), field) == message
    assert draft.declared_at is None


def test_a_made_declaration_is_shown_on_a_first_visit(draft, member, sign_in_as):
    draft.declared_by_name = "Sam Trustee"
    draft.declared_by_position = "Treasurer"
    draft.declared_at = NOW
    client = sign_in_as(member)

    page = open_section(client, draft, "declarations")

    assert value_of(page, "declared_by_name") == "Sam Trustee"
    assert value_of(page, "declared_by_position") == "Treasurer"
    assert checked(page, "statements") == set(ALL)
