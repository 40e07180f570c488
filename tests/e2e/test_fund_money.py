"""In the browser: staff find a fund's money from the funds list, record a payment in (after a
mistake), import more from a CSV file (after a file with a problem), download the money by
year, and limit the fund's budgets to it. Every page passes axe-core at WCAG 2.2 A and AA."""

import csv
import io
from pathlib import Path

from playwright.sync_api import Page, expect

from grants.accounts.models import Role
from tests.e2e.test_pages_accessibility import sign_in


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def fill_date(page: Page, legend: str, day: str, month: str, year: str) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def test_staff_record_import_and_download_a_funds_money(
        page: Page, check_accessibility, save, user_factory, fund_factory, tmp_path):
    user_factory(roles=[Role.STAFF], email="officer@example.org")
    fund_factory(code="PPAF", name="Police Property Act Fund")
    save()
    sign_in(page, "officer@example.org")

    page.goto("/staff/funds")
    page.get_by_role("link", name="Money paid in to the Police Property Act Fund").click()
    expect(heading(page)).to_have_text("Money paid in")
    expect(page.get_by_text("No money has been recorded as paid into the PPAF yet")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("link", name="Record money paid in").click()
    expect(heading(page)).to_have_text("Record money paid in")
    check_accessibility(page)
    page.get_by_role("button", name="Record money paid in").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the date the money was received")
    expect(page).to_have_title("Error: Record money paid in: Police Property Act Fund — "
                               "Thames Valley Police and Crime Commissioner — Grants")
    check_accessibility(page)
    fill_date(page, "Date received", "15", "7", "2019")
    page.get_by_label("Amount").fill("82,000")
    page.get_by_label("Source").fill("Proceeds of property")
    page.get_by_label("Reference").fill("Proceeds of property, Q1 2019/20")
    page.get_by_role("button", name="Record money paid in").click()
    expect(page.get_by_text("£82,000 received on 15 July 2019 recorded in 2019/20")
           ).to_be_visible()
    check_accessibility(page)  # the ledger by year and the payment in

    page.get_by_role("link", name="Import from a CSV file").click()
    expect(heading(page)).to_have_text("Import money paid in")
    check_accessibility(page)
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("Date received,Amount,Source,Reference\n"
                     "15/10/2019,lots,Proceeds of property,Q2 2019/20\n")
    page.get_by_label("Upload a CSV file").set_input_files(wrong)
    page.get_by_role("button", name="Import money paid in").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Row 2, Amount: 'lots' is not an amount in pounds")
    check_accessibility(page)
    right = tmp_path / "paid-in.csv"
    right.write_text("Date received,Amount,Source,Reference,Financial year\n"
                     "15/10/2019,96500,Proceeds of property,Q2 2019/20,\n"
                     "15/04/2020,89800,Proceeds of property,Q4 2019/20,2019/20\n")
    page.get_by_label("Upload a CSV file").set_input_files(right)
    page.get_by_role("button", name="Import money paid in").click()
    expect(page.get_by_text("2 payments in, £186,300 in all, imported from paid-in.csv")
           ).to_be_visible()
    expect(page.get_by_role("table", name="The PPAF's money by financial year")
           ).to_contain_text("2019/20 £0 £268,300")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the money by financial year as CSV").click()
    text = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert (rows[0]["Financial year"], rows[0]["Paid in"], rows[0]["Available"]) == (
        "2019/20", "268300.00", "268300.00")

    page.get_by_role("link", name="Change the fund").click()
    expect(heading(page)).to_have_text("Change Police Property Act Fund")
    page.get_by_label("Yes: a round's budget, or a rise in it, must fit").check()
    check_accessibility(page)
    page.get_by_role("button", name="Save fund").click()
    page.get_by_role("link", name="Money paid in to the Police Property Act Fund").click()
    expect(page.get_by_text("Rounds' budgets in this fund are limited by the money paid in")
           ).to_be_visible()
