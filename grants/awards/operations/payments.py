"""Paying awards: one member of staff records a payment, another approves it, and the money
paid or waiting for approval never comes to more than the award.

Every change locks the award's row first (`grants.core.locks.lock_row`) and only then adds up its
payments, so two people recording or approving payments of the same award at the same moment
take turns, and the second sees what the first did.
"""

import logging
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.applications.models import ApplicationStatus
from grants.auth import permissions
from grants.awards.models import Award, AwardStatus, Payment, PaymentStatus
from grants.awards.operations.bank_details import current_bank_details
from grants.core import clock
from grants.core.errors import Refusal, or_not_found, required_text
from grants.core.formatting import format_london_date
from grants.core.locks import lock_row
from grants.core.money import format_pounds
from grants.core.problems import refuse_any, text_problem
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

MAX_REFERENCE = 100
MAX_REASON = 1000


# Payments that hold part of the award: paid, or waiting for approval.
HOLDING_STATUSES = frozenset({PaymentStatus.APPROVED, PaymentStatus.AWAITING_APPROVAL})


class PaymentRefused(Refusal):
    """The payment cannot be recorded, approved or rejected; the message says why."""


# --- Totals -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentTotals:
    amount_pence: int
    paid_pence: int  # approved
    awaiting_pence: int

    @property
    def remaining_pence(self) -> int:
        """What can still be recorded: the award less what is paid or waiting for approval."""
        return self.amount_pence - self.paid_pence - self.awaiting_pence

    @property
    def fully_paid(self) -> bool:
        return self.paid_pence >= self.amount_pence


def payment_totals(session: Session, award: Award) -> PaymentTotals:
    """The award's payments added up in the database (one query)."""
    sums = dict(session.execute(
        select(Payment.status, func.coalesce(func.sum(Payment.amount_pence), 0))
        .where(Payment.award_id == award.id, Payment.status.in_(HOLDING_STATUSES))
        .group_by(Payment.status)
    ).all())
    return PaymentTotals(amount_pence=award.amount_pence,
                         paid_pence=int(sums.get(PaymentStatus.APPROVED, 0)),
                         awaiting_pence=int(sums.get(PaymentStatus.AWAITING_APPROVAL, 0)))


def totals_from_loaded(award: Award) -> PaymentTotals:
    """The same totals from payments already loaded with the award (for pages)."""
    def total(status: PaymentStatus) -> int:
        return sum(p.amount_pence for p in award.payments if p.status is status)

    return PaymentTotals(amount_pence=award.amount_pence,
                         paid_pence=total(PaymentStatus.APPROVED),
                         awaiting_pence=total(PaymentStatus.AWAITING_APPROVAL))


# --- Recording ----------------------------------------------------------------------------


def why_not_payable(award: Award) -> str | None:
    """Why no payment can be recorded against the award now, or None when one can."""
    if award.status is not AwardStatus.ACCEPTED:
        if award.status is AwardStatus.PAID:
            return "This award is fully paid"
        if award.status is AwardStatus.OFFERED:
            return "The recipient has not accepted the offer yet"
        return "Payments can only be recorded against an accepted offer"
    details = current_bank_details(award)
    if details is None:
        return "The recipient has not given their bank details yet"
    if details.verified_at is None:
        return "Verify the recipient's bank details before recording a payment"
    return None


def record_payment(session: Session, user: User, award: Award, *, paid_on: date | None,
                   amount_pence: int | None, reference: str) -> Payment:
    """Record a payment of the award. It counts as paid only once someone else approves it."""
    award = lock_row(session, Award, award.id, missing="There is no such award")
    if not permissions.may_manage_awards(user):
        raise PaymentRefused("Only staff can record payments")
    session.refresh(award, ["bank_details"])
    PaymentRefused.raise_if(why_not_payable(award))
    reference = (reference or "").strip()
    refuse_any({
        "paid_on": _payment_date_error(award, paid_on),
        "amount": _amount_error(amount_pence, payment_totals(session, award)),
        "reference": reference_problem(reference, "Enter the payment reference"),
    })

    payment = Payment(award=award, amount_pence=amount_pence, paid_on=paid_on,
                      reference=reference, status=PaymentStatus.AWAITING_APPROVAL,
                      recorded_by_id=user.id, recorded_at=clock.utcnow())
    session.add(payment)
    session.flush()
    record_event(session, actor_id=user.id, action="payment.recorded", entity_type="payment",
                 entity_id=payment.id, after=_snapshot(payment))
    logger.info("payment %s of %d pence recorded against award %s by user %s; awaiting "
                "approval", payment.id, payment.amount_pence, award.id, user.id)
    return payment


def reference_problem(reference: str, missing: str) -> str | None:
    """What is wrong with the reference of a bank transfer (to or from the recipient)."""
    return text_problem(reference, missing, MAX_REFERENCE, "The reference")


def _payment_date_error(award: Award, paid_on: date | None) -> str | None:
    if paid_on is None:
        return "Enter the date of the payment"
    if paid_on > clock.today_in_london():
        return "The date of the payment must be today or in the past"
    if award.accepted_on is not None and paid_on < award.accepted_on:
        return ("The date of the payment must be on or after the date the offer was accepted, "
                f"{format_london_date(award.accepted_on)}")
    return None


