"""Hostile uploads through the documents page: each is refused on the field (or stored under
a safe name), never a 500, never a partial save. The checks themselves are tested in
tests/applications/test_documents_checks.py; this drives the page with what an attacker sends."""

import pytest

from tests.applications.conftest import (  # noqa: F401 (fixtures used by name)
    draft,
    fixed_clock,
    member,
    open_round,
    organisation,
)
from tests.applications.test_documents_checks import make_docx, make_pdf, make_png
from tests.applications.test_documents_pages import (
    SAFEGUARDING,
    documents_of,
    stored_files,
    upload,
    uploads,  # noqa: F401 (autouse: a folder of the test's own)
)

FORMATS = "The selected file must be a PDF, DOCX, XLSX, ODT, PNG or JPG"


@pytest.mark.parametrize(("filename", "make", "message"), [
    pytest.param("policy.pdf", lambda: b"", "The selected file is empty", id="zero-bytes"),
    pytest.param("policy.png", make_pdf, "", id="pdf-named-png"),
    pytest.param("policy.pdf", lambda: b"<html><script>alert(1)</script></html>", "",
                 id="html-named-pdf"),
    pytest.param("policy.docx", lambda: b"PK\x03\x04 not really an archive", "",
                 id="broken-zip-named-docx"),
    pytest.param("policy.docx", make_pdf, "", id="pdf-named-docx"),
    pytest.param("policy.xlsx", make_docx, "", id="docx-named-xlsx"),
    pytest.param("policy.pdf.exe", make_pdf, FORMATS, id="double-extension"),
    pytest.param("policy", make_pdf, FORMATS, id="no-extension"),
    pytest.param("policy.svg", lambda: b"<svg onload='alert(1)'/>", FORMATS, id="svg"),
    pytest.param("policy.html", lambda: b"<script>alert(1)</script>", FORMATS, id="html"),
])
def test_a_hostile_file_is_refused_on_the_field_and_nothing_is_kept(
    filename, make, message, draft, member, sign_in_as, db_session, uploads  # noqa: F811
):
    client = sign_in_as(member)

    response = upload(client, draft, SAFEGUARDING, filename, make())

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="safeguarding_policy_file-error"' in html
    assert message in html
    assert documents_of(db_session, draft) == []
    assert stored_files(uploads) == []


@pytest.mark.parametrize("filename", [
    pytest.param("../../../../etc/passwd.pdf", id="traversal"),
    pytest.param("..\\..\\windows\\system32\\policy.pdf", id="windows-traversal"),
    pytest.param("/absolute/policy.pdf", id="absolute"),
    pytest.param("policy\x00.pdf", id="nul"),
    pytest.param("\u202eFDP.exe.pdf", id="right-to-left-override"),
    pytest.param("<script>alert(1)</script>.pdf", id="markup"),
    pytest.param("a" * 5000 + ".pdf", id="very-long"),
])
def test_a_hostile_name_is_stored_inside_the_folder_and_shown_harmlessly(
    filename, draft, member, sign_in_as, db_session, uploads  # noqa: F811
):
    client = sign_in_as(member)

    response = upload(client, draft, SAFEGUARDING, filename, make_pdf())

    assert response.status_code == 302
    page = client.get(f"/applications/{draft.id}/documents").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    [document] = documents_of(db_session, draft)
    for dangerous in ("/", "\\", "\x00", "\u202e", "<"):
        assert dangerous not in document.original_filename
    assert document.original_filename.endswith(".pdf")
    assert len(document.original_filename) <= 255
    for path in stored_files(uploads):
        assert path.is_relative_to(uploads)
        assert path.name not in filename


def test_a_png_with_a_pdf_content_type_claim_is_stored_as_what_it_is(
    draft, member, sign_in_as, db_session  # noqa: F811
):
    client = sign_in_as(member)

    upload(client, draft, SAFEGUARDING, "logo.png", make_png(), content_type="application/pdf")

    [document] = documents_of(db_session, draft)
    assert document.content_type == "image/png"
