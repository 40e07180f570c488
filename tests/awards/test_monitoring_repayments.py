"""Repayments of unspent money: never more than was paid less what came back before; each is
audited, logged with ids only, and counted back into its round's fund."""

import logging
from datetime import date

import pytest
from sqlalchemy import select

from grants.awards.models import AwardStatus
from grants.core.errors import ValidationFailed
from grants.extensions import db
from grants.monitoring.models import Repayment
from grants.monitoring.operations import repayments
from grants.records.models import AuditEvent
from grants.reports.operations import figures, selection
from tests.awards.monitoring_fixtures import (  # noqa: F401  (fixtures)
    AMOUNT,
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

RECEIVED = date(2027, 3, 9)


def _repay(staff, award, amount_pence, *, received_on=RECEIVED, reference="RTN-1"):
    return repayments.record_repayment(db.session, staff, award, amount_pence=amount_pence,
                                       received_on=received_on, reference=reference)


def test_a_repayment_is_recorded_and_audited_and_logged_without_personal_data(
        db_session, caplog, staff, paid_award):
    caplog.set_level(logging.INFO, logger="grants.monitoring.operations.repayments")

    repayment = _repay(staff, paid_award, 50_000)

    assert (repayment.amount_pence, repayment.received_on, repayment.reference) == (
        50_000, RECEIVED, "RTN-1")
    event = db_session.scalars(select(AuditEvent).where(
        AuditEvent.action == "award.repayment_recorded")).one()
    assert (event.entity_id, event.actor_id) == (paid_award.id, staff.id)
    assert event.after["amount_pence"] == 50_000
    logged = [r.getMessage() for r in caplog.records if "repayment" in r.getMessage()]
    assert logged == [f"repayment {repayment.id} of 50000 pence recorded against award "
                      f"{paid_award.id} (round {paid_award.round_id}) by user {staff.id}"]


def test_a_repayment_can_be_no_more_than_was_paid_less_earlier_repayments(
        db_session, staff, paid_award):
    _repay(staff, paid_award, 200_000)

    with pytest.raises(ValidationFailed) as refused:
        _repay(staff, paid_award, 50_001, reference="RTN-2")
    assert refused.value.errors["amount"] == (
        "The repayment must be £500 or less: the £2,500 paid less £2,000 repaid before")

    _repay(staff, paid_award, 50_000, reference="RTN-2")
    with pytest.raises(ValidationFailed, match="has all been repaid"):
        _repay(staff, paid_award, 1, reference="RTN-3")


def test_nothing_can_be_repaid_on_a_grant_not_yet_paid(
        db_session, staff, award_factory, application_factory, published_round, organisation):
    award = make_award(award_factory, application_factory, published_round, organisation,
                       status=AwardStatus.ACCEPTED)

    with pytest.raises(ValidationFailed) as refused:
        _repay(staff, award, 100)
    assert refused.value.errors["amount"] == (
        "Nothing can be repaid: none of this grant has been paid")


def test_a_repayment_needs_an_amount_a_past_date_and_a_reference(db_session, staff, paid_award):
    with pytest.raises(ValidationFailed) as refused:
        _repay(staff, paid_award, 0, received_on=date(2027, 3, 11), reference=" ")

    assert refused.value.errors == {
        "amount": "Enter an amount of more than £0",
        "received_on": "The date received must be today or in the past",
        "reference": "Enter the repayment reference"}


def test_a_closed_grant_can_still_have_its_underspend_repaid(db_session, staff, paid_award):
    paid_award.status = AwardStatus.CLOSED

    assert _repay(staff, paid_award, AMOUNT).amount_pence == AMOUNT


def test_repaid_money_is_shown_and_netted_in_each_rounds_report(
        db_session, staff, approver, paid_award, round_factory):
    quiet_round = round_factory(code="PPAF-2026-3")
    _repay(staff, paid_award, 10_000)
    _repay(staff, paid_award, 5_000, reference="RTN-2")

    def report(round_id):
        return figures.report_figures(db_session, selection.round_selection(db_session, round_id))

    paid_round = report(paid_award.round_id)
    assert (paid_round.repaid_pence, paid_round.net_awarded_pence) == (
        15_000, paid_round.amount_awarded_pence - 15_000)
    assert report(quiet_round.id).repaid_pence == 0


def test_staff_record_a_repayment_on_its_page(client, sign_in_as, staff, paid_award):
    path = f"/staff/awards/{paid_award.id}/repayments"
    signed_in = sign_in_as(staff)

    refused = post_form(signed_in, path, {"amount": "3000", "received_on": ["9", "3", "2027"],
                                          "reference": "RTN-1"})
    assert refused.status_code == 200
    assert "The repayment must be £2,500 or less" in refused.get_data(as_text=True)

    response = post_form(signed_in, path, {"amount": "250.50",
                                           "received_on": ["9", "3", "2027"],
                                           "reference": "RTN-1"})
    assert response.status_code == 302
    assert db.session.scalars(select(Repayment.amount_pence)).all() == [25_050]
    page = signed_in.get(f"/staff/awards/{paid_award.id}/monitoring").get_data(as_text=True)
    assert "You recorded a repayment of £250.50" in page
