"""Staff record money paid into a fund on its "Money paid in" page, see the fund's money by
financial year, and download both as CSV."""

import json
from datetime import date

import pytest
from sqlalchemy import select

from grants.extensions import db
from grants.ledger.models import MoneyPaidIn
from tests.assessment.screening_data import words
from tests.fixtures.auth import post_form
from tests.funds.conftest import error_messages

pytestmark = pytest.mark.usefixtures("now")  # 1 June 2026: 2026/27

PAYMENT = {"received_on": ["15", "7", "2025"], "amount": "£24,300.50",
           "source": "Proceeds of property", "reference": "Proceeds of property, Q1 2025/26",
           "financial_year": ""}


def paid_in(fund) -> list[tuple]:
    db.session.expire_all()
    return db.session.execute(
        select(MoneyPaidIn.received_on, MoneyPaidIn.financial_year, MoneyPaidIn.amount_pence,
               MoneyPaidIn.source, MoneyPaidIn.reference, MoneyPaidIn.recorded_by_id)
        .where(MoneyPaidIn.fund_id == fund.id).order_by(MoneyPaidIn.id)).all()


def test_staff_record_money_paid_in_and_it_counts_in_the_year_of_the_day_received(
        staff_client, staff, ppaf, audit_actions):
    path = f"/staff/funds/{ppaf.id}/money/new"

    response = post_form(staff_client, path, PAYMENT)

    assert response.status_code == 302
    assert response.headers["Location"] == f"/staff/funds/{ppaf.id}/money"
    assert paid_in(ppaf) == [(date(2025, 7, 15), "2025/26", 24_300_50, "Proceeds of property",
                              "Proceeds of property, Q1 2025/26", staff.id)]
    assert audit_actions("fund", ppaf.id) == ["fund.money_paid_in"]
    page = words(staff_client.get(response.headers["Location"]).text)
    assert "£24,300.50 received on 15 July 2025 recorded in 2025/26" in page


def test_money_for_last_year_that_arrives_in_april_can_count_in_last_year(
        staff_client, ppaf):
    response = post_form(staff_client, f"/staff/funds/{ppaf.id}/money/new", {
        **PAYMENT, "received_on": ["15", "4", "2026"], "financial_year": "2025-26"})

    assert response.status_code == 302
    assert paid_in(ppaf)[0][:2] == (date(2026, 4, 15), "2025/26")


@pytest.mark.parametrize(("changes", "messages"), [
    ({"received_on": ["", "", ""], "amount": "", "source": "", "reference": ""},
     ["Enter the date the money was received", "Enter the amount paid in",
      "Enter where the money came from", "Enter the reference"]),
    ({"received_on": ["2", "6", "2026"]}, ["The date received must be today or in the past"]),
    ({"received_on": ["31", "2", "2026"]}, ["The date received must be a real date"]),
    ({"received_on": ["1", "1", "0001"]}, ["The date received must be on or after 1 April 1990"]),
    ({"amount": "0"}, ["Enter an amount of more than £0"]),
    ({"amount": "-5"}, ["Enter an amount of more than £0"]),
    ({"financial_year": "2023/24"}, [
        "The financial year must be the one the money was received in (2025/26), or the year "
        "before or after it"]),
    ({"financial_year": "2025/27"}, [
        "Enter the financial year as 4 digits, a slash and 2 digits, like 2019/20"]),
    ({"financial_year": "２０２５/26"}, [
        "Enter the financial year as 4 digits, a slash and 2 digits, like 2019/20"]),
    ({"source": "x" * 201}, ["The source must be 200 characters or fewer"]),
])
def test_what_is_wrong_with_a_payment_in_is_said_on_its_field_and_nothing_is_saved(
        staff_client, ppaf, changes, messages):
    response = post_form(staff_client, f"/staff/funds/{ppaf.id}/money/new",
                         {**PAYMENT, **changes})

    assert response.status_code == 200
    assert error_messages(response.text) == messages
    assert "Error: Record money paid in" in response.text
    assert paid_in(ppaf) == []


def test_the_same_payment_in_sent_twice_is_recorded_once(staff_client, ppaf):
    path = f"/staff/funds/{ppaf.id}/money/new"
    assert post_form(staff_client, path, PAYMENT).status_code == 302

    response = post_form(staff_client, path, {**PAYMENT, "reference": PAYMENT["reference"]
                                              .upper()})

    assert error_messages(response.text) == [
        "£24,300.50 received on 15 July 2025 from Proceeds of property with this reference is "
        "already recorded"]
    assert len(paid_in(ppaf)) == 1


