"""The documents section: uploading, replacing, removing and downloading an application's files,
and who may do each."""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from grants.accounts.models import Role
from grants.applications.models import (
    ApplicationStatus,
    Document,
    DocumentKind,
    SectionStatus,
)
from grants.applications.operations import documents as document_services
from grants.applications.operations.loading import section_status as status_of_section
from grants.core import clock
from grants.documents.operations.checks import check_file
from grants.documents.operations.downloads import size_text
from grants.documents.operations.storage import LocalFolderStorage
from grants.records.models import AuditEvent
from tests.applications.conftest import NOW
from tests.applications.test_documents_checks import (
    MB,
    make_docx,
    make_pdf,
    make_png,
    make_xlsx,
    make_zip_bomb_docx,
)
from tests.fixtures.auth import csrf_token_for

SAFEGUARDING = DocumentKind.SAFEGUARDING_POLICY.value
ACCOUNTS = DocumentKind.LATEST_ACCOUNTS.value
GOVERNING = DocumentKind.GOVERNING_DOCUMENT.value


@pytest.fixture(autouse=True)
def uploads(app, tmp_path, monkeypatch) -> Path:
    """Each test stores its files in a folder of its own."""
    folder = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(folder))
    return folder


def stored_files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.exists() else []


def documents_page(application) -> str:
    return f"/applications/{application.id}/documents"


# A date each dated kind is good on: a month before the tests' day.
DATED = {SAFEGUARDING, ACCOUNTS, GOVERNING}


def date_boxes(day) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def upload(client, application, kind: str, filename: str | None, data: bytes = b"",
           *, action: str = "upload", content_type: str | None = None, dated=None,
           keep: str | None = "no"):
    """Post one file of a kind (with its date, a month old unless `dated` says otherwise)."""
    path = documents_page(application)
    form = {"csrf_token": csrf_token_for(client, path), "action": action}
    if filename is not None:
        form[f"{kind}_file"] = (io.BytesIO(data), filename, content_type)
    if kind in DATED:
        form[f"{kind}_date"] = date_boxes(dated or (NOW - timedelta(days=30)).date())
    if keep is not None:
        form["keep"] = keep
    return client.post(path, data=form, content_type="multipart/form-data")


def documents_of(db_session, application) -> list[Document]:
    return db_session.scalars(select(Document).where(
        Document.application_id == application.id).order_by(Document.id)).all()


def events(db_session, action: str) -> list[AuditEvent]:
    return db_session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def section_status(db_session, application) -> SectionStatus:
    db_session.expire_all()
    return status_of_section(application, "documents")


def page_text(response) -> str:
    return response.get_data(as_text=True)


# --- Uploading ----------------------------------------------------------------------------

def test_a_member_uploads_a_document_which_is_stored_under_a_random_name(
    draft, member, sign_in_as, db_session, uploads
):
    client = sign_in_as(member)
    pdf = make_pdf()

    response = upload(client, draft, SAFEGUARDING, "Safeguarding policy.pdf", pdf)

    assert response.status_code == 302
    assert response.headers["Location"] == documents_page(draft)
    [document] = documents_of(db_session, draft)
    assert document.kind is DocumentKind.SAFEGUARDING_POLICY
    assert document.original_filename == "Safeguarding policy.pdf"
    assert (document.content_type, document.size_bytes) == ("application/pdf", len(pdf))
    assert document.uploaded_by_id == member.id and document.uploaded_at == NOW
    assert re.fullmatch(r"[0-9a-f]{32}", document.storage_key)
    [stored] = stored_files(uploads)
    assert stored.name == document.storage_key and stored.read_bytes() == pdf
    page = page_text(client.get(response.headers["Location"]))
    assert "Safeguarding policy uploaded: Safeguarding policy.pdf" in page
    assert "Safeguarding policy.pdf" in page and "Remove" in page
    assert section_status(db_session, draft) is SectionStatus.IN_PROGRESS


