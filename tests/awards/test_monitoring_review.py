"""Staff review reports: accepting the end-of-grant report closes the grant, asking for more
sends it back; the overview lists what is overdue, due soon and waiting, in a fixed number of
queries."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from grants.accounts.models import Role
from grants.applications.models import ApplicationStatus
from grants.awards.models import AwardStatus
from grants.extensions import db
from grants.funds.models import MonitoringSchedule
from grants.monitoring.models import ReportKind, ReportStatus
from grants.monitoring.operations import guard, listing, returns, review, schedule
from grants.monitoring.operations.answers import ReportAnswers
from grants.records.models import AuditEvent, OutboxMessage
from tests.awards.monitoring_fixtures import (  # noqa: F401  (fixtures)
    NOW,
    approver_fixture,
    fixed_clock_fixture,
    make_award,
    member_fixture,
    organisation_fixture,
    paid_award_fixture,
    published_round_fixture,
    staff_fixture,
)
from tests.fixtures.auth import post_form

COMPLETE = ReportAnswers(delivered="Forty evenings", outcomes_achieved="Referrals",
                                    beneficiaries_reached=135, spent_pence=200_000,
                                    underspend_pence=50_000)


def _sent(session, member, award):
    report = next(r for r in schedule.ensure_reports(session, award)
                  if r.kind is ReportKind.END_OF_GRANT)
    returns.save_report(session, member, report, COMPLETE, send=True)
    session.commit()
    return report


@pytest.fixture(name="sent_report")
def sent_report_fixture(db_session, member, paid_award):
    return _sent(db_session, member, paid_award)


def _actions(entity_type, entity_id):
    return db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.entity_type == entity_type, AuditEvent.entity_id == entity_id)
        .order_by(AuditEvent.id)).all()


def test_accepting_the_end_of_grant_report_closes_the_grant_and_its_application(
        client, sign_in_as, staff, sent_report, paid_award):
    signed_in = sign_in_as(staff)
    response = post_form(signed_in, f"/staff/reports/{sent_report.id}/accept",
                         form_page=f"/staff/reports/{sent_report.id}")

    assert response.status_code == 302
    db.session.refresh(sent_report)
    db.session.refresh(paid_award)
    assert sent_report.status is ReportStatus.ACCEPTED
    assert (sent_report.reviewed_by_id, sent_report.reviewed_at) == (staff.id, NOW)
    assert paid_award.status is AwardStatus.CLOSED
    assert paid_award.closed_at == NOW
    assert paid_award.application.status is ApplicationStatus.CLOSED
    assert "monitoring_report.accepted" in _actions("monitoring_report", sent_report.id)
    assert "award.closed" in _actions("award", paid_award.id)
    page = signed_in.get(f"/staff/reports/{sent_report.id}").get_data(as_text=True)
    assert "The grant is now closed" in page


def test_accepting_a_twice_yearly_return_leaves_the_grant_open(
        db_session, member, staff, award_factory, application_factory, round_factory,
        organisation):
    csf = round_factory(code="CSF-2026-1", monitoring=MonitoringSchedule.TWICE_YEARLY)
    award = make_award(award_factory, application_factory, csf, organisation,
                       reference="CSF-2026-1-0001")
    interim = next(r for r in schedule.ensure_reports(db_session, award)
                   if r.kind is ReportKind.INTERIM)
    returns.save_report(db_session, member, interim, COMPLETE, send=True)

    review.accept_report(db_session, staff, interim)

    assert interim.status is ReportStatus.ACCEPTED
    assert award.status is AwardStatus.PAID


def test_a_report_not_yet_sent_cannot_be_accepted(db_session, staff, paid_award):
    report = schedule.ensure_reports(db_session, paid_award)[0]

    with pytest.raises(guard.MonitoringRefused, match="has not sent this report"):
        review.accept_report(db_session, staff, report)
    assert paid_award.status is AwardStatus.PAID


def test_asking_for_more_needs_a_comment(client, sign_in_as, staff, sent_report):
    response = post_form(sign_in_as(staff), f"/staff/reports/{sent_report.id}/more-information",
                         {"comment": "  "}, form_page=f"/staff/reports/{sent_report.id}")

    assert response.status_code == 200
    assert "Enter what more you need from the recipient" in response.get_data(as_text=True)
    db.session.refresh(sent_report)
    assert sent_report.status is ReportStatus.SUBMITTED


def test_asking_for_more_reopens_the_report_and_emails_the_organisations_contact(
        client, sign_in_as, staff, sent_report):
    response = post_form(sign_in_as(staff), f"/staff/reports/{sent_report.id}/more-information",
                         {"comment": "Please add the venue invoices."},
                         form_page=f"/staff/reports/{sent_report.id}")

    assert response.status_code == 302
    db.session.refresh(sent_report)
    assert sent_report.status is ReportStatus.MORE_INFORMATION_REQUESTED
    assert sent_report.staff_comment == "Please add the venue invoices."
    assert returns.why_not_editable(sent_report) is None
    message = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.to_address == "contact@example.org")).one()
    assert "Please add the venue invoices." in message.body_text
    assert message.subject.startswith("We need more information: End-of-grant report")
    assert "monitoring_report.more_information_requested" in _actions(
        "monitoring_report", sent_report.id)


def test_the_recipient_sees_what_more_is_needed_on_the_report(
        client, sign_in_as, member, staff, sent_report):
    review.request_more_information(db.session, staff, sent_report, "Add the invoices.")
    db.session.commit()

    html = sign_in_as(member).get(f"/reports/{sent_report.id}").get_data(as_text=True)

    assert "We need more information" in html
    assert "Add the invoices." in html


def test_applicants_cannot_open_the_staff_pages(client, sign_in_as, member, sent_report):
    signed_in = sign_in_as(member)

    assert signed_in.get("/staff/monitoring").status_code == 403
    assert signed_in.get(f"/staff/reports/{sent_report.id}").status_code == 403


def test_the_overview_lists_overdue_due_soon_and_waiting_reports(
        db_session, member, paid_award, award_factory, application_factory, published_round,
        organisation_factory):
    today = date(2027, 3, 10)
    overdue = make_award(award_factory, application_factory, published_round,
                         organisation_factory(),
                         reference="PPAF-2026-1-0002", sequence=2,
                         report_due_on=today - timedelta(days=1))
    due_soon = make_award(award_factory, application_factory, published_round,
                          organisation_factory(),
                          reference="PPAF-2026-1-0003", sequence=3,
                          report_due_on=today + timedelta(days=30))
    later = make_award(award_factory, application_factory, published_round,
                       organisation_factory(),
                       reference="PPAF-2026-1-0004", sequence=4,
                       report_due_on=today + timedelta(days=31))
    for award in (overdue, due_soon, later):
        schedule.ensure_reports(db_session, award)
    waiting = _sent(db_session, member, paid_award)

    lists = listing.monitoring_overview(db_session, today)

    assert [r.award_id for r in lists.overdue] == [overdue.id]
    assert [r.award_id for r in lists.due_soon] == [due_soon.id]
    assert [r.id for r in lists.awaiting_review] == [waiting.id]


def test_an_accepted_report_is_not_overdue(db_session, member, staff, paid_award):
    report = _sent(db_session, member, paid_award)
    review.accept_report(db_session, staff, report)

    lists = listing.monitoring_overview(db_session, report.due_on + timedelta(days=1))

    assert (lists.overdue, lists.due_soon, lists.awaiting_review) == ([], [], [])


def test_the_overview_page_runs_the_same_queries_for_one_report_or_many(
        client, sign_in_as, user_factory, award_factory, application_factory, published_round,
        organisation, organisation_factory, round_factory, member, count_queries):
    staff = user_factory(roles=[Role.STAFF], email="overview@example.org")
    signed_in = sign_in_as(staff)

    def add(number, due_on, round_=published_round):
        # The member's organisation for reports they send; another for each of the rest.
        recipient = organisation if number in (2, 30) else organisation_factory()
        award = make_award(award_factory, application_factory, round_, recipient,
                           reference=f"PPAF-2026-1-{number:04}", sequence=number,
                           report_due_on=due_on)
        schedule.ensure_reports(db.session, award)
        return award

    add(1, date(2027, 3, 1))
    _sent(db.session, member, add(2, date(2027, 3, 20)))
    db.session.commit()
    with count_queries() as few:
        assert signed_in.get("/staff/monitoring").status_code == 200

    for number in range(3, 9):
        add(number, date(2027, 3, number))
        add(number + 10, date(2027, 3, 12 + number))
    _sent(db.session, member, add(30, date(2027, 4, 1), round_factory()))
    db.session.commit()
    with count_queries() as many:
        response = signed_in.get("/staff/monitoring")

    assert response.status_code == 200
    assert "PPAF-2026-1-0008" in response.get_data(as_text=True)
    assert many.count == few.count, str(many)


def test_the_staff_pages_of_a_report_and_its_award_show_it(
        client, sign_in_as, staff, sent_report, paid_award):
    signed_in = sign_in_as(staff)

    review = signed_in.get(f"/staff/reports/{sent_report.id}").get_data(as_text=True)
    award_page = signed_in.get(f"/staff/awards/{paid_award.id}/monitoring")

    assert "Forty evenings" in review and "£500" in review
    assert award_page.status_code == 200
    assert "End-of-grant report" in award_page.get_data(as_text=True)
