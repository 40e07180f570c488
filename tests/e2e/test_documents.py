"""Documents in the browser: an applicant uploads one to an application after a refused
attempt, downloads it and removes it; an organisation keeps its documents on its own page and
an application uses one, on a phone, by keyboard alone for the file chooser. Every page
passes axe-core with and without an error shown, at a phone's width and a desktop's: each kind
once here (an application's documents empty and refused are checked by the applicant's journey
at a phone's width and by the year story at a desktop's)."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from grants.core import clock
from grants.core.formatting import format_london_date
from tests.e2e.story_checks import VIEWPORTS, too_wide
from tests.e2e.story_documents import date_boxes
from tests.e2e.test_keyboard import Keyboard
from tests.e2e.without_pages import sign_in_without_pages

# Driven on a phone; each page is checked with axe at a desktop's width too.
pytestmark = pytest.mark.both_widths

PDF = b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"


def _applicant_with_a_draft(user_factory, organisation_factory, membership_factory,
                            round_factory, application_factory, email: str) -> tuple[int, int]:
    applicant = user_factory(email=email)
    organisation = organisation_factory(name="Reading Street Support")
    membership_factory(user=applicant, organisation=organisation)
    open_round = round_factory(launched_at=datetime.now(UTC) - timedelta(days=20))
    application = application_factory(organisation=organisation, round=open_round,
                                      created_by=applicant)
    return organisation.id, application.id


def test_an_applicant_uploads_downloads_and_removes_a_document(
    page: Page, save, app, tmp_path, monkeypatch, user_factory,
    organisation_factory, membership_factory, round_factory, application_factory
):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    _, application_id = _applicant_with_a_draft(
        user_factory, organisation_factory, membership_factory, round_factory,
        application_factory, "applicant@example.org")
    save()

    sign_in_without_pages(page, "applicant@example.org")
    page.goto(f"/applications/{application_id}/documents")
    expect(page.get_by_role("heading", level=1)).to_have_text("Documents")

    # A PNG renamed .pdf, without its date: both refused, clearly.
    page.get_by_label("Upload your safeguarding policy").set_input_files(files=[{
        "name": "policy.pdf", "mimeType": "application/pdf",
        "buffer": b"\x89PNG\r\n\x1a\n" + bytes(32)}])
    page.get_by_role("button", name="Save and come back later").click()
    expect(page).to_have_title(re.compile(r"^Error: Documents"))
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Enter the date your safeguarding policy was last reviewed")
    expect(summary).to_contain_text("The selected file is not a real PDF file")

    page.get_by_label("Upload your safeguarding policy").set_input_files(files=[{
        "name": "Safeguarding policy.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    for box, value in date_boxes(page, "safeguarding_policy"):
        box.fill(str(value))
    page.get_by_label("No, use them for this application only").check()
    page.get_by_role("button", name="Save and come back later").click()
    page.goto(f"/applications/{application_id}/documents")
    expect(page.get_by_role("link", name=re.compile(r"^Safeguarding policy\.pdf"))
           ).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Safeguarding policy\.pdf")).click()
    download = download_info.value
    assert download.suggested_filename == "Safeguarding policy.pdf"
    assert Path(download.path()).read_bytes() == PDF

    page.get_by_role("button", name="Remove Safeguarding policy.pdf").click()
    expect(page.get_by_text("Safeguarding policy removed: Safeguarding policy.pdf")
           ).to_be_visible()
    expect(page.get_by_text("Not uploaded")).to_have_count(3)
    assert not any(path.is_file() for path in (tmp_path / "uploads").rglob("*"))


def test_an_organisation_keeps_a_document_and_an_application_uses_it(
    viewport, browser: Browser, live_server, check_accessibility, accessibility_checks, save,
    app, tmp_path, monkeypatch, user_factory, organisation_factory, membership_factory,
    round_factory, application_factory
):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    organisation_id, application_id = _applicant_with_a_draft(
        user_factory, organisation_factory, membership_factory, round_factory,
        application_factory, f"keeper.{viewport}@example.org")
    save()
    page = browser.new_context(base_url=live_server, viewport=VIEWPORTS[viewport]).new_page()
    keys = Keyboard(page)
    sign_in_without_pages(page, f"keeper.{viewport}@example.org")

    page.goto(f"/organisations/{organisation_id}")
    keys.activate(page.get_by_role("link", name="Organisation documents"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisation documents")

    # Saved with no file chosen: the summary says what to do.
    keys.activate(page.get_by_role("button", name="Save documents"))
    expect(page).to_have_title(re.compile(r"^Error: Organisation documents"))
    expect(page.get_by_role("alert")).to_contain_text("Select a file to upload")
    check_accessibility(page)

    # The file chooser reached by Tab; the file given to it there, then its date typed.
    file_box = page.get_by_label("Upload your safeguarding policy")
    keys.tab_to(file_box)
    expect(file_box).to_be_focused()
    page.locator(":focus").set_input_files(
        {"name": "Safeguarding policy.pdf", "mimeType": "application/pdf", "buffer": PDF})
    for box, value in date_boxes(page, "safeguarding_policy"):
        keys.type_into(box, str(value))
    keys.activate(page.get_by_role("button", name="Save documents"))
    expect(page.get_by_text("Saved for your applications: Safeguarding policy.pdf")
           ).to_be_visible()
    expect(page.get_by_text(re.compile(r"Good for applications until"))).to_be_visible()
    check_accessibility(page)
    result = too_wide(page)
    assert result["scrollWidth"] <= result["width"], f"{page.url} scrolls sideways: {result}"

    page.goto(f"/applications/{application_id}/documents")
    given = format_london_date(clock.today_in_london())
    use = page.get_by_role("button", name=f"Use the safeguarding policy you gave on {given}")
    keys.activate(use)
    expect(page.get_by_text("Safeguarding policy added: Safeguarding policy.pdf")
           ).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^Safeguarding policy\.pdf"))
           ).to_be_visible()
    expect(page.get_by_text("Replace your safeguarding policy")).to_be_visible()
    accessibility_checks(page)  # at a desktop's width the year story checks this page
    result = too_wide(page)
    assert result["scrollWidth"] <= result["width"], f"{page.url} scrolls sideways: {result}"
    page.context.close()
