"""Documents kept once: an organisation keeps its documents on its own page, an application
uses them (taking its own copy) and asks only for what is missing or out of date, and a file
uploaded in an application is kept for the next one."""

import io
from datetime import date, timedelta

from sqlalchemy import select

from grants.accounts.models import Role
from grants.applications.models import ApplicationStatus, Document, DocumentKind
from grants.documents.models import OrganisationDocument
from tests.applications.completing import complete, submit
from tests.applications.conftest import NOW
from tests.applications.test_documents_checks import make_docx, make_pdf, make_xlsx
from tests.applications.test_documents_pages import (
    ACCOUNTS,
    GOVERNING,
    SAFEGUARDING,
    date_boxes,
    documents_of,
    documents_page,
    page_text,
    stored_files,
    upload,
    uploads,  # noqa: F401 (a fixture, used by name)
)
from tests.fixtures.auth import csrf_token_for

TODAY = NOW.date()
SUPPORTING = DocumentKind.SUPPORTING_DOCUMENT.value


def kept_page(organisation) -> str:
    return f"/organisations/{organisation.id}/documents"


def keep(client, organisation, files: dict[str, list[tuple[bytes, str]]],
         dates: dict[str, date] | None = None):
    """Post the organisation's documents form: files (and dates) by kind."""
    path = kept_page(organisation)
    form: dict = {"csrf_token": csrf_token_for(client, path)}
    for kind, chosen in files.items():
        form[f"{kind}_file"] = [(io.BytesIO(data), name) for data, name in chosen]
    for kind, day in (dates or {}).items():
        form[f"{kind}_date"] = date_boxes(day)
    return client.post(path, data=form, content_type="multipart/form-data")


def kept_of(db_session, organisation) -> list[OrganisationDocument]:
    db_session.expire_all()
    return db_session.scalars(select(OrganisationDocument).where(
        OrganisationDocument.organisation_id == organisation.id)
        .order_by(OrganisationDocument.id)).all()


def use_button(client, application, kept: OrganisationDocument):
    token = csrf_token_for(client, documents_page(application))
    return client.post(f"/applications/{application.id}/documents/use/{kept.id}",
                       data={"csrf_token": token})


# --- The organisation's page ---------------------------------------------------------------

def test_a_member_keeps_documents_with_their_dates_and_sees_when_each_goes_out_of_date(
    organisation, member, sign_in_as, db_session, uploads  # noqa: F811
):
    client = sign_in_as(member)

    response = keep(client, organisation,
                    {SAFEGUARDING: [(make_pdf(), "policy.pdf")],
                     ACCOUNTS: [(make_xlsx(), "accounts.xlsx")]},
                    {SAFEGUARDING: date(2026, 5, 3), ACCOUNTS: date(2024, 3, 31)})

    assert response.status_code == 302
    kept = kept_of(db_session, organisation)
    assert [(k.kind.value, k.original_filename, k.document_date) for k in kept] == [
        (SAFEGUARDING, "policy.pdf", date(2026, 5, 3)),
        (ACCOUNTS, "accounts.xlsx", date(2024, 3, 31))]
    assert len(stored_files(uploads)) == 2
    page = page_text(client.get(kept_page(organisation)))
    assert "Last reviewed 3 May 2026" in page
    assert "Good for applications until 3 May 2027" in page
    # Accounts for a year that ended more than 18 months ago.
    assert "Year ended 31 March 2024" in page and "Out of date" in page
    assert "Upload your safeguarding policy" in page and "Upload a file" not in page


def test_keeping_a_kind_again_replaces_it_but_supporting_documents_add_up_several_at_once(
    organisation, member, sign_in_as, db_session
):
    client = sign_in_as(member)
    keep(client, organisation, {SAFEGUARDING: [(make_pdf(), "old.pdf")]},
         {SAFEGUARDING: date(2026, 1, 1)})

    keep(client, organisation,
         {SAFEGUARDING: [(make_pdf(padding=3), "new.pdf")],
          SUPPORTING: [(make_pdf(), "quote.pdf"), (make_docx(), "letter.docx")]},
         {SAFEGUARDING: date(2026, 11, 1)})
    keep(client, organisation, {SUPPORTING: [(make_pdf(padding=9), "plan.pdf")]})

    assert sorted((k.kind.value, k.original_filename) for k in kept_of(db_session,
                                                                       organisation)) == [
        (SAFEGUARDING, "new.pdf"), (SUPPORTING, "letter.docx"), (SUPPORTING, "plan.pdf"),
        (SUPPORTING, "quote.pdf")]


