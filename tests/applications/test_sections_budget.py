"""The "Budget" section: the lines, the amount asked for, the total cost and other funding."""

import re

import pytest

from grants.applications.models import BudgetLine, SectionStatus
from grants.applications.operations import rules
from tests.applications.section_pages import (
    error_for,
    open_section,
    save_section,
    section_row,
    text_of,
    value_of,
)

BUDGET = {
    "line_1_description": "Outreach worker, 10 hours a week",
    "line_1_amount": "£4,000",
    "line_2_description": "Volunteer travel",
    "line_2_amount": "1000.50",
    "amount_requested": "5,000.50",
    "total_cost": "8000",
    "other_funding": "£3,000 from our own reserves, secured.",
}


def test_a_valid_budget_completes_the_section_and_writes_it(draft, member, sign_in_as):
    client = sign_in_as(member)

    response = save_section(client, draft, "budget", BUDGET)

    assert response.status_code == 302
    assert response.headers["Location"] == f"/applications/{draft.id}/sections/outcomes"
    assert draft.amount_requested_pence == 500_050
    assert draft.total_cost_pence == 800_000
    assert draft.other_funding == "£3,000 from our own reserves, secured."
    assert [(line.position, line.description, line.amount_pence)
            for line in draft.budget_lines] == [
        (1, "Outreach worker, 10 hours a week", 400_000), (2, "Volunteer travel", 100_050)]
    assert section_row(draft, "budget").status is SectionStatus.COMPLETED


def test_saving_again_replaces_the_lines_and_numbers_them_without_gaps(draft, member,
                                                                       sign_in_as, db_session):
    client = sign_in_as(member)
    save_section(client, draft, "budget", BUDGET)

    response = save_section(client, draft, "budget", {
        "line_2_description": "Venue hire", "line_2_amount": "2000",
        "line_5_description": "Leaflets", "line_5_amount": "500",
        "amount_requested": "2500", "total_cost": "2500"})

    assert response.status_code == 302
    assert [(line.position, line.description) for line in draft.budget_lines] == [
        (1, "Venue hire"), (2, "Leaflets")]
    assert db_session.query(BudgetLine).count() == 2


def test_the_page_says_what_the_round_allows_and_shows_the_budget_already_given(
    draft, member, sign_in_as
):
    draft.amount_requested_pence = 250_000
    draft.total_cost_pence = 260_050
    draft.budget_lines = [BudgetLine(position=1, description="Venue hire",
                                     amount_pence=250_000)]
    client = sign_in_as(member)

    page = open_section(client, draft, "budget")

    assert "This round gives grants from £1,000 to £10,000" in text_of(page)
    assert value_of(page, "amount_requested") == "2500"
    assert value_of(page, "total_cost") == "2600.50"
    assert value_of(page, "line_1_description") == "Venue hire"
    assert value_of(page, "line_1_amount") == "2500"
    assert value_of(page, "line_2_description") == ""


@pytest.mark.parametrize("amount", ["999.99", "10000.01", "250000"])
def test_the_amount_asked_for_is_within_the_rounds_range(amount, draft, member, sign_in_as):
    client = sign_in_as(member)

    response = save_section(client, draft, "budget", {
        **BUDGET, "line_1_amount": amount, "line_2_description": "", "line_2_amount": "",
        "amount_requested": amount, "total_cost": "300000"})

    assert error_for(response.get_data(as_text=True), "amount_requested") == (
        f"Your budget lines add up to £{float(amount):,.2f}. Enter an amount from £1,000 to "
        "£10,000, or change the lines".replace(".00.", "."))
    assert draft.amount_requested_pence is None
    assert section_row(draft, "budget").status is SectionStatus.IN_PROGRESS


def test_the_range_in_the_message_is_the_rounds_own(draft, member, sign_in_as, open_round):
    open_round.min_award_pence, open_round.max_award_pence = 50_000, 250_050
    client = sign_in_as(member)

    response = save_section(client, draft, "budget", BUDGET)

    assert error_for(response.get_data(as_text=True), "amount_requested") == (
        "Your budget lines add up to £5,000.50. Enter an amount from £500 to £2,500.50, or "
        "change the lines")