def test_an_upload_is_recorded_with_its_kind_and_name_but_not_its_content(
    draft, member, sign_in_as, db_session
):
    client = sign_in_as(member)

    upload(client, draft, ACCOUNTS, "accounts.xlsx", make_xlsx())

    [event] = events(db_session, "application.document_uploaded")
    assert (event.actor_id, event.entity_type, event.entity_id) == (member.id, "application",
                                                                    draft.id)
    assert event.after["kind"] == "latest_accounts"
    assert event.after["filename"] == "accounts.xlsx"
    assert "xl/workbook.xml" not in str(event.after)


def test_the_content_type_stored_is_the_one_the_content_shows_not_the_browsers_claim(
    draft, member, sign_in_as, db_session
):
    client = sign_in_as(member)

    upload(client, draft, GOVERNING, "constitution.docx", make_docx(),
           content_type="text/html")

    [document] = documents_of(db_session, draft)
    assert document.content_type == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def test_a_path_traversal_name_is_stored_inside_the_folder_and_shown_as_its_last_part(
    draft, member, sign_in_as, db_session, uploads
):
    client = sign_in_as(member)

    upload(client, draft, SAFEGUARDING, "../../../etc/passwd.pdf", make_pdf())

    [document] = documents_of(db_session, draft)
    assert document.original_filename == "passwd.pdf"
    [stored] = stored_files(uploads)
    assert stored.resolve().is_relative_to(uploads.resolve())


def test_a_very_long_name_is_kept_as_its_first_100_characters_with_the_extension(
    draft, member, sign_in_as, db_session
):
    client = sign_in_as(member)

    upload(client, draft, SAFEGUARDING, "Safeguarding policy " * 30 + ".pdf", make_pdf())

    [document] = documents_of(db_session, draft)
    assert document.original_filename == ("Safeguarding policy " * 30)[:96] + ".pdf"
    assert len(document.original_filename) == 100


def test_staff_uploading_for_an_organisation_is_recorded_as_assisted_digital(
    draft, sign_in_as, db_session, user_factory
):
    staff = sign_in_as(user_factory(roles=[Role.STAFF]))

    upload(staff, draft, SAFEGUARDING, "policy.pdf", make_pdf())

    [event] = events(db_session, "application.document_uploaded")
    assert event.note.startswith("assisted digital")


def test_uploading_a_kind_again_replaces_the_document_and_deletes_the_old_file(
    draft, member, sign_in_as, db_session, uploads
):
    client = sign_in_as(member)
    upload(client, draft, SAFEGUARDING, "old policy.pdf", make_pdf())
    [old] = documents_of(db_session, draft)
    old_key = old.storage_key

    upload(client, draft, SAFEGUARDING, "new policy.pdf", make_pdf(padding=10))

    [new] = documents_of(db_session, draft)
    assert new.original_filename == "new policy.pdf"
    assert [path.name for path in stored_files(uploads)] == [new.storage_key]
    assert new.storage_key != old_key
    [event] = events(db_session, "application.document_replaced")
    assert event.before["filename"] == "old policy.pdf"
    assert event.after["filename"] == "new policy.pdf"


def test_a_replacement_that_does_not_commit_keeps_the_old_file_and_drops_the_new(
    draft, member, db_session, uploads
):
    storage = LocalFolderStorage(uploads)
    checked = check_file("old.pdf", io.BytesIO(make_pdf()))
    old = document_services.upload_document(db_session, storage, member, draft,
                                            DocumentKind.SAFEGUARDING_POLICY, checked)
    old_key = old.storage_key
    db_session.commit()

    replacement = check_file("new.pdf", io.BytesIO(make_pdf(padding=5)))
    document_services.upload_document(db_session, storage, member, draft,
                                      DocumentKind.SAFEGUARDING_POLICY, replacement)
    db_session.rollback()

    [document] = documents_of(db_session, draft)
    assert document.storage_key == old_key
    assert [path.name for path in stored_files(uploads)] == [old_key]


