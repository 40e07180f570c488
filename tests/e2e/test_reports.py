"""In the browser: staff choose a round's report and a year's, download each CSV, and read the
progress report paragraphs. Every report page passes axe-core."""

import csv
import io
from pathlib import Path

from playwright.sync_api import Page, expect

from grants.accounts.models import Role
from tests.e2e.test_pages_accessibility import sign_in
from tests.reports.report_data import build_report_data


def download_csv(page: Page, link_name: str) -> list[dict]:
    with page.expect_download() as download_info:
        page.get_by_role("link", name=link_name).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_staff_open_each_report_page_and_download_its_csv(page: Page, check_accessibility,
                                                           save, user_factory):
    user_factory(roles=[Role.STAFF], email="officer@example.org")
    build_report_data()
    save()

    sign_in(page, "officer@example.org")
    page.get_by_role("link", name="Reports").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    check_accessibility(page)

    # A badly written choice cannot be made from the lists; an unknown fund in the address
    # shows the error summary.
    page.goto("/staff/reports/?year=2019/20&fund=XYZ")
    expect(page.get_by_role("alert")).to_contain_text("There is no fund with the code 'XYZ'")
    check_accessibility(page)

    page.goto("/staff/reports/")
    page.get_by_label("Round").select_option(label="PPAF 2019/20 Round 1 (PPAF-2019-1)")
    page.get_by_role("button", name="Show the round's report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report: PPAF 2019/20 Round 1")
    expect(page.get_by_role("img", name="Amount awarded for each primary priority")).to_be_visible()
    expect(page.get_by_role("table", name="Awards by primary priority: figures")).to_contain_text(
        "£13,000")
    check_accessibility(page)
    rows = download_csv(page, "Download the figures as CSV")
    assert (rows[0]["breakdown"], rows[0]["amount_awarded_pounds"]) == ("total", "13000.00")

    page.goto("/staff/reports/")
    page.get_by_label("Financial year").select_option("2019/20")
    page.get_by_label("Fund").select_option(label="Police Property Act Fund (PPAF)")
    page.get_by_role("button", name="Show the year's report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Report: Police Property Act Fund, 2019/20")
    expect(page.get_by_role("table", name="High Sheriff awards by county: figures")
           ).to_contain_text("Oxfordshire")
    check_accessibility(page)
    rows = download_csv(page, "Download the figures as CSV")
    assert (rows[0]["awards"], rows[0]["amount_awarded_pounds"]) == ("4", "18000.00")

    page.get_by_role("link", name="Paragraphs for the Commissioner's progress report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Progress report paragraphs")
    expect(page.locator("p", has_text="In August 2019, £13,000 was awarded to 2 charities")
           ).to_be_visible()
    expect(page.get_by_label("The same as plain text")).to_contain_text(
        "Progress by key aim")
    check_accessibility(page)