def test_a_kept_document_without_its_date_or_a_bad_file_keeps_nothing(
    organisation, member, sign_in_as, db_session, uploads  # noqa: F811
):
    client = sign_in_as(member)

    response = keep(client, organisation, {SAFEGUARDING: [(make_pdf(), "policy.pdf")],
                                           ACCOUNTS: [(b"not a workbook", "accounts.xlsx")]})

    page = page_text(response)
    assert response.status_code == 200 and "<title>Error: Organisation documents" in page
    assert 'href="#safeguarding_policy_date">Enter the date your safeguarding policy' in page
    assert 'href="#latest_accounts_file">The selected file is not a real XLSX' in page
    assert kept_of(db_session, organisation) == [] and stored_files(uploads) == []


def test_a_member_removes_a_kept_document(organisation, member, sign_in_as, db_session):
    client = sign_in_as(member)
    keep(client, organisation, {SUPPORTING: [(make_pdf(), "quote.pdf")]})
    [kept] = kept_of(db_session, organisation)

    response = client.post(f"{kept_page(organisation)}/{kept.id}/remove",
                           data={"csrf_token": csrf_token_for(client, kept_page(organisation))})

    assert response.status_code == 302
    assert kept_of(db_session, organisation) == []
    assert "Supporting document removed: quote.pdf" in page_text(client.get(kept_page(
        organisation)))


def test_staff_see_an_organisations_documents_but_do_not_change_them(
    organisation, member, sign_in_as, user_factory, db_session, app
):
    keep(sign_in_as(member), organisation, {SAFEGUARDING: [(make_pdf(), "policy.pdf")]},
         {SAFEGUARDING: date(2026, 5, 3)})
    [kept] = kept_of(db_session, organisation)
    staff = sign_in_as(user_factory(roles=[Role.STAFF]), on=app.test_client())

    page = page_text(staff.get(kept_page(organisation)))
    downloaded = staff.get(f"{kept_page(organisation)}/{kept.id}")
    token = csrf_token_for(staff, kept_page(organisation))
    refused = staff.post(f"{kept_page(organisation)}/{kept.id}/remove",
                         data={"csrf_token": token})

    assert "policy.pdf" in page and "Only its members can change them" in page
    assert "Remove" not in page and "Save documents" not in page
    assert downloaded.status_code == 200 and downloaded.data == make_pdf()
    assert refused.status_code == 403 and len(kept_of(db_session, organisation)) == 1


def test_another_organisations_member_finds_nothing(
    organisation, member, sign_in_as, user_factory, organisation_factory, membership_factory,
    db_session, app
):
    keep(sign_in_as(member), organisation, {SAFEGUARDING: [(make_pdf(), "policy.pdf")]},
         {SAFEGUARDING: date(2026, 5, 3)})
    [kept] = kept_of(db_session, organisation)
    stranger = user_factory(roles=[Role.APPLICANT])
    membership_factory(user=stranger, organisation=organisation_factory(name="Elsewhere"))
    client = sign_in_as(stranger, on=app.test_client())

    assert client.get(kept_page(organisation)).status_code == 404
    assert client.get(f"{kept_page(organisation)}/{kept.id}").status_code == 404
    token = csrf_token_for(client, "/organisations/new")
    assert client.post(f"{kept_page(organisation)}/{kept.id}/remove",
                       data={"csrf_token": token}).status_code == 404
    assert len(kept_of(db_session, organisation)) == 1


# --- An application using them -------------------------------------------------------------

def test_an_application_offers_what_the_organisation_keeps_and_uses_its_own_copy(
    draft, organisation, member, sign_in_as, db_session, uploads  # noqa: F811
):
    client = sign_in_as(member)
    keep(client, organisation, {SAFEGUARDING: [(make_pdf(), "policy.pdf")]},
         {SAFEGUARDING: date(2026, 5, 3)})
    [kept] = kept_of(db_session, organisation)

    page = page_text(client.get(documents_page(draft)))
    assert "Use the safeguarding policy you gave on 23 November 2026" in page

    response = use_button(client, draft, kept)

    assert response.status_code == 302
    [document] = documents_of(db_session, draft)
    assert (document.kind.value, document.original_filename, document.document_date,
            document.sha256) == (SAFEGUARDING, "policy.pdf", date(2026, 5, 3), kept.sha256)
    assert document.storage_key != kept.storage_key
    assert len(stored_files(uploads)) == 2
    page = page_text(client.get(documents_page(draft)))
    assert "Use the safeguarding policy" not in page
    # Asked only for what is still missing.
    assert "Upload your latest accounts" in page and "Replace your safeguarding policy" in page


