"""In the browser: a recipient sends the end-of-grant report, staff ask for more, the
recipient updates it and sends it again, staff accept it and the grant shows closed. Every
page passes axe-core, including pages showing errors."""

import re
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import select

from grants.accounts.models import Role
from grants.applications.models import ApplicationStatus
from grants.awards.models import Award, AwardStatus, Payment, PaymentStatus
from grants.core import clock
from grants.extensions import db
from tests.e2e.story_staff import People

PDF = b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"


def test_an_end_of_grant_report_is_sent_sent_back_updated_and_accepted(
    page: Page, check_accessibility, save, user_factory, organisation_factory,
    membership_factory, round_factory, application_factory, award_factory
):
    now = datetime.now(UTC)
    today = clock.today_in_london()
    member = user_factory(roles=[Role.APPLICANT], email="member@example.org", name="Jo Member")
    officer = user_factory(roles=[Role.STAFF], email="officer@example.org", name="Sam Officer")
    approver = user_factory(roles=[Role.STAFF], email="approver@example.org")
    organisation = organisation_factory(name="Reading Street Support",
                                        contact_email="contact@example.org")
    membership_factory(user=member, organisation=organisation)
    round_ = round_factory(code="PPAF-2025-1", title="PPAF 2025/26 Round 1",
                           opens_at=now - timedelta(days=400), closes_at=now - timedelta(days=360),
                           launched_at=now - timedelta(days=410),
                           decided_at=now - timedelta(days=340),
                           decisions_published_at=now - timedelta(days=335))
    application = application_factory(
        round=round_, organisation=organisation, title="Night shelter outreach",
        reference="PPAF-2025-1-0001", sequence=1, status=ApplicationStatus.PAID,
        planned_start=today - timedelta(days=300), planned_end=today - timedelta(days=70),
        outcomes="Fewer young people drawn into county lines.", beneficiaries_count=120)
    award = award_factory(round=round_, organisation=organisation, application=application,
                          amount_pence=250_000, status=AwardStatus.PAID,
                          offered_at=now - timedelta(days=335),
                          accepted_at=now - timedelta(days=330),
                          accepted_on=today - timedelta(days=330),
                          report_due_on=today + timedelta(days=20))
    db.session.add(Payment(award=award, amount_pence=250_000,
                           paid_on=today - timedelta(days=320), reference="BACS-1",
                           status=PaymentStatus.APPROVED, recorded_by_id=officer.id,
                           approved_by_id=approver.id, approved_at=now - timedelta(days=320)))
    award_id = award.id
    save()

    # The recipient finds the report they owe.
    people = People(page)
    people.sign_in("member@example.org", f"/awards/{award_id}/reports")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your grant reports")
    check_accessibility(page)
    # The daily run has not made the report yet: starting it makes it.
    page.get_by_role("button", name="End-of-grant report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("End-of-grant report")
    expect(page.get_by_text("Fewer young people drawn into county lines.")).to_be_visible()
    check_accessibility(page)

    # An underspend that does not add up is refused; the answers stay on the page.
    page.get_by_label("What did the project deliver?").fill("Forty outreach evenings.")
    page.get_by_label("What outcomes did the project achieve?").fill(
        "Thirty young people referred to youth workers.")
    page.get_by_label("How many people did the project reach?").fill("135")
    page.get_by_label("How much of the grant did you spend?").fill("2000")
    page.get_by_label("Underspend to return").fill("400")
    page.get_by_role("button", name="Send report").click()
    expect(page).to_have_title(re.compile(r"^Error: End-of-grant report"))
    expect(page.get_by_role("alert")).to_contain_text(
        "The underspend to return must be £500: the grant of £2,500 less the £2,000 spent")
    expect(page.get_by_label("What did the project deliver?")).to_have_value(
        "Forty outreach evenings.")
    check_accessibility(page)

    # Fixed, with a document, and sent.
    page.get_by_label("Underspend to return").fill("500")
    page.get_by_label("Add a document (optional)").set_input_files(files=[{
        "name": "Evaluation.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("You sent your end-of-grant report.")).to_be_visible()
    expect(page.get_by_role("cell", name="Sent", exact=True)).to_be_visible()
    check_accessibility(page)

    # Staff find it waiting for review and ask for more.
    people.sign_in("officer@example.org", "/staff/monitoring")
    expect(page.get_by_role("heading", level=1)).to_have_text("Monitoring")
    check_accessibility(page)
    page.get_by_role("link", name=re.compile("^End-of-grant report")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("End-of-grant report")
    expect(page.get_by_role("link", name="Evaluation.pdf")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Ask for more information").click()
    expect(page).to_have_title(re.compile(r"^Error: End-of-grant report"))
    expect(page.get_by_role("alert")).to_contain_text(
        "Enter what more you need from the recipient")
    check_accessibility(page)
    page.get_by_label("What more do you need?").fill("Please add the venue invoices.")
    page.get_by_role("button", name="Ask for more information").click()
    expect(page.get_by_text("You asked the recipient for more information.")).to_be_visible()

    # The award's monitoring page, and the repayment and variation forms.
    page.get_by_role("link", name="PPAF-2025-1-0001").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Monitoring: PPAF-2025-1-0001")
    check_accessibility(page)
    page.get_by_role("link", name="Record a repayment").click()
    page.get_by_role("button", name="Record repayment").click()
    expect(page).to_have_title(re.compile(r"^Error: Record a repayment"))
    check_accessibility(page)
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("link", name="Agree a variation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agree a variation")
    check_accessibility(page)

    # The recipient reads what is needed, updates the report and sends it again.
    people.sign_in("member@example.org", f"/awards/{award_id}/reports")
    expect(page.get_by_role("cell", name="More information needed")).to_be_visible()
    page.get_by_role("link", name="End-of-grant report").click()
    expect(page.get_by_text("Please add the venue invoices.")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("What did the project deliver?").fill(
        "Forty outreach evenings; the venue invoices are attached.")
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("You sent your end-of-grant report.")).to_be_visible()

    # Staff accept it: the grant is closed.
    people.sign_in("officer@example.org", "/staff/monitoring")
    page.get_by_role("link", name=re.compile("^End-of-grant report")).click()
    expect(page.get_by_text("the venue invoices are attached")).to_be_visible()
    page.get_by_role("button", name="Accept the report").click()
    expect(page.get_by_text("You accepted the end-of-grant report. The grant is now closed."))\
        .to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="PPAF-2025-1-0001").click()
    expect(page.locator(".govuk-summary-list .govuk-tag").first).to_have_text("Closed")

    people.sign_in("member@example.org", f"/awards/{award_id}/reports")
    expect(page.locator(".govuk-summary-list .govuk-tag").first).to_have_text("Closed")
    expect(page.get_by_role("cell", name="Accepted")).to_be_visible()
    check_accessibility(page)

    with db.engine.connect() as conn:
        assert conn.scalar(select(Award.status).where(Award.id == award_id)) \
            is AwardStatus.CLOSED