def test_an_amount_typed_outside_the_range_is_told_the_range(draft, member, sign_in_as):
    client = sign_in_as(member)

    response = save_section(client, draft, "budget", {**BUDGET, "amount_requested": "500"})

    assert error_for(response.get_data(as_text=True), "amount_requested") == (
        "Enter an amount from £1,000 to £10,000")


def test_the_total_cost_is_at_least_what_the_lines_add_up_to(draft, member, sign_in_as):
    client = sign_in_as(member)

    response = save_section(client, draft, "budget", {**BUDGET, "amount_requested": "4000",
                                                      "total_cost": "5000"})

    assert error_for(response.get_data(as_text=True), "total_cost") == (
        "The total cost of the project must be at least what your budget lines add up to "
        "(£5,000.50)")


def test_other_funding_is_required_when_the_project_costs_more_than_the_grant(
    draft, member, sign_in_as
):
    client = sign_in_as(member)

    response = save_section(client, draft, "budget", {**BUDGET, "other_funding": "  "})

    assert error_for(response.get_data(as_text=True), "other_funding") == (
        "Tell us where the rest of the money (£2,999.50) will come from")


def test_other_funding_is_not_needed_when_the_grant_pays_for_everything(draft, member,
                                                                        sign_in_as):
    client = sign_in_as(member)

    response = save_section(client, draft, "budget", {
        **BUDGET, "total_cost": "5000.50", "other_funding": ""})

    assert response.status_code == 302
    assert draft.total_cost_pence == draft.amount_requested_pence == 500_050


def test_an_amount_left_empty_asks_for_what_the_lines_add_up_to(draft, member, sign_in_as):
    client = sign_in_as(member)

    response = save_section(client, draft, "budget", {**BUDGET, "amount_requested": ""})

    assert response.status_code == 302
    assert draft.amount_requested_pence == 500_050
    assert section_row(draft, "budget").answers["amount_requested"] == [""]


def test_a_smaller_amount_asks_for_part_and_the_rest_is_accounted_for(draft, member,
                                                                      sign_in_as):
    """Lines of £12,000 in a round that gives up to £10,000: ask for £10,000, and say where
    the other £2,000 comes from."""
    client = sign_in_as(member)
    budget = {**BUDGET, "line_1_amount": "11000", "line_2_amount": "1000",
              "amount_requested": "10000", "total_cost": "12000"}

    refused = save_section(client, draft, "budget", {**budget, "other_funding": ""})
    assert error_for(refused.get_data(as_text=True), "other_funding") == (
        "Tell us where the rest of the money (£2,000) will come from")

    response = save_section(client, draft, "budget", budget)
    assert response.status_code == 302
    assert (draft.amount_requested_pence, draft.total_cost_pence) == (1_000_000, 1_200_000)
    assert sum(line.amount_pence for line in draft.budget_lines) == 1_200_000


def test_the_amount_asked_for_is_no_more_than_the_lines_add_up_to(draft, member, sign_in_as):
    client = sign_in_as(member)

    response = save_section(client, draft, "budget", {**BUDGET, "line_2_amount": "500.50"})

    assert error_for(response.get_data(as_text=True), "amount_requested") == (
        "Enter an amount of £4,500.50 or less: you cannot ask for more than your budget lines "
        "add up to. Or add a line for what the rest is for")
    assert draft.budget_lines == []


def test_a_line_needs_both_a_description_and_an_amount(draft, member, sign_in_as):
    client = sign_in_as(member)

    response = save_section(client, draft, "budget", {
        **BUDGET, "line_3_description": "Room hire", "line_4_amount": "20"})

    page = response.get_data(as_text=True)
    assert error_for(page, "line_3_amount") == "Enter the amount for budget line 3"
    assert error_for(page, "line_4_description") == "Enter what budget line 4 is for"
    assert error_for(page, "amount_requested") is None  # the sum waits for whole lines
    assert value_of(page, "line_3_description") == "Room hire"