def test_an_out_of_date_kept_document_is_not_offered_and_is_asked_for_again(
    draft, organisation, member, sign_in_as, db_session
):
    client = sign_in_as(member)
    keep(client, organisation, {SAFEGUARDING: [(make_pdf(), "policy.pdf")]},
         {SAFEGUARDING: date(2025, 1, 10)})
    [kept] = kept_of(db_session, organisation)

    page = page_text(client.get(documents_page(draft)))
    refused = use_button(client, draft, kept)

    assert "Use the safeguarding policy" not in page
    assert "is out of date (last reviewed 10 January 2025)" in page
    assert "A safeguarding policy must have been reviewed in the last 12 months" in page
    assert refused.status_code == 302 and documents_of(db_session, draft) == []


def test_a_file_uploaded_in_an_application_is_kept_for_the_next_unless_the_member_says_no(
    draft, organisation, member, sign_in_as, db_session
):
    client = sign_in_as(member)

    upload(client, draft, SAFEGUARDING, "policy.pdf", make_pdf(), keep=None)  # the default
    upload(client, draft, ACCOUNTS, "accounts.xlsx", make_xlsx(), keep="no")

    assert [(k.kind.value, k.original_filename) for k in kept_of(db_session, organisation)] == [
        (SAFEGUARDING, "policy.pdf")]
    page = page_text(client.get(documents_page(draft)))
    assert "Keep these documents for future applications?" in page


def test_an_out_of_date_file_is_refused_on_its_date_in_an_application(
    draft, member, sign_in_as, db_session
):
    client = sign_in_as(member)

    response = upload(client, draft, ACCOUNTS, "accounts.xlsx", make_xlsx(),
                      dated=TODAY - timedelta(days=600))

    assert 'href="#latest_accounts_date">Accounts must be for a year that ended' in page_text(
        response)
    assert documents_of(db_session, draft) == []


def test_several_supporting_documents_are_uploaded_at_once_in_an_application(
    draft, member, sign_in_as, db_session
):
    client = sign_in_as(member)
    path = documents_page(draft)

    response = client.post(path, content_type="multipart/form-data", data={
        "csrf_token": csrf_token_for(client, path), "action": "later", "keep": "no",
        "supporting_document_file": [(io.BytesIO(make_pdf()), "quote.pdf"),
                                     (io.BytesIO(make_docx()), "letter.docx")]})

    assert response.status_code == 302
    assert sorted((d.kind.value, d.original_filename) for d in documents_of(db_session, draft)) \
        == [(SUPPORTING, "letter.docx"), (SUPPORTING, "quote.pdf")]
    page = page_text(client.get(path))
    assert 'type="file"' in page and "multiple" in page


def test_a_sent_application_keeps_its_file_after_the_organisation_replaces_its_own(
    draft, organisation, member, sign_in_as, db_session
):
    client = sign_in_as(member)
    first = make_pdf()
    keep(client, organisation, {SAFEGUARDING: [(first, "policy 2026.pdf")]},
         {SAFEGUARDING: date(2026, 5, 3)})
    [kept] = kept_of(db_session, organisation)
    use_button(client, draft, kept)
    upload(client, draft, ACCOUNTS, "accounts.xlsx", make_xlsx())
    upload(client, draft, GOVERNING, "constitution.pdf", make_pdf(padding=1))
    complete(draft)
    assert submit(client, draft).status_code == 302
    db_session.expire_all()
    assert draft.status is ApplicationStatus.SUBMITTED

    keep(client, organisation, {SAFEGUARDING: [(make_pdf(padding=7), "policy 2027.pdf")]},
         {SAFEGUARDING: date(2026, 11, 20)})

    assert [k.original_filename for k in kept_of(db_session, organisation)
            if k.kind.value == SAFEGUARDING] == ["policy 2027.pdf"]
    [document] = [d for d in documents_of(db_session, draft) if d.kind.value == SAFEGUARDING]
    assert document.original_filename == "policy 2026.pdf"
    downloaded = client.get(f"/applications/{draft.id}/documents/{document.id}")
    assert downloaded.status_code == 200 and downloaded.data == first
    assert db_session.scalar(select(Document).where(Document.id == document.id)) is not None
