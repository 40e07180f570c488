"""Payments: recorded by one member of staff against an accepted award with verified bank
details, approved by another, never more than the award; the award is paid when they reach
it. Staff withdrawing an offer, the payments list and who may see the staff pages."""

import logging
from datetime import date

import pytest
from sqlalchemy import select

from grants.accounts.models import Role
from grants.applications.models import ApplicationStatus
from grants.awards.models import AwardStatus, Payment, PaymentStatus
from grants.awards.operations import offers, payments
from grants.awards.operations.committed import committed_pence
from grants.core.errors import ValidationFailed
from grants.extensions import db
from grants.records.models import AuditEvent, OutboxMessage
from tests.awards.paying import (  # noqa: F401  (fixtures)
    AMOUNT,
    OFFERED_AT,
    accept,
    accepted_award_fixture,
    approver_fixture,
    fixed_clock_fixture,
    give_bank_details,
    member_fixture,
    offered_award_fixture,
    organisation_fixture,
    payable_award_fixture,
    published_round_fixture,
    recorder_fixture,
    verify,
)
from tests.fixtures.auth import post_form


def record(award, staff, amount_pence: int, *, paid_on: date = date(2027, 3, 10),
           reference: str = "BACS-0001") -> Payment:
    payment = payments.record_payment(db.session, staff, award, paid_on=paid_on,
                                      amount_pence=amount_pence, reference=reference)
    db.session.commit()
    return payment


def approve(payment, staff) -> Payment:
    payment = payments.approve_payment(db.session, staff, payment)
    db.session.commit()
    return payment


def _manage(award) -> str:
    return f"/staff/awards/{award.id}"


def _payment_form(amount: str = "1000", **changes) -> dict:
    return {"paid_on": ["10", "3", "2027"], "amount": amount, "reference": "BACS-0001",
            **changes}


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


# --- Recording ----------------------------------------------------------------------------

def test_staff_record_a_payment_that_then_awaits_approval(sign_in_as, recorder,
                                                          payable_award):
    client = sign_in_as(recorder)

    response = post_form(client, f"{_manage(payable_award)}/payments",
                         _payment_form("1,000.50"), form_page=_manage(payable_award))

    assert response.status_code == 302
    [payment] = payable_award.payments
    assert (payment.amount_pence, payment.paid_on, payment.reference, payment.status) == (
        100_050, date(2027, 3, 10), "BACS-0001", PaymentStatus.AWAITING_APPROVAL)
    assert payment.recorded_by_id == recorder.id
    assert payable_award.status is AwardStatus.ACCEPTED
    [event] = _events("payment.recorded")
    assert (event.actor_id, event.entity_type, event.entity_id) == (
        recorder.id, "payment", payment.id)
    assert event.after["award_id"] == payable_award.id
    assert event.after["amount_pence"] == 100_050


def test_no_payment_is_recorded_before_the_bank_details_are_verified(
    sign_in_as, recorder, member, accepted_award
):
    give_bank_details(accepted_award, member)

    page = sign_in_as(recorder).get(_manage(accepted_award)).get_data(as_text=True)

    assert "Verify the recipient&#39;s bank details before recording a payment" in page
    assert "Record payment</button>" not in page
    with pytest.raises(payments.PaymentRefused, match="Verify the recipient's bank details"):
        record(accepted_award, recorder, 1_000)


def test_no_payment_is_recorded_against_an_offer_not_yet_accepted(recorder, offered_award):
    with pytest.raises(payments.PaymentRefused, match="has not accepted the offer"):
        record(offered_award, recorder, 1_000)


def test_a_payment_over_what_is_left_is_refused_showing_what_is_left(sign_in_as, recorder,
                                                                     payable_award):
    record(payable_award, recorder, 200_000)
    client = sign_in_as(recorder)

    response = post_form(client, f"{_manage(payable_award)}/payments", _payment_form("600"),
                         form_page=_manage(payable_award))

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.count("The payment would take the total over the award. The most you can "
                      "record is £500") == 2  # in the error summary and at the field
    assert "<title>Error: PPAF-2026-1-0001" in page
    assert len(payable_award.payments) == 1


def test_nothing_more_is_recorded_once_the_whole_award_is_held(recorder, payable_award):
    record(payable_award, recorder, AMOUNT)

    with pytest.raises(ValidationFailed, match="Nothing is left to pay"):
        record(payable_award, recorder, 1)