@pytest.mark.parametrize("kind,filename,make,field,message", [
    pytest.param(SAFEGUARDING, "policy.pdf", make_png, "file",
                 "The selected file is not a real PDF file", id="png-named-pdf"),
    pytest.param(SAFEGUARDING, "policy.pdf",
                 lambda: make_pdf(padding=10 * MB + 1 - len(make_pdf())), "file",
                 "The selected file must be smaller than 10MB", id="10mb-and-1-byte"),
    pytest.param(SAFEGUARDING, "policy.pdf", bytes, "file",
                 "The selected file is empty", id="zero-bytes"),
    pytest.param(SAFEGUARDING, None, bytes, "file", "Select a file to upload",
                 id="no-file"),
    pytest.param(SAFEGUARDING, "", bytes, "file", "Select a file to upload",
                 id="no-file-chosen"),
    pytest.param(SAFEGUARDING, "policy.exe", make_pdf, "file",
                 "The selected file must be a PDF, DOCX, XLSX, ODT, PNG or JPG", id="exe"),
    pytest.param(SAFEGUARDING, "constitution.docx", lambda: make_zip_bomb_docx(5),
                 "file", "unpacks to far more than its size", id="zip-bomb"),
])
def test_a_refused_upload_is_explained_in_the_summary_and_on_the_field(
    kind, filename, make, field, message, draft, member, sign_in_as, db_session, uploads
):
    field = f"{kind}_{field}"
    client = sign_in_as(member)

    response = upload(client, draft, kind, filename, make())

    page = page_text(response)
    assert response.status_code == 200
    assert "<title>Error: Documents" in page
    summary = page[page.index("govuk-error-summary"):page.index("<h1")]
    assert message in summary and f'href="#{field}"' in summary
    assert re.search(rf'id="{field}-error"[^>]*>\s*<span class="govuk-visually-hidden">'
                     rf"Error:</span>[^<]*{re.escape(message)}", page)
    assert documents_of(db_session, draft) == []
    assert stored_files(uploads) == []


def test_a_request_bigger_than_the_limit_gets_the_file_too_big_page(draft, member, sign_in_as,
                                                                   db_session):
    client = sign_in_as(member)

    response = upload(client, draft, SAFEGUARDING, "policy.pdf", make_pdf(padding=11 * MB))

    assert response.status_code == 413
    assert "The file you sent is too big" in page_text(response)
    assert "smaller than 10MB" in page_text(response)
    assert documents_of(db_session, draft) == []


def test_a_file_chosen_before_save_and_continue_is_uploaded_not_lost(draft, member, sign_in_as,
                                                                    db_session):
    client = sign_in_as(member)

    response = upload(client, draft, ACCOUNTS, "accounts.xlsx", make_xlsx(), action="continue")

    assert [doc.original_filename for doc in documents_of(db_session, draft)] == [
        "accounts.xlsx"]
    page = page_text(response)
    summary = page[page.index("govuk-error-summary"):page.index("<h1")]
    assert ('href="#safeguarding_policy_file">Upload your safeguarding policy' in summary
            and 'href="#governing_document_file">Upload your governing document' in summary)


# --- Completing the section ---------------------------------------------------------------

def test_the_section_is_completed_only_when_all_three_documents_are_there(
    draft, member, sign_in_as, db_session
):
    client = sign_in_as(member)
    upload(client, draft, SAFEGUARDING, "policy.pdf", make_pdf())
    upload(client, draft, ACCOUNTS, "accounts.xlsx", make_xlsx())

    missing_one = upload(client, draft, None, None, action="continue")

    page = page_text(missing_one)
    assert "<title>Error: Documents" in page
    assert "Upload your governing document" in page
    assert section_status(db_session, draft) is SectionStatus.IN_PROGRESS

    upload(client, draft, GOVERNING, "constitution.docx", make_docx())
    complete = upload(client, draft, None, None, action="continue")

    assert complete.status_code == 302
    assert section_status(db_session, draft) is SectionStatus.COMPLETED


def test_save_and_come_back_later_leaves_the_section_in_progress(draft, member, sign_in_as,
                                                                  db_session):
    client = sign_in_as(member)
    for kind, name, data in [(SAFEGUARDING, "p.pdf", make_pdf()),
                             (ACCOUNTS, "a.xlsx", make_xlsx()),
                             (GOVERNING, "g.docx", make_docx())]:
        upload(client, draft, kind, name, data)

    response = upload(client, draft, None, None, action="later")

    assert response.headers["Location"] == f"/applications/{draft.id}"
    assert section_status(db_session, draft) is SectionStatus.IN_PROGRESS