def test_at_least_one_line_is_required(draft, member, sign_in_as):
    client = sign_in_as(member)

    response = save_section(client, draft, "budget", {"total_cost": "5000"})

    assert error_for(response.get_data(as_text=True), "line_1_description") == (
        "Enter at least one budget line: what you will spend the grant on and how much")


@pytest.mark.parametrize("field,typed,message", [
    ("amount_requested", "five thousand",
     "Enter an amount in pounds and pence only, like 5000 or £5,000.50"),
    ("amount_requested", "0", "Enter an amount of more than £0"),
    ("total_cost", "1e6", "Enter an amount in pounds and pence only, like 5000 or £5,000.50"),
    ("total_cost", "", "Enter the total cost of the project"),
    ("line_2_amount", "-50", "Enter an amount of £0 or more"),
    ("line_2_amount", "99999999999999", "Enter an amount of £1,000,000,000 or less"),
    ("line_2_amount", "£1,00.5", "Enter an amount in pounds and pence only, like 5000 or "
                                 "£5,000.50"),
])
def test_money_that_does_not_parse_is_a_field_error_and_what_was_typed_is_kept(
    field, typed, message, draft, member, sign_in_as
):
    client = sign_in_as(member)

    response = save_section(client, draft, "budget", {**BUDGET, field: typed})

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error: Budget" in page
    assert error_for(page, field) == message
    assert value_of(page, field) == typed
    assert section_row(draft, "budget").status is SectionStatus.IN_PROGRESS
    assert section_row(draft, "budget").answers[field] == [typed]
    assert draft.amount_requested_pence is None


def test_save_and_come_back_later_keeps_a_half_finished_budget(draft, member, sign_in_as):
    client = sign_in_as(member)

    response = save_section(client, draft, "budget", {"line_1_description": "Venue"},
                            action="later")

    assert response.headers["Location"] == f"/applications/{draft.id}"
    assert section_row(draft, "budget").status is SectionStatus.IN_PROGRESS
    assert value_of(open_section(client, draft, "budget"), "line_1_description") == "Venue"


def test_the_other_funding_word_limit_is_enforced(draft, member, sign_in_as):
    client = sign_in_as(member)

    response = save_section(client, draft, "budget", {
        **BUDGET, "other_funding": " ".join(["word"] * 151)})

    assert error_for(response.get_data(as_text=True), "other_funding") == (
        "Where the rest of the money comes from must be 150 words or fewer")


@pytest.mark.parametrize("low,high,message", [
    (100_000, 1_000_000, "Enter an amount from £1,000 to £10,000"),
    (None, 500_000, "Enter an amount of £5,000 or less"),
    (0, 500_000, "Enter an amount of £5,000 or less"),
    (25_000, None, "Enter an amount of £250 or more"),
    (None, None, None),
])
def test_the_range_message_says_only_the_limits_the_round_has(low, high, message,
                                                              open_round):
    open_round.min_award_pence, open_round.max_award_pence = low, high

    assert rules.award_range_message(open_round) == message


# --- Three lines, "Add another line" and the running total ---------------------------------

def _total(page: str) -> str:
    """The running total's sentence, as the page reads."""
    found = re.search(r'<p [^>]*id="budget-total"[^>]*>(.*?)</p>', page, re.S)
    return " ".join(text_of(re.sub(r"<[^>]+>", "", found.group(1))).split())


def _lines_shown(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'name="line_(\d+)_description"', page)]


def test_the_budget_starts_with_three_lines(draft, member, sign_in_as):
    page = open_section(sign_in_as(member), draft, "budget")

    assert _lines_shown(page) == [1, 2, 3]
    button = re.search(r'<button [^>]*value="add_another"[^>]*>\s*Add another line\s*</button>',
                       page)
    assert button and 'name="action"' in button.group(0)
    assert _total(page) == "Your budget lines add up to £0"


