"""The ledger guard: in a fund limited by the money paid in, a round's budget (a new round's,
a copy's, a top-up, or a move to another year) must fit within the money available in its
financial year, and in every later year, whose rounds count on what it carries forward.
Budgets set before are never checked again."""

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from grants.core.errors import ValidationFailed
from grants.extensions import db
from grants.funds.models import Round
from grants.funds.operations.settings import RoundSettings, update_round
from tests.fixtures.auth import post_form
from tests.funds.conftest import error_messages, round_form

pytestmark = pytest.mark.usefixtures("now")  # 1 June 2026: 2026/27


def rounds_of(fund) -> int:
    return db.session.scalar(select(func.count(Round.id)).where(Round.fund_id == fund.id))


def budget_of(round_, pounds: int, **changes) -> RoundSettings:
    return replace(RoundSettings.of(round_), budget_pence=pounds * 100, **changes)


def refused_budget(round_, pounds: int, **changes) -> str:
    with pytest.raises(ValidationFailed) as refused:
        update_round(db.session, round_, budget_of(round_, pounds, **changes), actor_id=None)
    return refused.value.errors["budget"]


def test_a_new_rounds_budget_over_what_is_available_is_refused_with_the_figure(
        staff_client, ppaf, pay_in):
    pay_in(12_400, date(2026, 4, 20))

    response = post_form(staff_client, "/staff/rounds/new",
                         round_form(fund=ppaf.id, budget="12,401", max_award="5000"))

    assert response.status_code == 200
    assert error_messages(response.text) == [
        "£12,400 is available in the PPAF for 2026/27, so the budget can be no more than "
        "£12,400 until more money is paid in"]
    assert rounds_of(ppaf) == 0

    response = post_form(staff_client, "/staff/rounds/new",
                         round_form(fund=ppaf.id, budget="12,400", max_award="5000"))
    assert response.status_code == 302, error_messages(response.text)
    assert rounds_of(ppaf) == 1


def test_a_fund_with_nothing_available_refuses_any_new_budget(staff_client, ppaf):
    response = post_form(staff_client, "/staff/rounds/new",
                         round_form(fund=ppaf.id, budget="1", max_award="1", min_award="1"))

    assert error_messages(response.text) == [
        "£0 is available in the PPAF for 2026/27, so there is no money for this budget until "
        "more is paid in"]


def test_a_fund_not_limited_by_the_money_paid_in_takes_any_budget(staff_client, csf):
    response = post_form(staff_client, "/staff/rounds/new", round_form(fund=csf.id))

    assert response.status_code == 302
    assert rounds_of(csf) == 1


def test_a_top_up_must_fit_within_what_is_available_besides_the_rounds_own_budget(
        ppaf, pay_in, ppaf_round):
    pay_in(12_400, date(2026, 4, 20))
    round_ = ppaf_round("2026/27", 10_000)

    assert refused_budget(round_, 12_401) == (
        "£2,400 is available in the PPAF for 2026/27, so this round's budget can be no more "
        "than £12,400 until more money is paid in")

    update_round(db.session, round_, budget_of(round_, 12_400), actor_id=None)
    assert round_.budget_pence == 12_400_00


def test_a_lower_or_unchanged_budget_is_never_refused_even_when_the_fund_is_overcommitted(
        ppaf, pay_in, ppaf_round):
    # Set before the fund was limited: £50,000 committed against £12,400 paid in.
    round_ = ppaf_round("2026/27", 50_000)
    pay_in(12_400, date(2026, 4, 20))

    update_round(db.session, round_, budget_of(round_, 50_000, title="Renamed"),
                 actor_id=None)
    update_round(db.session, round_, budget_of(round_, 40_000), actor_id=None)

    assert (round_.title, round_.budget_pence) == ("Renamed", 40_000_00)
    assert refused_budget(round_, 40_001) == (
        "£0 is available in the PPAF for 2026/27, so this round's budget cannot rise until "
        "more money is paid in")


def test_a_year_whose_later_rounds_count_on_its_money_says_so(
        staff_client, ppaf, pay_in, ppaf_round):
    pay_in(20_000, date(2025, 6, 1))  # 2025/26
    ppaf_round("2026/27", 15_000)  # counts on the £20,000 brought forward

    response = post_form(staff_client, "/staff/rounds/new", round_form(
        fund=ppaf.id, financial_year="2025/26", budget="6,000", max_award="5000"))

    assert error_messages(response.text) == [
        "£5,000 is available in the PPAF for 2025/26, as the rounds of 2026/27 count on the "
        "money it carries forward, so the budget can be no more than £5,000 until more money "
        "is paid in"]
    response = post_form(staff_client, "/staff/rounds/new", round_form(
        fund=ppaf.id, financial_year="2025/26", budget="5,000", max_award="5000"))
    assert response.status_code == 302


def test_moving_a_drafts_budget_to_another_year_must_fit_in_that_year(
        ppaf, pay_in, ppaf_round):
    pay_in(10_000, date(2026, 4, 20))
    round_ = ppaf_round("2026/27", 10_000)

    assert refused_budget(round_, 10_000, financial_year="2025/26") == (
        "£0 is available in the PPAF for 2025/26, so there is no money for this budget until "
        "more is paid in")

    # 2027/28 has the £10,000 brought forward once this round no longer holds it.
    update_round(db.session, round_, budget_of(round_, 10_000, financial_year="2027/28"),
                 actor_id=None)
    assert round_.financial_year == "2027/28"


def test_a_copy_whose_budget_does_not_fit_next_year_is_refused_on_the_round_page(
        staff_client, ppaf, pay_in, ppaf_round):
    pay_in(10_000, date(2025, 6, 1))
    round_ = ppaf_round("2025/26", 10_000)

    response = post_form(staff_client, f"/staff/rounds/{round_.id}/copy",
                         form_page=f"/staff/rounds/{round_.id}")

    assert response.status_code == 200
    assert ("£0 is available in the PPAF for 2026/27, so there is no money for this budget "
            "until more is paid in") in response.text
    assert rounds_of(ppaf) == 1

    pay_in(10_000, date(2026, 4, 20))
    response = post_form(staff_client, f"/staff/rounds/{round_.id}/copy",
                         form_page=f"/staff/rounds/{round_.id}")
    assert response.status_code == 302
    assert rounds_of(ppaf) == 2