def test_removing_a_document_puts_a_completed_section_back_in_progress(
    draft, member, sign_in_as, db_session
):
    client = sign_in_as(member)
    for kind, name, data in [(SAFEGUARDING, "p.pdf", make_pdf()),
                             (ACCOUNTS, "a.xlsx", make_xlsx()),
                             (GOVERNING, "g.docx", make_docx())]:
        upload(client, draft, kind, name, data)
    upload(client, draft, None, None, action="continue")
    assert section_status(db_session, draft) is SectionStatus.COMPLETED
    document = documents_of(db_session, draft)[0]

    remove(client, draft, document)

    assert section_status(db_session, draft) is SectionStatus.IN_PROGRESS


def test_the_task_list_links_to_the_documents_page(draft, member, sign_in_as):
    page = page_text(sign_in_as(member).get(f"/applications/{draft.id}"))

    assert f'href="/applications/{draft.id}/documents' in page


# --- Removing -----------------------------------------------------------------------------

def remove(client, application, document):
    token = csrf_token_for(client, documents_page(application))
    return client.post(f"/applications/{application.id}/documents/{document.id}/remove",
                       data={"csrf_token": token})


def test_a_member_removes_a_document_and_its_file(draft, member, sign_in_as, db_session,
                                                  uploads):
    client = sign_in_as(member)
    upload(client, draft, SAFEGUARDING, "policy.pdf", make_pdf())
    [document] = documents_of(db_session, draft)
    document_id = document.id

    response = remove(client, draft, document)

    assert response.headers["Location"] == documents_page(draft)
    assert documents_of(db_session, draft) == []
    assert stored_files(uploads) == []
    [event] = events(db_session, "application.document_removed")
    assert event.before == {"document_id": document_id, "kind": "safeguarding_policy",
                            "filename": "policy.pdf", "size_bytes": len(make_pdf()),
                            "sha256": document.sha256}
    assert "Safeguarding policy removed" in page_text(client.get(documents_page(draft)))


def test_removal_is_refused_once_the_application_is_submitted(draft, member, sign_in_as,
                                                              db_session, uploads):
    client = sign_in_as(member)
    upload(client, draft, SAFEGUARDING, "policy.pdf", make_pdf())
    [document] = documents_of(db_session, draft)
    token = csrf_token_for(client, documents_page(draft))
    draft.status = ApplicationStatus.SUBMITTED
    db_session.commit()

    response = client.post(f"/applications/{draft.id}/documents/{document.id}/remove",
                           data={"csrf_token": token})

    assert response.status_code == 403
    assert len(documents_of(db_session, draft)) == 1
    assert len(stored_files(uploads)) == 1
    page = page_text(client.get(documents_page(draft)))
    assert "policy.pdf" in page and "Remove" not in page and "Upload documents" not in page


def test_nothing_is_uploaded_or_removed_after_the_round_closes(
    draft, member, sign_in_as, db_session, open_round, monkeypatch, uploads
):
    open_round.closes_at = NOW + timedelta(minutes=5)
    client = sign_in_as(member)
    upload(client, draft, SAFEGUARDING, "policy.pdf", make_pdf())
    [document] = documents_of(db_session, draft)
    token = csrf_token_for(client, documents_page(draft))
    monkeypatch.setattr(clock, "utcnow", lambda: open_round.closes_at + timedelta(seconds=1))

    uploaded = client.post(documents_page(draft), content_type="multipart/form-data", data={
        "csrf_token": token, "action": "upload", "keep": "no",
        "latest_accounts_file": (io.BytesIO(make_xlsx()), "accounts.xlsx"),
        "latest_accounts_date": date_boxes(NOW.date() - timedelta(days=60))})
    removed = client.post(f"/applications/{draft.id}/documents/{document.id}/remove",
                          data={"csrf_token": token})

    assert uploaded.status_code == removed.status_code == 302
    assert "This round closed at" in page_text(client.get(uploaded.headers["Location"]))
    assert [doc.id for doc in documents_of(db_session, draft)] == [document.id]
    assert len(stored_files(uploads)) == 1
    page = page_text(client.get(documents_page(draft)))
    assert "This round closed at" in page and "Upload documents" not in page


