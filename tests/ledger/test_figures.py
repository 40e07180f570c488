"""A fund's ledger, worked out by hand: brought forward, paid in, returned, committed, paid
out and available in each financial year, each year carrying forward to the next."""

from datetime import date

import pytest

from grants.awards.models import PaymentStatus
from grants.extensions import db
from grants.ledger.operations.figures import (
    Ledger,
    LedgerYear,
    fund_ledger,
    ledgers,
    year_of_funds,
)


def figures(row: LedgerYear) -> tuple:
    """A year's figures in pounds: brought forward, paid in, returned, committed, paid out,
    available."""
    return tuple(pence // 100 for pence in (
        row.brought_forward_pence, row.paid_in_pence, row.returned_pence, row.committed_pence,
        row.paid_out_pence, row.available_pence))


@pytest.fixture
def three_years(ppaf, csf, pay_in, ppaf_round, pay_out, pay_back):
    """The PPAF over 2019/20 to 2021/22, and a CSF beside it that must not mix in.

    2019/20: £100,000 paid in, and £30,000 received in April 2020 for 2019/20; rounds of
             £80,000 and £25,000.
    2020/21: a round of £10,000; £40,000 of a 2019/20 award paid in May 2020 (£5,000 more
             waiting for approval and £3,000 rejected, neither paid); £2,000 of it paid back in
             February 2021.
    2021/22: £20,000 paid in; £10,000 of the 2020/21 round's award paid in June 2021.
    """
    pay_in(100_000, date(2019, 7, 15))
    pay_in(30_000, date(2020, 4, 15), year="2019/20")
    first = ppaf_round("2019/20", 80_000)
    ppaf_round("2019/20", 25_000)
    paid = pay_out(first, 40_000, date(2020, 5, 1))
    pay_out(first, 5_000, date(2020, 5, 2), status=PaymentStatus.AWAITING_APPROVAL,
            award=paid.award)
    pay_out(first, 3_000, date(2020, 5, 3), status=PaymentStatus.REJECTED, award=paid.award)
    pay_back(paid.award, 2_000, date(2021, 2, 1))
    later = ppaf_round("2020/21", 10_000)
    pay_in(20_000, date(2021, 4, 1))
    pay_out(later, 10_000, date(2021, 6, 1))
    # The CSF's money is its own.
    csf_round = ppaf_round("2019/20", 500_000, fund=csf)
    pay_in(1_000, date(2019, 5, 1), fund=csf)
    pay_out(csf_round, 7_000, date(2020, 5, 1))
    return ppaf


def test_each_year_brings_forward_what_the_year_before_left_available(three_years):
    ledger = fund_ledger(db.session, three_years)

    assert [(row.year, *figures(row)) for row in ledger.years] == [
        # year      b/f    paid in  returned committed paid out available
        ("2019/20", 0, 130_000, 0, 105_000, 0, 25_000),
        ("2020/21", 25_000, 0, 2_000, 10_000, 40_000, 17_000),
        ("2021/22", 17_000, 20_000, 0, 0, 10_000, 37_000),
    ]


def test_a_year_outside_the_ledger_holds_nothing_before_and_carries_the_last_after(
        three_years):
    ledger = fund_ledger(db.session, three_years)

    assert figures(ledger.year("2018/19")) == (0, 0, 0, 0, 0, 0)
    assert figures(ledger.year("2025/26")) == (37_000, 0, 0, 0, 0, 37_000)
    assert [(row.year, figures(row)[-1]) for row in ledger.through("2023/24")][2:] == [
        ("2021/22", 37_000), ("2022/23", 37_000), ("2023/24", 37_000)]
    assert ledger.through("2020/21") == ledger.years


def test_a_year_with_nothing_between_two_with_money_is_in_the_ledger(ppaf, pay_in, ppaf_round):
    pay_in(10_000, date(2019, 6, 1))
    ppaf_round("2021/22", 4_000)

    assert [(row.year, *figures(row)) for row in fund_ledger(db.session, ppaf).years] == [
        ("2019/20", 0, 10_000, 0, 0, 0, 10_000),
        ("2020/21", 10_000, 0, 0, 0, 0, 10_000),
        ("2021/22", 10_000, 0, 0, 4_000, 0, 6_000),
    ]


