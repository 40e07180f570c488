"""Variations: a new end date moves the end-of-grant report to 3 months after it; a changed
purpose leaves it; each is audited and the recipient told."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from grants.applications.models import ApplicationStatus
from grants.awards.models import AwardStatus
from grants.core.errors import ValidationFailed
from grants.extensions import db
from grants.funds.models import MonitoringSchedule
from grants.monitoring.models import ReportKind, ReportStatus, Variation
from grants.monitoring.operations import guard, returns, schedule, variations
from grants.monitoring.operations.answers import ReportAnswers
from grants.records.models import AuditEvent, OutboxMessage
from tests.awards.monitoring_fixtures import (  # noqa: F401  (fixtures)
    PLANNED_END,
    REPORT_DUE,
    approver_fixture,
    at_noon,
    fixed_clock_fixture,
    make_award,
    member_fixture,
    move_clock,
    organisation_fixture,
    paid_award_fixture,
    published_round_fixture,
    staff_fixture,
)
from tests.fixtures.auth import post_form

NEW_END = date(2028, 5, 31)
NEW_DUE = date(2028, 8, 31)


def _vary(staff, award, *, new_end_on=NEW_END, changed_purpose="", reason="Venue closed."):
    return variations.agree_variation(db.session, staff, award, new_end_on=new_end_on,
                                      changed_purpose=changed_purpose, reason=reason)


def test_a_new_end_date_moves_the_report_due_date_and_is_recorded(
        db_session, staff, paid_award):
    report = schedule.ensure_reports(db_session, paid_award)[0]

    variation = _vary(staff, paid_award)

    assert (variation.previous_report_due_on, variation.new_report_due_on) == (REPORT_DUE,
                                                                               NEW_DUE)
    assert variation.agreed_by_id == staff.id
    assert paid_award.report_due_on == NEW_DUE
    assert report.due_on == NEW_DUE
    assert schedule.project_end_on(db_session, paid_award) == NEW_END


def test_a_variation_is_audited_and_the_recipient_told(db_session, staff, paid_award):
    variation = _vary(staff, paid_award)

    event = db_session.scalars(select(AuditEvent).where(
        AuditEvent.action == "award.variation_agreed")).one()
    assert (event.entity_type, event.entity_id, event.actor_id) == ("award", paid_award.id,
                                                                    staff.id)
    assert event.before == {"end_on": PLANNED_END.isoformat(),
                            "report_due_on": REPORT_DUE.isoformat()}
    assert event.after["variation_id"] == variation.id
    assert event.after["report_due_on"] == NEW_DUE.isoformat()
    message = db_session.scalars(select(OutboxMessage)).one()
    assert message.to_address == "contact@example.org"
    assert "The project now ends on 31 May 2028." in message.body_text
    assert "Your end-of-grant report is due on 31 August 2028." in message.body_text


def test_a_changed_purpose_alone_leaves_the_dates(db_session, staff, paid_award):
    variation = _vary(staff, paid_award, new_end_on=None,
                      changed_purpose="Outreach in Slough as well as Reading.")

    assert variation.new_report_due_on == variation.previous_report_due_on == REPORT_DUE
    assert paid_award.report_due_on == REPORT_DUE


def test_a_variation_needs_a_reason_and_something_to_change(db_session, staff, paid_award):
    with pytest.raises(ValidationFailed) as refused:
        _vary(staff, paid_award, new_end_on=None, reason=" ")

    assert refused.value.errors == {
        "new_end_on": "Enter the new end date, the changed purpose, or both",
        "reason": "Enter why the change was agreed"}
    assert db_session.scalars(select(Variation)).all() == []


def test_the_new_end_date_cannot_be_before_the_project_starts(db_session, staff, paid_award):
    with pytest.raises(ValidationFailed, match="on or after the project's start, 1 April 2027"):
        _vary(staff, paid_award, new_end_on=date(2027, 3, 31))


def test_a_closed_grant_cannot_be_varied(db_session, staff, paid_award):
    paid_award.status = AwardStatus.CLOSED

    with pytest.raises(guard.MonitoringRefused, match="closed"):
        _vary(staff, paid_award)


def test_a_sent_report_keeps_its_due_date(db_session, member, staff, paid_award):
    report = schedule.ensure_reports(db_session, paid_award)[0]
    returns.save_report(db_session, member, report, ReportAnswers(
        delivered="d", outcomes_achieved="o", beneficiaries_reached=1, spent_pence=250_000),
        send=True)

    _vary(staff, paid_award)

    assert report.status is ReportStatus.SUBMITTED
    assert report.due_on == REPORT_DUE
    assert paid_award.report_due_on == NEW_DUE


def test_moving_the_date_away_takes_report_due_off_the_application(
        db_session, monkeypatch, staff, paid_award):
    move_clock(monkeypatch, at_noon(REPORT_DUE - timedelta(days=3)))
    schedule.ensure_reports(db_session, paid_award)
    assert paid_award.application.status is ApplicationStatus.MONITORING_DUE

    _vary(staff, paid_award)

    assert paid_award.application.status is ApplicationStatus.PAID


def test_a_later_end_brings_more_twice_yearly_returns(
        db_session, staff, award_factory, application_factory, round_factory, organisation):
    csf = round_factory(code="CSF-2026-1", monitoring=MonitoringSchedule.TWICE_YEARLY)
    award = make_award(award_factory, application_factory, csf, organisation,
                       reference="CSF-2026-1-0001")
    before = [r.period for r in schedule.ensure_reports(db_session, award)
              if r.kind is ReportKind.INTERIM]

    _vary(staff, award, new_end_on=date(2028, 6, 30))

    after = [r.period for r in schedule.reports_of(db_session, award)
             if r.kind is ReportKind.INTERIM]
    assert before == ["October 2026 to March 2027", "April to September 2027"]
    assert after == ["October 2026 to March 2027", "April to September 2027",
                     "October 2027 to March 2028"]


def test_staff_agree_a_variation_on_its_page(client, sign_in_as, staff, paid_award):
    path = f"/staff/awards/{paid_award.id}/variations"
    signed_in = sign_in_as(staff)

    refused = post_form(signed_in, path, {"new_end_on": ["31", "", "2028"],
                                          "reason": "Venue closed."})
    assert refused.status_code == 200
    assert "Enter the new end date as a real date" in refused.get_data(as_text=True)

    response = post_form(signed_in, path, {"new_end_on": ["31", "5", "2028"],
                                           "reason": "Venue closed."})
    assert response.status_code == 302
    db.session.refresh(paid_award)
    assert paid_award.report_due_on == NEW_DUE
    page = signed_in.get(f"/staff/awards/{paid_award.id}/monitoring").get_data(as_text=True)
    assert "The end-of-grant report is now due on 31 August 2028." in page
    assert "Moved from 30 April 2028 to 31 August 2028" in page
