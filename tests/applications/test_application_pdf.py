"""The application as sent, as a PDF document: what it holds, and who may have it.

Drawing a PDF takes a while, so one test draws it and reads everything from that one."""

import io
import re
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from grants.accounts.models import Role
from grants.applications.models import (
    ApplicationSection,
    Document,
    DocumentKind,
    QuestionAnswer,
    SectionStatus,
)
from grants.applications.operations import submission
from grants.funds.models import QuestionKind
from tests.applications.completing import TITLE, complete
from tests.applications.round_questions import ask, question

UPLOADED = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)


def pdf_path(application) -> str:
    return f"/applications/{application.id}/pdf"


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def sent(draft, member, db_session, open_round):
    """A complete application with its safeguarding policy and an answer to the round's own
    question, sent."""
    lead = question("Who is your safeguarding lead?", QuestionKind.SHORT_TEXT)
    own = ask(open_round, "Safeguarding", lead)
    draft.question_answers.append(QuestionAnswer(question_id=lead.id, text="Sam Lead"))
    draft.sections.append(ApplicationSection(key=f"questions-{own.id}", answers={}, version=1,
                                             status=SectionStatus.COMPLETED))
    complete(draft, description="We will run outreach three nights a week.")
    db_session.add(Document(
        application_id=draft.id, kind=DocumentKind.SAFEGUARDING_POLICY,
        original_filename="Safeguarding policy 2026.pdf", storage_key="pdf-test-key",
        content_type="application/pdf", size_bytes=1234, sha256="0" * 64,
        uploaded_at=UPLOADED, uploaded_by_id=member.id))
    submission.submit_application(db_session, member, draft)
    db_session.commit()
    return draft


def test_a_member_downloads_the_sent_application_as_a_pdf_with_every_answer_and_document(
    sent, member, sign_in_as
):
    response = sign_in_as(member).get(pdf_path(sent))

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="TVOPCC-PPAF-2026-2-0001.pdf"')
    assert response.headers["Cache-Control"] == "no-store"
    reader = PdfReader(io.BytesIO(response.get_data()))
    text = _words(" ".join(page.extract_text() for page in reader.pages))
    # The answers, under the section headings and question wording of check your answers.
    for words in (TITLE, "PPAF-2026-2-0001", "Reading Street Support",
                  "We will run outreach three nights a week.", "Volunteer expenses: £3,000",
                  "People sleeping rough in Reading", "Chair of trustees",
                  "The whole of Thames Valley", "Your project", "Outcomes and beneficiaries",
                  "Number of beneficiaries", "1,200", "Who will benefit",
                  "Who is your safeguarding lead?", "Sam Lead"):
        assert words in text, words
    # The documents by type, name and date uploaded; not what is in them.
    assert "Safeguarding policy" in text
    assert "Safeguarding policy 2026.pdf (uploaded 20 November 2026)" in text
    assert "Latest accounts Not uploaded" in text
    # Paper only: no menus, buttons or links that work on screen.
    for screen_only in ("Sign out", "Print this page", "Download as PDF",
                        "Withdraw this application", "Back to your dashboard"):
        assert screen_only not in text, screen_only
    assert "Page 1 of" in text and "TVOPCC-PPAF-2026-2-0001" in text


def test_the_application_as_sent_links_to_its_pdf(sent, member, sign_in_as):
    page = sign_in_as(member).get(f"/applications/{sent.id}/view").get_data(as_text=True)

    assert f'href="{pdf_path(sent)}">Download as PDF</a>' in page


def test_staffs_page_of_the_application_links_to_its_pdf(sent, user_factory, sign_in_as):
    staff = user_factory(roles=[Role.STAFF])

    page = sign_in_as(staff).get(f"/staff/applications/{sent.id}").get_data(as_text=True)

    assert f'href="{pdf_path(sent)}">Download as PDF</a>' in page


def test_a_draft_has_no_pdf(draft, member, user_factory, sign_in_as, new_client):
    complete(draft)
    staff = user_factory(roles=[Role.STAFF])

    assert sign_in_as(member).get(pdf_path(draft)).status_code == 404
    assert sign_in_as(staff, on=new_client()).get(pdf_path(draft)).status_code == 404


def test_nobody_outside_the_organisation_or_the_opcc_gets_the_pdf(
    sent, user_factory, organisation_factory, membership_factory, sign_in_as, new_client, client
):
    outsider = user_factory(roles=[Role.APPLICANT])
    membership_factory(user=outsider, organisation=organisation_factory(name="Other group"))
    reviewer = user_factory(roles=[Role.REVIEWER])

    assert client.get(pdf_path(sent)).headers["Location"].startswith("/sign-in")
    for person in (outsider, reviewer):
        assert sign_in_as(person, on=new_client()).get(pdf_path(sent)).status_code == 404