def test_the_sum_recorded_never_exceeds_the_award(recorder, approver, payable_award):
    # £1,000 + £1,000 fit; £1,000 more does not; £400 fits but is rejected, freeing it;
    # £500.01 does not fit; £500 does; then not a penny more.
    outcomes = []
    for amount in [100_000, 100_000, 100_000, 40_000, 50_001, 50_000, 1]:
        try:
            payment = record(payable_award, recorder, amount)
        except ValidationFailed:
            db.session.rollback()
            outcomes.append("refused")
        else:
            outcomes.append("recorded")
            if amount == 40_000:
                payments.reject_payment(db.session, approver, payment, "Wrong amount")
                db.session.commit()
        totals = payments.payment_totals(db.session, payable_award)
        assert totals.paid_pence + totals.awaiting_pence <= AMOUNT

    assert outcomes == ["recorded", "recorded", "refused", "recorded", "refused", "recorded",
                        "refused"]
    assert payments.payment_totals(db.session, payable_award).remaining_pence == 0


@pytest.mark.parametrize("paid_on,message", [
    (date(2027, 3, 11), "The date of the payment must be today or in the past"),
    (date(2027, 3, 8), "must be on or after the date the offer was accepted, 9 March 2027"),
])
def test_a_payment_is_dated_between_the_acceptance_and_today(recorder, payable_award,
                                                             paid_on, message):
    with pytest.raises(ValidationFailed, match=message):
        record(payable_award, recorder, 1_000, paid_on=paid_on)


def test_a_payment_needs_a_date_an_amount_and_a_reference(sign_in_as, recorder,
                                                         payable_award):
    response = post_form(sign_in_as(recorder), f"{_manage(payable_award)}/payments",
                         {"paid_on": ["", "", ""], "amount": "0", "reference": ""},
                         form_page=_manage(payable_award))

    page = response.get_data(as_text=True)
    assert "Enter the date of the payment" in page
    assert "Enter an amount of more than £0" in page
    assert "Enter the payment reference" in page


# --- Approving ----------------------------------------------------------------------------

def test_another_member_of_staff_approves_a_payment(sign_in_as, recorder, approver,
                                                    payable_award):
    payment = record(payable_award, recorder, 100_000)
    client = sign_in_as(approver)

    response = post_form(client, f"/staff/payments/{payment.id}/approve",
                         form_page=_manage(payable_award))

    assert response.status_code == 302
    db.session.refresh(payment)
    assert (payment.status, payment.approved_by_id) == (PaymentStatus.APPROVED, approver.id)
    db.session.refresh(payable_award)
    assert payable_award.status is AwardStatus.ACCEPTED  # partly paid
    [event] = _events("payment.approved")
    assert (event.actor_id, event.entity_id) == (approver.id, payment.id)
    assert event.before == {"status": "awaiting_approval"}
    assert event.after["bank_details_id"] == payable_award.bank_details[0].id


def test_the_recorder_cannot_approve_their_own_payment(recorder, payable_award):
    payment = record(payable_award, recorder, 100_000)

    with pytest.raises(payments.PaymentRefused, match="another member of staff must approve"):
        approve(payment, recorder)
    assert payment.status is PaymentStatus.AWAITING_APPROVAL


def test_the_approve_and_reject_buttons_are_hidden_from_the_recorder(sign_in_as, recorder,
                                                                     approver, new_client,
                                                                     payable_award):
    payment = record(payable_award, recorder, 100_000)

    own = sign_in_as(recorder).get(_manage(payable_award)).get_data(as_text=True)
    other = sign_in_as(approver, on=new_client()).get(_manage(payable_award)).get_data(
        as_text=True)

    assert f"/staff/payments/{payment.id}/approve" not in own
    assert f"/staff/payments/{payment.id}/reject" not in own
    assert "Another member of staff must approve it" in own
    assert f"/staff/payments/{payment.id}/approve" in other
    assert f"/staff/payments/{payment.id}/reject" in other


def test_a_refused_approval_is_explained_on_the_award_page(sign_in_as, recorder,
                                                          payable_award):
    payment = record(payable_award, recorder, 100_000)
    client = sign_in_as(recorder)

    response = post_form(client, f"/staff/payments/{payment.id}/approve",
                         form_page=_manage(payable_award), follow_redirects=True)

    assert ("You recorded this payment, so another member of staff must approve it"
            in response.get_data(as_text=True))
    db.session.refresh(payment)
    assert payment.status is PaymentStatus.AWAITING_APPROVAL


