"""The recipient's reports: who sees them, saving a draft, the rules a report must pass
before it is sent, sending it, and its documents."""

import io
import re

import pytest
from sqlalchemy import select

from grants.awards.models import AwardStatus
from grants.core.errors import NotFound, ValidationFailed
from grants.extensions import db
from grants.funds.models import MonitoringSchedule
from grants.monitoring.models import MonitoringDocument, ReportKind, ReportStatus
from grants.monitoring.operations import returns, review, schedule
from grants.monitoring.operations.answers import ReportAnswers
from grants.records.models import AuditEvent, OutboxMessage
from tests.awards.monitoring_fixtures import (  # noqa: F401  (fixtures)
    NOW,
    PROMISED,
    approver_fixture,
    fixed_clock_fixture,
    make_award,
    member_fixture,
    organisation_fixture,
    outsider_fixture,
    paid_award_fixture,
    published_round_fixture,
    report_answers,
    staff_fixture,
)
from tests.fixtures.auth import post_form

PDF = b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture(name="report")
def report_fixture(db_session, paid_award):
    report = schedule.ensure_reports(db_session, paid_award)[0]
    db_session.commit()
    return report


def _post_report(client, report, answers: dict, action: str, **files):
    path = f"/reports/{report.id}"
    return post_form(client, path, {**answers, "action": action, **files},
                     content_type="multipart/form-data")


def _errors(response) -> str:
    html = response.get_data(as_text=True)
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    return summary.group(0) if summary else ""


# --- Who sees the reports -----------------------------------------------------------------

def test_a_member_sees_the_grants_reports_with_their_due_dates(
        client, sign_in_as, member, paid_award):
    response = sign_in_as(member).get(f"/awards/{paid_award.id}/reports")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "End-of-grant report" in html
    assert "30 April 2028" in html


def test_the_reports_of_another_organisations_grant_do_not_exist(
        client, sign_in_as, outsider, paid_award, report):
    signed_in = sign_in_as(outsider)

    assert signed_in.get(f"/awards/{paid_award.id}/reports").status_code == 404
    assert signed_in.get(f"/reports/{report.id}").status_code == 404


def test_staff_review_reports_on_their_own_pages_not_the_recipients(
        client, sign_in_as, staff, report):
    assert sign_in_as(staff).get(f"/reports/{report.id}").status_code == 404


def test_an_offer_not_yet_accepted_has_no_reports_page(
        client, sign_in_as, member, award_factory, application_factory, published_round,
        organisation):
    award = make_award(award_factory, application_factory, published_round, organisation,
                       status=AwardStatus.OFFERED)

    assert sign_in_as(member).get(f"/awards/{award.id}/reports").status_code == 404


def test_the_report_page_shows_the_outcomes_the_application_promised(
        client, sign_in_as, member, report):
    html = sign_in_as(member).get(f"/reports/{report.id}").get_data(as_text=True)

    assert PROMISED in html
    assert "Underspend to return" in html


# --- Saving and sending -------------------------------------------------------------------

def test_a_draft_keeps_an_unfinished_report_without_sending_it(
        client, sign_in_as, member, report):
    response = _post_report(sign_in_as(member), report,
                            {"delivered": "Ten evenings so far."}, "save")

    assert response.status_code == 302
    db.session.refresh(report)
    assert report.delivered == "Ten evenings so far."
    assert report.status is ReportStatus.DUE
    assert report.submitted_at is None


def test_sending_an_unfinished_report_says_what_is_missing_and_keeps_the_draft(
        client, sign_in_as, member, report):
    response = _post_report(sign_in_as(member), report,
                            {"delivered": "Ten evenings so far."}, "send")

    assert response.status_code == 200
    errors = _errors(response)
    assert "Describe the outcomes achieved" in errors
    assert "Enter how many people the project reached" in errors
    assert "Enter how much of the grant was spent" in errors
    db.session.refresh(report)
    assert report.status is ReportStatus.DUE
    assert report.delivered == "Ten evenings so far."


