"""The public register of awards in a real browser: filter, page through, download the
360Giving data, with no WCAG 2.2 A or AA failures."""

import json
import re

from playwright.sync_api import Page, expect

from grants.demo.operations.history import load_history
from grants.extensions import db
from grants.reference.operations.seed import seed_reference


def test_anyone_filters_the_register_and_downloads_its_360giving_data(
        page: Page, check_accessibility, save):
    seed_reference(db.session)
    load_history(db.session)
    save()

    page.goto("/")
    page.get_by_role("link", name="Grants awarded").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grants awarded")
    expect(page.get_by_role("heading", name="80 grants")).to_be_visible()
    check_accessibility(page)

    page.get_by_label("Financial year").select_option("2019/20")
    page.get_by_label("Area served").select_option(label="Oxford")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"/awards\?year=2019%2F20&.*area=E07000178"))
    expect(page.get_by_role("combobox", name="Area served")).to_have_value("E07000178")
    check_accessibility(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="JSON").click()
    package = json.loads(open(download_info.value.path()).read())
    assert package["grants"]
    assert all(any(location.get("geoCode") == "E07000178"
                   for location in grant["beneficiaryLocation"])
               for grant in package["grants"])

    page.goto("/awards?page=2")
    expect(page.get_by_text("Page 2 of 4")).to_be_visible()
    check_accessibility(page)
