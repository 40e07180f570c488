"""An applicant uploads a document in the browser, after a refused attempt, downloads it and
removes it. The page passes axe-core with and without an error shown."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.test_pages_accessibility import sign_in

PDF = b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"


def test_an_applicant_uploads_downloads_and_removes_a_document(
    page: Page, check_accessibility, save, app, tmp_path, monkeypatch, user_factory,
    organisation_factory, membership_factory, round_factory, application_factory
):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    applicant = user_factory(email="applicant@example.org")
    organisation = organisation_factory(name="Reading Street Support")
    membership_factory(user=applicant, organisation=organisation)
    open_round = round_factory(launched_at=datetime.now(UTC) - timedelta(days=20))
    application_id = application_factory(organisation=organisation, round=open_round,
                                         created_by=applicant).id
    save()

    sign_in(page, "applicant@example.org")
    page.goto(f"/applications/{application_id}/documents")
    expect(page.get_by_role("heading", level=1)).to_have_text("Documents")
    check_accessibility(page)

    # A PNG renamed .pdf, and no kind chosen: both refused, clearly.
    page.get_by_label("Upload a file").set_input_files(files=[{
        "name": "policy.pdf", "mimeType": "application/pdf",
        "buffer": b"\x89PNG\r\n\x1a\n" + bytes(32)}])
    page.get_by_role("button", name="Upload file").click()
    expect(page).to_have_title(re.compile(r"^Error: Documents"))
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Select which document you are uploading")
    expect(summary).to_contain_text("The selected file is not a real PDF file")
    check_accessibility(page)

    page.get_by_label("Safeguarding policy", exact=True).check()
    page.get_by_label("Upload a file").set_input_files(files=[{
        "name": "Safeguarding policy.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_role("button", name="Upload file").click()
    expect(page.get_by_text("Safeguarding policy uploaded: Safeguarding policy.pdf")
           ).to_be_visible()
    check_accessibility(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Safeguarding policy\.pdf")).click()
    download = download_info.value
    assert download.suggested_filename == "Safeguarding policy.pdf"
    assert Path(download.path()).read_bytes() == PDF

    page.get_by_role("button", name="Remove safeguarding policy").click()
    expect(page.get_by_text("Safeguarding policy removed: Safeguarding policy.pdf")
           ).to_be_visible()
    expect(page.get_by_text("Not uploaded")).to_have_count(3)
    assert not any(path.is_file() for path in (tmp_path / "uploads").rglob("*"))