# --- Downloading --------------------------------------------------------------------------

def download_path(application, document) -> str:
    return f"/applications/{application.id}/documents/{document.id}"


@pytest.mark.parametrize("size,text", [
    (1, "1 byte"), (512, "512 bytes"), (12 * 1024, "12KB"), (MB, "1MB"),
    (int(2.5 * MB), "2.5MB"), (10 * MB, "10MB"),
])
def test_sizes_are_shown_as_people_read_them(size, text):
    assert size_text(size) == text


def test_a_member_downloads_a_document_as_an_attachment_that_no_cache_keeps(
    draft, member, sign_in_as, db_session
):
    client = sign_in_as(member)
    pdf = make_pdf(padding=3)
    upload(client, draft, SAFEGUARDING, "Safeguarding policy.pdf", pdf)
    [document] = documents_of(db_session, draft)

    response = client.get(download_path(draft, document))

    assert response.status_code == 200
    assert response.data == pdf
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="Safeguarding policy.pdf"')
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def test_a_name_with_accents_is_sent_in_rfc_5987_form(draft, member, sign_in_as, db_session):
    client = sign_in_as(member)
    upload(client, draft, SAFEGUARDING, "Politique de sécurité.pdf", make_pdf())
    [document] = documents_of(db_session, draft)

    response = client.get(download_path(draft, document))

    assert "filename*=UTF-8''Politique%20de%20s%C3%A9curit%C3%A9.pdf" in (
        response.headers["Content-Disposition"])


def test_staff_can_download_an_organisations_document(draft, member, sign_in_as, db_session,
                                                      user_factory, new_client):
    xlsx = make_xlsx()
    upload(sign_in_as(member), draft, ACCOUNTS, "accounts.xlsx", xlsx)
    [document] = documents_of(db_session, draft)
    staff = sign_in_as(user_factory(roles=[Role.STAFF]), on=new_client())

    response = staff.get(download_path(draft, document))

    assert response.status_code == 200
    assert response.data == xlsx


def test_another_organisations_member_finds_nothing(draft, member, sign_in_as, db_session,
                                                     user_factory, organisation_factory,
                                                     membership_factory, new_client):
    upload(sign_in_as(member), draft, SAFEGUARDING, "policy.pdf", make_pdf())
    [document] = documents_of(db_session, draft)
    outsider = user_factory(roles=[Role.APPLICANT])
    membership_factory(user=outsider, organisation=organisation_factory(name="Elsewhere"))
    client = sign_in_as(outsider, on=new_client())

    assert client.get(download_path(draft, document)).status_code == 404
    assert client.get(documents_page(draft)).status_code == 404
    token = csrf_token_for(client, "/account")
    assert client.post(f"{download_path(draft, document)}/remove",
                       data={"csrf_token": token}).status_code == 404
    assert client.post(documents_page(draft), content_type="multipart/form-data", data={
        "csrf_token": token, "kind": ACCOUNTS,
        "document_file": (io.BytesIO(make_pdf()), "x.pdf")}).status_code == 404
    assert len(documents_of(db_session, draft)) == 1


def test_a_document_is_found_only_under_its_own_application(
    draft, member, sign_in_as, db_session, application_factory, round_factory
):
    client = sign_in_as(member)
    upload(client, draft, SAFEGUARDING, "policy.pdf", make_pdf())
    [document] = documents_of(db_session, draft)
    other = application_factory(organisation=draft.organisation, round=round_factory())

    assert client.get(download_path(other, document)).status_code == 404


def test_signed_out_people_are_sent_to_sign_in(draft, member, sign_in_as, db_session, client):
    upload(sign_in_as(member), draft, SAFEGUARDING, "policy.pdf", make_pdf())
    [document] = documents_of(db_session, draft)
    client.post("/sign-out", data={"csrf_token": csrf_token_for(client, "/account")})

    response = client.get(download_path(draft, document))

    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