def test_add_another_line_keeps_what_was_typed_and_shows_one_more(draft, member, sign_in_as):
    client = sign_in_as(member)

    response = save_section(client, draft, "budget", {
        "line_count": "3", "line_1_description": "Venue", "line_1_amount": "300",
        "line_2_description": "Food", "line_2_amount": "£1,200.50"}, action="add_another")

    assert response.status_code == 302
    assert response.headers["Location"] == (
        f"/applications/{draft.id}/sections/budget#line_4_description")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert _lines_shown(page) == [1, 2, 3, 4]
    assert value_of(page, "line_2_amount") == "£1,200.50"
    assert _total(page) == "Your budget lines add up to £1,500.50"
    assert "govuk-error-summary" not in page
    assert section_row(draft, "budget").status is SectionStatus.IN_PROGRESS


def test_the_page_shows_every_line_with_something_in_it(draft, member, sign_in_as):
    draft.budget_lines = [BudgetLine(position=n, description=f"Cost {n}", amount_pence=100)
                          for n in range(1, 6)]

    page = open_section(sign_in_as(member), draft, "budget")

    assert _lines_shown(page) == [1, 2, 3, 4, 5]


def test_no_more_lines_are_offered_than_the_budget_may_hold(draft, member, sign_in_as):
    client = sign_in_as(member)
    lines = {f"line_{n}_description": f"Cost {n}" for n in range(1, rules.MAX_BUDGET_LINES + 1)}

    response = save_section(client, draft, "budget", {
        **lines, "line_count": str(rules.MAX_BUDGET_LINES)}, action="add_another")

    page = response.get_data(as_text=True)
    assert _lines_shown(page) == list(range(1, rules.MAX_BUDGET_LINES + 1))
    assert 'value="add_another"' not in page
    assert f"You can list up to {rules.MAX_BUDGET_LINES} lines" in page


def test_remove_takes_a_line_out_and_moves_the_rest_up(draft, member, sign_in_as):
    client = sign_in_as(member)

    response = save_section(client, draft, "budget", {
        "line_count": "4", "line_1_description": "Venue", "line_1_amount": "300",
        "line_2_description": "Food", "line_2_amount": "200",
        "line_3_description": "Leaflets", "line_3_amount": "50",
        "line_4_description": "Travel", "line_4_amount": "75"}, action="remove_2")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/applications/{draft.id}/sections/budget#line-2"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert _lines_shown(page) == [1, 2, 3]
    assert [value_of(page, f"line_{n}_description") for n in (1, 2, 3)] == [
        "Venue", "Leaflets", "Travel"]
    assert value_of(page, "line_3_amount") == "75"
    assert _total(page) == "Your budget lines add up to £425"
    assert section_row(draft, "budget").status is SectionStatus.IN_PROGRESS


def test_each_line_has_a_remove_button_named_for_its_line(draft, member, sign_in_as):
    page = open_section(sign_in_as(member), draft, "budget")

    buttons = re.findall(r'<button [^>]*value="remove_(\d+)"[^>]*>\s*Remove<span '
                         r'class="govuk-visually-hidden"> budget line (\d+)</span>', page)
    assert buttons == [("1", "1"), ("2", "2"), ("3", "3")]


def test_removing_a_line_that_is_not_shown_changes_nothing(draft, member, sign_in_as):
    client = sign_in_as(member)

    response = save_section(client, draft, "budget", {
        "line_count": "3", "line_1_description": "Venue", "line_1_amount": "300"},
        action="remove_9")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert _lines_shown(page) == [1, 2, 3]
    assert value_of(page, "line_1_description") == "Venue"


def test_enter_in_a_field_saves_the_section_rather_than_adding_a_line(draft, member,
                                                                      sign_in_as):
    page = open_section(sign_in_as(member), draft, "budget")

    # A browser sends a form on Enter with its first submit button.
    first = re.search(r'<form method="post"[^>]*>.*?(<button [^>]*>)', page, re.S).group(1)
    assert 'value="continue"' in first and "hidden" in first


def test_the_running_total_is_worked_out_on_each_save(draft, member, sign_in_as):
    client = sign_in_as(member)

    response = save_section(client, draft, "budget", {
        **BUDGET, "line_3_description": "Leaflets", "line_3_amount": "not money",
        "amount_requested": ""})

    assert _total(response.get_data(as_text=True)) == "Your budget lines add up to £5,000.50"