def test_the_award_and_application_are_paid_when_approved_payments_reach_the_award(
    recorder, approver, payable_award
):
    first = record(payable_award, recorder, 150_000)
    second = record(payable_award, recorder, 100_000, reference="BACS-0002")
    approve(first, approver)
    assert payable_award.status is AwardStatus.ACCEPTED

    approve(second, approver)

    assert payable_award.status is AwardStatus.PAID
    assert payable_award.application.status is ApplicationStatus.PAID
    [event] = _events("award.paid")
    assert event.after == {"status": "paid", "paid_pence": AMOUNT}


def test_a_payment_is_not_approved_after_the_bank_details_changed_until_they_are_verified(
    recorder, approver, member, payable_award
):
    payment = record(payable_award, recorder, 100_000)
    changed = give_bank_details(payable_award, member, account_number="11112222")

    with pytest.raises(payments.PaymentRefused, match="bank details changed"):
        approve(payment, approver)
    db.session.rollback()
    verify(payable_award, recorder, changed)
    approve(payment, approver)
    assert payment.status is PaymentStatus.APPROVED


def test_the_database_refuses_an_approval_by_the_recorder(recorder, payable_award):
    from sqlalchemy.exc import IntegrityError

    payment = record(payable_award, recorder, 100_000)
    payment.approved_by_id = recorder.id
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


# --- Rejecting ----------------------------------------------------------------------------

def test_a_rejected_payment_frees_its_amount_to_be_recorded_again(sign_in_as, recorder,
                                                                  approver, payable_award):
    payment = record(payable_award, recorder, AMOUNT)
    client = sign_in_as(approver)

    response = post_form(client, f"/staff/payments/{payment.id}/reject",
                         {"reason": "The reference is wrong"})

    assert response.status_code == 302
    db.session.refresh(payment)
    assert (payment.status, payment.rejection_reason) == (
        PaymentStatus.REJECTED, "The reference is wrong")
    assert payment.approved_by_id is None
    [event] = _events("payment.rejected")
    assert (event.actor_id, event.after["reason"]) == (approver.id, "The reference is wrong")
    record(payable_award, recorder, AMOUNT, reference="BACS-0002")


def test_rejecting_needs_a_reason(sign_in_as, recorder, approver, payable_award):
    payment = record(payable_award, recorder, AMOUNT)

    response = post_form(sign_in_as(approver), f"/staff/payments/{payment.id}/reject",
                         {"reason": ""})

    assert "Enter why you are rejecting the payment" in response.get_data(as_text=True)
    db.session.refresh(payment)
    assert payment.status is PaymentStatus.AWAITING_APPROVAL


def test_the_recorder_cannot_reject_their_own_payment(sign_in_as, recorder, payable_award):
    payment = record(payable_award, recorder, AMOUNT)

    response = sign_in_as(recorder).get(f"/staff/payments/{payment.id}/reject")

    assert response.status_code == 302
    with pytest.raises(payments.PaymentRefused):
        payments.reject_payment(db.session, recorder, payment, "Mistake")


# --- Logs ---------------------------------------------------------------------------------

def test_every_money_movement_is_logged_with_ids_and_no_personal_data(
    caplog, recorder, approver, payable_award
):
    with caplog.at_level(logging.INFO, logger="grants.awards"):
        rejected = record(payable_award, recorder, 50_000, reference="BACS-REJ")
        payments.reject_payment(db.session, approver, rejected, "Wrong reference")
        payment = record(payable_award, recorder, AMOUNT, reference="BACS-0001")
        approve(payment, approver)

    award_id, r, a = payable_award.id, recorder.id, approver.id
    assert [rec.getMessage() for rec in caplog.records
            if rec.name == "grants.awards.operations.payments"] == [
        f"payment {rejected.id} of 50000 pence recorded against award {award_id} by user {r}; "
        "awaiting approval",
        f"payment {rejected.id} of 50000 pence for award {award_id} rejected by user {a}",
        f"payment {payment.id} of 250000 pence recorded against award {award_id} by user {r}; "
        "awaiting approval",
        f"payment {payment.id} of 250000 pence approved for award {award_id} by user {a}",
        f"award {award_id} fully paid: 250000 pence",
    ]


# --- Staff withdrawing an offer -----------------------------------------------------------

