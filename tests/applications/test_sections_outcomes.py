"""The "Outcomes and beneficiaries" section: what will change, for how many, and for whom."""

import pytest

from grants.applications.models import SectionStatus
from tests.applications.section_pages import (
    error_for,
    open_section,
    save_section,
    section_row,
    value_of,
)

OUTCOMES = {
    "outcomes": "Fewer young people drawn into county lines; we will count referrals.",
    "beneficiaries_count": "1,250",
    "beneficiary_groups": "Young people aged 11 to 18 in Slough.",
}


def test_valid_answers_complete_the_section_and_are_written(draft, member, sign_in_as):
    client = sign_in_as(member)

    response = save_section(client, draft, "outcomes", OUTCOMES)

    assert response.status_code == 302
    assert draft.outcomes == OUTCOMES["outcomes"]
    assert draft.beneficiaries_count == 1250
    assert draft.beneficiary_groups == "Young people aged 11 to 18 in Slough."
    assert section_row(draft, "outcomes").status is SectionStatus.COMPLETED


def test_the_page_counts_words_as_the_person_types(draft, member, sign_in_as):
    client = sign_in_as(member)

    page = open_section(client, draft, "outcomes")

    assert 'data-maxwords="300"' in page and 'data-maxwords="100"' in page


@pytest.mark.parametrize("field,words,message", [
    ("outcomes", 301, "What will change must be 300 words or fewer"),
    ("beneficiary_groups", 101, "Who will benefit must be 100 words or fewer"),
])
def test_word_limits_are_enforced_and_the_text_is_kept(field, words, message, draft, member,
                                                       sign_in_as):
    client = sign_in_as(member)
    text = " ".join(["word"] * words)

    response = save_section(client, draft, "outcomes", {**OUTCOMES, field: text})

    page = response.get_data(as_text=True)
    assert error_for(page, field) == message
    assert text in page
    assert draft.outcomes == ""
    assert section_row(draft, "outcomes").status is SectionStatus.IN_PROGRESS


def test_exactly_at_the_word_limit_is_accepted(draft, member, sign_in_as):
    client = sign_in_as(member)

    response = save_section(client, draft, "outcomes", {
        **OUTCOMES, "outcomes": " ".join(["word"] * 300)})

    assert response.status_code == 302


@pytest.mark.parametrize("typed,message", [
    ("about 200", "Enter a whole number, like 250"),
    ("12.5", "Enter a whole number, like 250"),
    ("1,00", "Enter a whole number, like 250"),
    ("", "Enter how many people will benefit"),
    ("0", "Enter a number from 1 to 10,000,000"),
    ("-5", "Enter a number from 1 to 10,000,000"),
    ("10000001", "Enter a number from 1 to 10,000,000"),
    ("9" * 40, "Enter a number from 1 to 10,000,000"),
])
def test_the_number_of_beneficiaries_is_a_whole_number_in_range(typed, message, draft, member,
                                                                sign_in_as):
    client = sign_in_as(member)

    response = save_section(client, draft, "outcomes", {**OUTCOMES,
                                                        "beneficiaries_count": typed})

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert error_for(page, "beneficiaries_count") == message
    assert value_of(page, "beneficiaries_count") == typed
    assert draft.beneficiaries_count is None
    assert section_row(draft, "outcomes").status is SectionStatus.IN_PROGRESS


def test_the_top_of_the_range_is_accepted(draft, member, sign_in_as):
    client = sign_in_as(member)

    save_section(client, draft, "outcomes", {**OUTCOMES, "beneficiaries_count": "10,000,000"})

    assert draft.beneficiaries_count == 10_000_000


def test_a_first_visit_shows_the_answers_already_on_the_application(draft, member,
                                                                    sign_in_as):
    draft.outcomes = "Safer streets."
    draft.beneficiaries_count = 40
    client = sign_in_as(member)

    page = open_section(client, draft, "outcomes")

    assert "Safer streets." in page
    assert value_of(page, "beneficiaries_count") == "40"