def test_the_underspend_must_be_the_grant_less_what_was_spent(
        client, sign_in_as, member, report):
    response = _post_report(sign_in_as(member), report,
                            report_answers(spent="2000", underspend="400"), "send")

    assert response.status_code == 200
    assert ("The underspend to return must be £500: the grant of £2,500 less the £2,000 spent"
            in _errors(response))
    db.session.refresh(report)
    assert report.status is ReportStatus.DUE


def test_a_missing_underspend_is_asked_for_when_money_is_left(
        client, sign_in_as, member, report):
    response = _post_report(sign_in_as(member), report,
                            report_answers(spent="2000.50", underspend=""), "send")

    assert "Enter the underspend to return: £499.50" in _errors(response)


def test_there_is_no_underspend_when_the_whole_grant_was_spent(db_session, member, report):
    answers = ReportAnswers(delivered="d", outcomes_achieved="o",
                                       beneficiaries_reached=10, spent_pence=260_000,
                                       underspend_pence=1_000)
    with pytest.raises(ValidationFailed) as refused:
        returns.save_report(db_session, member, report, answers, send=True)
    assert "there is no underspend to return" in refused.value.errors["underspend"]

    returns.save_report(db_session, member, report,
                           ReportAnswers(delivered="d", outcomes_achieved="o",
                                                    beneficiaries_reached=10,
                                                    spent_pence=260_000), send=True)
    assert report.underspend_pence == 0


def test_the_case_study_is_500_words_or_fewer(client, sign_in_as, member, report):
    response = _post_report(sign_in_as(member), report,
                            report_answers(case_study="word " * 501), "save")

    assert response.status_code == 200
    assert "Case study must be 500 words or fewer" in _errors(response)


def test_people_reached_is_a_whole_number(client, sign_in_as, member, report):
    response = _post_report(sign_in_as(member), report,
                            report_answers(beneficiaries_reached="about 40"), "send")

    assert "Enter the number of people as a whole number" in _errors(response)


def test_sending_a_complete_report_records_who_sent_it_and_when(
        client, sign_in_as, member, report):
    response = _post_report(sign_in_as(member), report,
                            report_answers(spent="2,000", underspend="500"), "send")

    assert response.status_code == 302
    db.session.refresh(report)
    assert report.status is ReportStatus.SUBMITTED
    assert report.submitted_at == NOW
    assert report.submitted_by_id == member.id
    assert (report.spent_pence, report.underspend_pence, report.beneficiaries_reached) == (
        200_000, 50_000, 135)
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.entity_type == "monitoring_report", AuditEvent.entity_id == report.id)).all()
    assert "monitoring_report.submitted" in actions


def test_the_grants_team_is_emailed_when_a_report_arrives_if_the_service_has_their_address(
        app, db_session, monkeypatch, client, sign_in_as, member, report):
    monkeypatch.setitem(app.config, "CONTACT_EMAIL", "grants@example.org")

    _post_report(sign_in_as(member), report, report_answers(), "send")

    message = db_session.scalars(select(OutboxMessage).where(
        OutboxMessage.to_address == "grants@example.org")).one()
    assert message.subject == "End-of-grant report sent: PPAF-2026-1-0001"
    assert f"/staff/reports/{report.id}" in message.body_text


def test_no_email_goes_to_the_grants_team_without_their_address(
        app, db_session, monkeypatch, client, sign_in_as, member, report):
    monkeypatch.delitem(app.config, "CONTACT_EMAIL", raising=False)

    _post_report(sign_in_as(member), report, report_answers(), "send")

    db.session.refresh(report)
    assert report.status is ReportStatus.SUBMITTED
    assert db_session.scalars(select(OutboxMessage)).all() == []


def test_the_service_emails_the_grants_team_at_the_address_it_is_given(
        db_session, member, report):
    returns.save_report(db_session, member, report, ReportAnswers(
        delivered="d", outcomes_achieved="o", beneficiaries_reached=1, spent_pence=250_000),
        send=True, team_address="grants@example.org")

    assert db_session.scalars(select(OutboxMessage.to_address)).all() == ["grants@example.org"]