def test_the_money_page_shows_each_year_to_this_one_and_the_payments_in(
        staff_client, ppaf, pay_in, ppaf_round):
    pay_in(30_000, date(2024, 5, 1), reference="Proceeds of property, Q4 2023/24")
    ppaf_round("2025/26", 20_000)

    page = words(staff_client.get(f"/staff/funds/{ppaf.id}/money").text)

    assert ("2024/25 £0 £30,000 £0 £0 £0 £30,000 2025/26 £30,000 £0 £0 £20,000 £0 £10,000 "
            "2026/27 £10,000 £0 £0 £0 £0 £10,000") in page
    assert "1 May 2024 2024/25 £30,000 Proceeds of property Proceeds of property, Q4 2023/24" \
        in page
    assert "Rounds' budgets in this fund are limited by the money paid in" in page


def test_an_overcommitted_year_is_marked_and_an_unlimited_fund_says_it_is_not_limited(
        staff_client, csf, ppaf_round):
    ppaf_round("2026/27", 50_000, fund=csf)

    page = words(staff_client.get(f"/staff/funds/{csf.id}/money").text)

    assert "2026/27 £0 £0 £0 £50,000 £0 -£50,000 Overcommitted" in page
    assert "Rounds' budgets in this fund are not limited by the money paid in" in page
    assert "No money has been recorded as paid into the CSF yet" in page


def test_the_downloads_give_the_ledger_and_the_payments_in_with_cells_that_stay_text(
        staff_client, ppaf, pay_in, ppaf_round):
    pay_in(30_000, date(2025, 5, 1), reference="=HYPERLINK(\"http://x\")")
    ppaf_round("2025/26", 45_000)

    ledger = staff_client.get(f"/staff/funds/{ppaf.id}/money.csv")
    payments = staff_client.get(f"/staff/funds/{ppaf.id}/money/paid-in.csv")

    assert ledger.headers["Content-Disposition"] == 'attachment; filename="ledger-PPAF.csv"'
    assert ledger.text.splitlines() == [
        "\ufeffFinancial year,Brought forward,Paid in,Returned to the fund in the year,"
        "Committed by rounds,Paid out,Available",
        "2025/26,0.00,30000.00,0.00,45000.00,0.00,-15000.00",
        "2026/27,-15000.00,0.00,0.00,0.00,0.00,-15000.00"]
    assert payments.text.splitlines() == [
        "\ufeffDate received,Amount,Source,Reference,Financial year",
        "2025-05-01,30000.00,Proceeds of property,\"'=HYPERLINK(\"\"http://x\"\")\",2025/26"]


def test_the_funds_list_links_to_each_funds_money(staff_client, ppaf):
    assert f'href="/staff/funds/{ppaf.id}/money"' in staff_client.get("/staff/funds").text


def test_the_rounds_dashboard_and_the_years_report_show_the_funds_money(
        staff_client, ppaf, csf, pay_in, ppaf_round):
    pay_in(30_000, date(2026, 4, 20))
    ppaf_round("2026/27", 20_000)
    ppaf_round("2026/27", 400_000, fund=csf)  # not limited, nothing paid in: not shown

    dashboard = words(staff_client.get("/staff/?fund=all&year=2026/27").text)
    report = words(staff_client.get("/staff/reports/years/2026-27").text)
    fund_report = words(staff_client.get("/staff/reports/years/2026-27?fund=PPAF").text)

    row = "Police Property Act Fund £0 £30,000 £0 £20,000 £0 £10,000"
    assert "Money of every fund in 2026/27 Fund Brought forward" in dashboard
    assert row in dashboard and "Community Safety Fund £0" not in dashboard
    assert "The funds' money in 2026/27" in report and row in report
    assert "The fund's money in 2026/27" in fund_report and row in fund_report
    assert "Community Safety Fund £0" not in report


def test_a_years_report_as_json_holds_the_years_ledger(runner, ppaf, pay_in, ppaf_round):
    pay_in(30_000, date(2026, 4, 20))
    ppaf_round("2026/27", 20_000)

    result = runner.invoke(args=["report", "year", "2026/27", "--fund", "PPAF"])

    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["money"] == [{
        "fund": "PPAF", "financial_year": "2026/27", "brought_forward_pence": 0,
        "paid_in_pence": 30_000_00, "returned_pence": 0, "committed_pence": 20_000_00,
        "paid_out_pence": 0, "available_pence": 10_000_00}]