def test_staff_withdraw_an_accepted_offer_releasing_its_money(sign_in_as, recorder,
                                                              accepted_award,
                                                              published_round):
    before = committed_pence(db.session, published_round.id)
    client = sign_in_as(recorder)

    response = post_form(client, f"/staff/awards/{accepted_award.id}/withdraw",
                         {"reason": "The organisation has closed."})

    assert response.status_code == 302
    db.session.refresh(accepted_award)
    assert accepted_award.status is AwardStatus.WITHDRAWN
    assert accepted_award.withdrawal_reason == "The organisation has closed."
    assert committed_pence(db.session, published_round.id) == before - AMOUNT
    [event] = _events("award.withdrawn")
    assert event.before == {"status": "accepted"}
    [email] = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.idempotency_key == f"award-withdrawn:{accepted_award.id}")).all()
    assert email.to_address == "contact@example.org"
    assert "The organisation has closed." in email.body_text


def test_the_recipient_sees_the_offer_was_withdrawn(sign_in_as, recorder, member,
                                                    offered_award):
    offers.withdraw_offer(db.session, recorder, offered_award, "Funding rules changed")
    db.session.commit()

    page = sign_in_as(member).get(f"/awards/{offered_award.id}/offer").get_data(as_text=True)

    assert "Grant offer withdrawn" in page
    assert "Reason: Funding rules changed" in page


def test_an_offer_with_a_payment_awaiting_approval_or_paid_cannot_be_withdrawn(
    recorder, approver, payable_award
):
    payment = record(payable_award, recorder, 1_000)
    with pytest.raises(offers.OfferRefused, match="waiting for approval"):
        offers.withdraw_offer(db.session, approver, payable_award, "Closed")
    approve(payment, approver)
    with pytest.raises(offers.OfferRefused, match="has been paid"):
        offers.withdraw_offer(db.session, approver, payable_award, "Closed")
    assert payable_award.status is AwardStatus.ACCEPTED


def test_withdrawing_needs_a_reason(sign_in_as, recorder, offered_award):
    response = post_form(sign_in_as(recorder), f"/staff/awards/{offered_award.id}/withdraw",
                         {"reason": ""})

    assert "Enter why the offer is being withdrawn" in response.get_data(as_text=True)
    assert offered_award.status is AwardStatus.OFFERED


# --- The payments list --------------------------------------------------------------------

def test_the_payments_list_shows_payments_awaiting_approval_and_awards_to_pay(
    sign_in_as, recorder, approver, payable_award
):
    record(payable_award, recorder, 100_000, reference="BACS-LIST")

    page = sign_in_as(approver).get("/staff/payments").get_data(as_text=True)

    assert "Payments awaiting approval" in page
    assert "BACS-LIST" in page
    assert f'href="/staff/awards/{payable_award.id}"' in page
    assert "Reading Street Support" in page
    assert "The download has the recipients' sort codes and account numbers in full" in page


def test_the_payments_list_takes_the_same_queries_whatever_the_number_of_payments(
    sign_in_as, recorder, approver, member, payable_award, award_factory, published_round,
    organisation, count_queries
):
    client = sign_in_as(approver)
    record(payable_award, recorder, 1_000)
    client.get("/staff/payments")
    with count_queries() as one:
        client.get("/staff/payments")
    for _ in range(3):
        award = award_factory(round=published_round, organisation=organisation,
                              status=AwardStatus.OFFERED, offered_at=OFFERED_AT)
        accept(award, member)
        verify(award, approver, give_bank_details(award, member))
        approve(record(award, recorder, 1_000), approver)
        record(award, recorder, 1_000)

    with count_queries() as many:
        client.get("/staff/payments")

    assert many.count == one.count, str(many)


# --- Who may see the staff pages ----------------------------------------------------------

@pytest.mark.parametrize("role", [Role.APPLICANT, Role.REVIEWER, Role.HIGH_SHERIFF])
def test_only_staff_see_the_staff_award_and_payment_pages(sign_in_as, user_factory,
                                                          county_factory, recorder,
                                                          payable_award, role):
    payment = record(payable_award, recorder, 1_000)
    extra = ({"county": county_factory(), "term_year": 2026}
             if role is Role.HIGH_SHERIFF else {})
    client = sign_in_as(user_factory(roles=[role], **extra))

    for path in (_manage(payable_award), f"/staff/awards/{payable_award.id}/withdraw",
                 f"/staff/payments/{payment.id}/reject", "/staff/payments",
                 "/staff/payments.csv?from=2027-03-01&to=2027-03-31"):
        assert client.get(path).status_code == 403, path