def test_a_sent_report_cannot_be_changed(client, sign_in_as, member, report):
    signed_in = sign_in_as(member)
    _post_report(signed_in, report, report_answers(), "send")

    response = _post_report(signed_in, report, report_answers(delivered="Changed"), "save")

    assert response.status_code == 302
    db.session.refresh(report)
    assert report.delivered == "Forty outreach evenings in Reading town centre."
    page = signed_in.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "You sent this report on 10 March 2027" in page
    assert 'name="action"' not in page


def test_a_report_sent_back_for_more_information_can_be_changed_and_sent_again(
        db_session, member, staff, report):
    answers = ReportAnswers(delivered="d", outcomes_achieved="o",
                                       beneficiaries_reached=1, spent_pence=250_000)
    returns.save_report(db_session, member, report, answers, send=True)
    review.request_more_information(db_session, staff, report, "Add the invoices.")
    assert returns.why_not_editable(report) is None

    returns.save_report(db_session, member, report,
                           ReportAnswers(**{**answers.__dict__,
                                                       "delivered": "d, with invoices"}),
                           send=True)

    assert report.status is ReportStatus.SUBMITTED
    assert report.delivered == "d, with invoices"


def test_a_member_of_another_organisation_cannot_save_the_report(
        db_session, outsider, report):
    with pytest.raises(NotFound):
        returns.save_report(db_session, outsider, report, ReportAnswers(),
                               send=False)


def test_an_interim_return_asks_for_no_underspend(
        db_session, member, award_factory, application_factory, round_factory, organisation):
    csf = round_factory(code="CSF-2026-1", monitoring=MonitoringSchedule.TWICE_YEARLY)
    award = make_award(award_factory, application_factory, csf, organisation,
                       reference="CSF-2026-1-0001")
    interim = next(r for r in schedule.ensure_reports(db_session, award)
                   if r.kind is ReportKind.INTERIM)

    returns.save_report(db_session, member, interim, ReportAnswers(
        delivered="d", outcomes_achieved="o", beneficiaries_reached=5, spent_pence=50_000,
        underspend_pence=200_000), send=True)

    assert interim.status is ReportStatus.SUBMITTED
    assert interim.underspend_pence is None


# --- Documents ----------------------------------------------------------------------------

def test_a_document_chosen_with_the_draft_is_added_and_can_be_removed(
        client, sign_in_as, member, report):
    signed_in = sign_in_as(member)
    response = _post_report(signed_in, report, {"delivered": "Draft"}, "save",
                            document_file=(io.BytesIO(PDF), "Evaluation.pdf"))

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/reports/{report.id}")
    document = db.session.scalars(select(MonitoringDocument).where(
        MonitoringDocument.report_id == report.id)).one()
    assert document.original_filename == "Evaluation.pdf"
    page = signed_in.get(f"/reports/{report.id}").get_data(as_text=True)
    assert ('Remove<span class="govuk-visually-hidden"> Evaluation.pdf</span>' in page)
    assert f'form="remove-document-{document.id}"' in page
    download = signed_in.get(f"/reports/{report.id}/documents/{document.id}")
    assert download.status_code == 200 and download.data == PDF

    response = post_form(signed_in, f"/reports/{report.id}/documents/{document.id}/remove",
                         form_page=f"/reports/{report.id}")

    assert response.status_code == 302
    assert db.session.scalars(select(MonitoringDocument)).all() == []


def test_a_file_that_is_not_what_its_name_says_is_refused(client, sign_in_as, member, report):
    response = _post_report(sign_in_as(member), report, {"delivered": "Draft"}, "save",
                            document_file=(io.BytesIO(b"not a pdf"), "Evaluation.pdf"))

    assert response.status_code == 200
    assert "The selected file is not a real PDF file" in _errors(response)
    assert db.session.scalars(select(MonitoringDocument)).all() == []