def _amount_error(amount_pence: int | None, totals: PaymentTotals) -> str | None:
    if amount_pence is None:
        return "Enter the amount paid"
    if amount_pence <= 0:
        return "Enter an amount of more than £0"
    if totals.remaining_pence <= 0:
        return (f"Nothing is left to pay: the whole award of {format_pounds(totals.amount_pence)}"
                " is paid or waiting for approval")
    if amount_pence > totals.remaining_pence:
        return (f"The payment would take the total over the award. The most you can record "
                f"is {format_pounds(totals.remaining_pence)}")
    return None


# --- Approving and rejecting --------------------------------------------------------------


def get_payment(session: Session, payment_id: int) -> Payment:
    return or_not_found(session.get(Payment, payment_id), "There is no such payment")


def _locked_payment(session: Session, payment: Payment) -> tuple[Award, Payment]:
    """The payment's award locked first (as recording does, so the two take turns), then the
    payment read afresh."""
    award = lock_row(session, Award, payment.award_id, missing="There is no such award")
    return award, lock_row(session, Payment, payment.id, missing="There is no such payment")


def why_not_decidable(user: User, payment: Payment, verb: str) -> str | None:
    """Why this person cannot approve (or reject) the payment, or None when they can."""
    if not permissions.may_manage_awards(user):
        return f"Only staff can {verb} payments"
    if payment.status is PaymentStatus.APPROVED:
        return "This payment is approved"
    if payment.status is PaymentStatus.REJECTED:
        return "This payment was rejected"
    if payment.recorded_by_id == user.id:
        return f"You recorded this payment, so another member of staff must {verb} it"
    return None


def approve_payment(session: Session, user: User, payment: Payment) -> Payment:
    """Approve a payment recorded by someone else: it now counts as paid. When the approved
    payments reach the award, the award and its application are paid."""
    award, payment = _locked_payment(session, payment)
    PaymentRefused.raise_if(why_not_decidable(user, payment, "approve"))
    if award.status is not AwardStatus.ACCEPTED:
        raise PaymentRefused("Payments can only be approved for an accepted offer")
    session.refresh(award, ["bank_details"])
    details = current_bank_details(award)
    if details is None or details.verified_at is None:
        raise PaymentRefused("The recipient's bank details changed after this payment was "
                             "recorded. Verify the new details before approving it")
    totals = payment_totals(session, award)
    # Recording already keeps paid + waiting within the award; this holds even if it did not.
    if totals.paid_pence + payment.amount_pence > award.amount_pence:
        raise PaymentRefused("Approving this payment would take the total paid over the award")

    payment.status = PaymentStatus.APPROVED
    payment.approved_by_id = user.id
    payment.approved_at = clock.utcnow()
    session.flush()
    record_event(session, actor_id=user.id, action="payment.approved", entity_type="payment",
                 entity_id=payment.id, before={"status": PaymentStatus.AWAITING_APPROVAL.value},
                 after={**_snapshot(payment), "bank_details_id": details.id})
    logger.info("payment %s of %d pence approved for award %s by user %s", payment.id,
                payment.amount_pence, award.id, user.id)
    paid = totals.paid_pence + payment.amount_pence
    if paid >= award.amount_pence:
        _mark_paid(session, user, award, paid)
    return payment


def _mark_paid(session: Session, user: User, award: Award, paid_pence: int) -> None:
    award.status = AwardStatus.PAID
    application = award.application
    if application is not None and application.status is ApplicationStatus.OFFER_ACCEPTED:
        application.status = ApplicationStatus.PAID
    session.flush()
    record_event(session, actor_id=user.id, action="award.paid", entity_type="award",
                 entity_id=award.id, before={"status": AwardStatus.ACCEPTED.value},
                 after={"status": award.status.value, "paid_pence": paid_pence})
    logger.info("award %s fully paid: %d pence", award.id, paid_pence)


def reject_payment(session: Session, user: User, payment: Payment, reason: str) -> Payment:
    """Reject a payment recorded by someone else: it never counts, and its amount can be
    recorded again."""
    award, payment = _locked_payment(session, payment)
    PaymentRefused.raise_if(why_not_decidable(user, payment, "reject"))
    reason = required_text(reason, "reason", "Enter why you are rejecting the payment",
                           MAX_REASON, "The reason")
    payment.status = PaymentStatus.REJECTED
    payment.rejection_reason = reason
    session.flush()
    record_event(session, actor_id=user.id, action="payment.rejected", entity_type="payment",
                 entity_id=payment.id, before={"status": PaymentStatus.AWAITING_APPROVAL.value},
                 after={**_snapshot(payment), "reason": reason})
    logger.info("payment %s of %d pence for award %s rejected by user %s", payment.id,
                payment.amount_pence, award.id, user.id)
    return payment


def _snapshot(payment: Payment) -> dict:
    return {"award_id": payment.award_id, "amount_pence": payment.amount_pence,
            "paid_on": payment.paid_on.isoformat(), "reference": payment.reference,
            "status": payment.status.value}
