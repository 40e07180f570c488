"""The "Areas served" section: the whole of Thames Valley, or particular local authorities."""

import re
from datetime import UTC, date, datetime

import pytest

from grants.applications.models import SectionStatus
from grants.applications.operations import rules
from tests.applications.section_pages import (
    checked,
    error_for,
    open_section,
    save_section,
    section_row,
    text_of,
)


@pytest.fixture
def authorities(local_authority_factory, county_factory):
    berkshire = county_factory(name="Berkshire")
    oxfordshire = county_factory(name="Oxfordshire")
    buckinghamshire = county_factory(name="Buckinghamshire")
    return {
        "reading": local_authority_factory(name="Reading", county=berkshire,
                                           official_name="Reading Borough Council"),
        "oxford": local_authority_factory(name="Oxford", county=oxfordshire,
                                          official_name="Oxford City Council"),
        "former": local_authority_factory(name="Aylesbury Vale", county=buckinghamshire,
                                          official_name="Aylesbury Vale District Council",
                                          valid_to=date(2020, 3, 31)),
        "future": local_authority_factory(name="New Town", county=buckinghamshire,
                                          official_name="New Town Council",
                                          valid_from=date(2030, 4, 1)),
    }


def test_the_page_lists_the_councils_standing_on_the_rounds_dates_by_their_own_names(
    authorities, draft, member, sign_in_as
):
    client = sign_in_as(member)

    page = text_of(open_section(client, draft, "areas"))

    assert "The whole of Thames Valley" in page
    assert "Reading Borough Council" in page and "Oxford City Council" in page
    assert "(Berkshire)" not in page and "(Oxfordshire)" not in page
    assert "Aylesbury Vale" not in page and "New Town Council" not in page


def test_a_round_that_closed_before_april_2020_offers_the_councils_of_its_day(
    authorities, round_factory, db_session
):
    round_ = round_factory(opens_at=datetime(2019, 11, 1, 9, tzinfo=UTC),
                           closes_at=datetime(2020, 1, 31, 12, tzinfo=UTC))

    offered = rules.areas_on_offer(db_session, round_)

    assert authorities["former"] in offered and authorities["future"] not in offered


def test_the_councils_are_revealed_under_particular_areas_by_the_stylesheet_alone(
    authorities, draft, member, sign_in_as
):
    """GOV.UK's conditional reveal, with no JavaScript and no aria-expanded on a radio: the
    radio that reveals is marked, and the councils follow the radios in the reveal's box."""
    client = sign_in_as(member)

    page = open_section(client, draft, "areas")

    reveal = re.search(r'<div class="app-reveal">(.*?)</form>', page, re.S).group(1)
    particular = re.search(r'<input [^>]*value="particular"[^>]*>', reveal).group(0)
    whole = re.search(r'<input [^>]*value="whole"[^>]*>', reveal).group(0)
    assert "data-reveals" in particular and "data-reveals" not in whole
    assert "aria-controls" not in reveal and "aria-expanded" not in reveal
    content = reveal.index('class="govuk-radios__conditional app-reveal__content"')
    assert reveal.index('value="particular"') < content < reveal.index("Reading Borough Council")


def test_the_whole_of_thames_valley_completes_the_section_and_clears_any_areas(
    authorities, draft, member, sign_in_as
):
    draft.areas = [authorities["reading"]]
    client = sign_in_as(member)

    response = save_section(client, draft, "areas", {
        "serves": "whole", "areas": [str(authorities["oxford"].id)]})

    assert response.status_code == 302
    assert response.headers["Location"] == f"/applications/{draft.id}/sections/budget"
    assert draft.serves_whole_thames_valley is True
    assert draft.areas == []
    assert section_row(draft, "areas").status is SectionStatus.COMPLETED


def test_particular_areas_are_written(authorities, draft, member, sign_in_as):
    draft.serves_whole_thames_valley = True
    client = sign_in_as(member)

    response = save_section(client, draft, "areas", {
        "serves": "particular",
        "areas": [str(authorities["reading"].id), str(authorities["oxford"].id)]})

    assert response.status_code == 302
    assert draft.serves_whole_thames_valley is False
    assert {area.name for area in draft.areas} == {"Reading", "Oxford"}


def test_particular_areas_need_at_least_one_authority(authorities, draft, member, sign_in_as):
    client = sign_in_as(member)

    response = save_section(client, draft, "areas", {"serves": "particular"})

    page = response.get_data(as_text=True)
    assert error_for(page, "areas") == "Select the local authority areas your project serves"
    assert checked(page, "serves") == {"particular"}
    assert section_row(draft, "areas").status is SectionStatus.IN_PROGRESS


def test_an_answer_is_required(authorities, draft, member, sign_in_as):
    client = sign_in_as(member)

    response = save_section(client, draft, "areas", {})

    assert error_for(response.get_data(as_text=True), "serves") == (
        "Select whether your project serves the whole of Thames Valley or particular areas")
    assert section_row(draft, "areas").status is SectionStatus.IN_PROGRESS


def test_a_tampered_choice_is_a_field_error(authorities, draft, member, sign_in_as):
    client = sign_in_as(member)

    response = save_section(client, draft, "areas", {"serves": "everywhere"})

    assert response.status_code == 200
    assert error_for(response.get_data(as_text=True), "serves") == (
        "Select whether your project serves the whole of Thames Valley or particular areas")


@pytest.mark.parametrize("which", ["former", "future", "unknown", "not_a_number"])
def test_an_authority_not_on_the_list_is_refused_and_what_was_ticked_is_kept(
    which, authorities, draft, member, sign_in_as
):
    value = {"unknown": "99999999", "not_a_number": "Reading"}.get(which) or str(
        authorities[which].id)
    client = sign_in_as(member)

    response = save_section(client, draft, "areas", {
        "serves": "particular", "areas": [str(authorities["reading"].id), value]})

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert error_for(page, "areas") == "Select local authority areas from the list"
    assert str(authorities["reading"].id) in checked(page, "areas")
    assert draft.areas == []
    assert section_row(draft, "areas").answers["areas"] == [
        str(authorities["reading"].id), value]


def test_a_first_visit_shows_the_areas_already_on_the_application(authorities, draft, member,
                                                                  sign_in_as):
    draft.areas = [authorities["oxford"]]
    client = sign_in_as(member)

    page = open_section(client, draft, "areas")

    assert checked(page, "serves") == {"particular"}
    assert checked(page, "areas") == {str(authorities["oxford"].id)}