def test_what_a_new_budget_may_take_is_limited_by_later_years_that_count_on_it(three_years):
    ledger = fund_ledger(db.session, three_years)

    assert ledger.spare("2019/20") == ledger.spare("2020/21")
    assert (ledger.spare("2019/20").pence, ledger.spare("2019/20").limited_by) == (
        1_700_000, "2020/21")
    assert (ledger.spare("2021/22").pence, ledger.spare("2021/22").limited_by) == (
        3_700_000, "2021/22")
    assert ledger.spare("2030/31").pence == 3_700_000


def test_a_round_left_out_gives_its_budget_back_in_its_year_and_after(three_years):
    round_ = next(r for r in three_years.rounds if r.budget_pence == 8_000_000)

    ledger = fund_ledger(db.session, three_years, leaving_out_round_id=round_.id)

    assert [figures(row)[-1] for row in ledger.years] == [105_000, 97_000, 117_000]


def test_a_fund_with_no_money_moving_has_an_empty_ledger(ppaf):
    ledger = fund_ledger(db.session, ppaf)

    assert ledger == Ledger(ppaf)
    assert ledger.through("2026/27") == ()
    assert figures(ledger.year("2026/27")) == (0, 0, 0, 0, 0, 0)


def test_the_funds_shown_for_a_year_are_those_that_keep_track_of_their_money(
        ppaf, csf, fund_factory, pay_in, ppaf_round):
    other = fund_factory(code="VRF", name="Violence Reduction Fund")
    ppaf_round("2026/27", 5_000, fund=other)  # neither limited nor paid into: not shown
    ppaf_round("2026/27", 50_000, fund=csf)
    pay_in(60_000, date(2026, 4, 2), fund=csf)

    shown = year_of_funds(db.session, "2026/27")

    assert [(fund.code, figures(row)) for fund, row in shown] == [
        ("CSF", (0, 60_000, 0, 50_000, 0, 10_000)), ("PPAF", (0, 0, 0, 0, 0, 0))]
    assert [fund.code for fund, _ in year_of_funds(db.session, "2026/27", other)] == []


def test_a_year_of_funds_none_of_which_keeps_track_adds_up_no_payments(
        csf, round_factory, pay_out, count_queries):
    # Money paid out of a fund neither limited by money paid in nor paid into.
    round_ = round_factory(fund=csf, financial_year="2026/27", budget_pence=5_000_00,
                           min_award_pence=1, max_award_pence=5_000_00)
    pay_out(round_, 5_000, date(2026, 5, 1))

    with count_queries() as log:
        shown = year_of_funds(db.session, "2026/27")

    assert shown == []
    assert log.count == 1, str(log)


def test_every_fund_s_ledger_costs_the_same_queries_as_one(
        three_years, csf, fund_factory, count_queries):
    funds = [three_years, csf, fund_factory(code="VRF", name="Violence Reduction Fund")]
    assert [fund.code for fund in funds]  # loaded, as a page has them

    with count_queries() as one:
        ledgers(db.session, funds[:1])
    with count_queries() as three:
        both = ledgers(db.session, funds)

    assert one.count == three.count == 4
    assert figures(both[csf.id].year("2019/20")) == (0, 1_000, 0, 500_000, 0, -499_000)
    assert figures(both[csf.id].year("2020/21"))[4] == 7_000


def test_a_payment_dated_in_the_first_century_still_gives_a_ledger(ppaf, ppaf_round, pay_out):
    """A payment form that took "1 1 0001" would otherwise break every page showing the
    fund's money."""
    pay_out(ppaf_round("2026/27", 5_000), 5_000, date(1, 1, 1))

    ledger = fund_ledger(db.session, ppaf)

    assert (ledger.years[0].year, ledger.years[0].paid_out_pence) == ("0000/01", 5_000_00)
    assert ledger.years[-1].year == "2026/27" and len(ledger.years) == 2027
