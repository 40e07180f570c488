"""The "Your organisation" section: the details held, and the applicant's confirmation."""

from grants.applications.models import SectionStatus
from grants.organisations.models import CharityRegulator
from tests.applications.section_pages import (
    checked,
    error_for,
    open_section,
    save_section,
    section_row,
    text_of,
)
from tests.fixtures.auth import csrf_token_from


def test_the_page_shows_the_details_held_with_a_link_to_change_them(
    draft, organisation, member, sign_in_as, local_authority_factory, county_factory
):
    organisation.charity_regulator = CharityRegulator.CCEW
    organisation.charity_number = "1123456"
    organisation.company_number = "01234567"
    organisation.contact_phone = "0118 496 0000"
    organisation.local_authority = local_authority_factory(
        name="Reading", official_name="Reading Borough Council",
        county=county_factory(name="Berkshire"))
    client = sign_in_as(member)

    page = text_of(open_section(client, draft, "organisation"))

    for shown in ("Reading Street Support", "Constituted community group",
                  "1123456 (Charity Commission for England and Wales)", "01234567",
                  "1 High Street<br>Reading", "RG1 1AA", "Reading Borough Council", "A Contact",
                  "0118 496 0000"):
        assert shown in page
    assert f'href="/organisations/{organisation.id}/edit"' in page
    assert "Are these details correct?" in page


def test_yes_completes_the_section_and_leads_to_the_project(draft, member, sign_in_as):
    client = sign_in_as(member)

    response = save_section(client, draft, "organisation", {"details_correct": "yes"})

    assert response.status_code == 302
    assert response.headers["Location"] == f"/applications/{draft.id}/sections/project"
    assert section_row(draft, "organisation").status is SectionStatus.COMPLETED


def test_no_keeps_the_section_in_progress_and_asks_for_the_details_to_be_changed_first(
    draft, member, sign_in_as
):
    client = sign_in_as(member)

    response = save_section(client, draft, "organisation", {"details_correct": "no"})

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error: Your organisation" in page
    assert error_for(page, "details_correct") == (
        "Change your organisation's details first, then come back and select yes")
    assert section_row(draft, "organisation").status is SectionStatus.IN_PROGRESS
    # The answer is kept: opening the page again shows "No" chosen.
    again = open_section(client, draft, "organisation")
    assert checked(again, "details_correct") == {"no"}


def test_an_answer_is_required(draft, member, sign_in_as):
    client = sign_in_as(member)

    page = save_section(client, draft, "organisation", {}).get_data(as_text=True)

    assert error_for(page, "details_correct") == (
        "Select yes if your organisation's details are correct")
    assert section_row(draft, "organisation").status is SectionStatus.IN_PROGRESS


def test_a_tampered_answer_is_a_field_error(draft, member, sign_in_as):
    client = sign_in_as(member)

    response = save_section(client, draft, "organisation", {"details_correct": "maybe"})

    assert response.status_code == 200
    assert error_for(response.get_data(as_text=True), "details_correct") == (
        "Select yes if your organisation's details are correct")
    assert section_row(draft, "organisation").status is SectionStatus.IN_PROGRESS


def test_details_missing_from_the_record_must_be_added_before_confirming(
    draft, organisation, member, sign_in_as
):
    organisation.postcode = None
    organisation.contact_email = ""
    client = sign_in_as(member)

    page = save_section(client, draft, "organisation",
                        {"details_correct": "yes"}).get_data(as_text=True)

    assert error_for(page, "details_correct") == (
        "Add your organisation's postcode and main contact's email address before you "
        "confirm its details")
    assert section_row(draft, "organisation").status is SectionStatus.IN_PROGRESS


def test_a_post_without_a_readable_version_is_refused_and_saves_nothing(
    draft, member, sign_in_as
):
    """Without the version the page was opened at, nobody could tell whether someone else
    changed the section since: such a post is refused, even one saving for later."""
    client = sign_in_as(member)
    page = open_section(client, draft, "organisation")

    response = client.post(f"/applications/{draft.id}/sections/organisation", data={
        "details_correct": "yes", "csrf_token": csrf_token_from(page), "version": "A" * 40,
        "action": "later"})

    assert response.status_code == 400
    assert section_row(draft, "organisation") is None
