"""Paying awards: one member of staff records a payment, another approves it, and the money
paid or waiting for approval never comes to more than the award.

Every change locks the award's row first (`offers.lock_award`) and only then adds up its
payments, so two people recording or approving payments of the same award at the same moment
take turns, and the second sees what the first did.
"""

import csv
import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from grants.accounts.models import User
from grants.applications.models import Application, ApplicationStatus
from grants.auth import permissions
from grants.awards.models import Award, AwardStatus, BankDetails, Payment, PaymentStatus
from grants.awards.offers import current_bank_details, lock_award
from grants.core import clock
from grants.core.errors import NotFound, Refusal, ValidationFailed
from grants.core.formatting import format_london_date, format_pounds
from grants.funds.models import Round
from grants.organisations.models import Organisation
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

MAX_REFERENCE = 100
MAX_REASON = 1000
# Payments that hold part of the award: paid, or waiting for approval.
HOLDING_STATUSES = frozenset({PaymentStatus.APPROVED, PaymentStatus.AWAITING_APPROVAL})
RECENT_PAGE_SIZE = 50


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
    award = lock_award(session, award.id)
    if not permissions.may_manage_awards(user):
        raise PaymentRefused("Only staff can record payments")
    session.refresh(award, ["bank_details"])
    refusal = why_not_payable(award)
    if refusal:
        raise PaymentRefused(refusal)
    reference = (reference or "").strip()
    errors = {}
    date_error = _payment_date_error(award, paid_on)
    if date_error:
        errors["paid_on"] = date_error
    totals = payment_totals(session, award)
    amount_error = _amount_error(amount_pence, totals)
    if amount_error:
        errors["amount"] = amount_error
    if not reference:
        errors["reference"] = "Enter the payment reference"
    elif len(reference) > MAX_REFERENCE:
        errors["reference"] = f"The reference must be {MAX_REFERENCE} characters or fewer"
    if errors:
        raise ValidationFailed(errors)

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
    payment = session.get(Payment, payment_id)
    if payment is None:
        raise NotFound("There is no such payment")
    return payment


def _locked_payment(session: Session, payment: Payment) -> tuple[Award, Payment]:
    """The payment's award locked first (as recording does, so the two take turns), then the
    payment read afresh."""
    award = lock_award(session, payment.award_id)
    payment = session.scalars(
        select(Payment).where(Payment.id == payment.id).with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    return award, payment


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
    refusal = why_not_decidable(user, payment, "approve")
    if refusal:
        raise PaymentRefused(refusal)
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
    refusal = why_not_decidable(user, payment, "reject")
    if refusal:
        raise PaymentRefused(refusal)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": "Enter why you are rejecting the payment"})
    if len(reason) > MAX_REASON:
        raise ValidationFailed({"reason": f"The reason must be {MAX_REASON} characters or "
                                          "fewer"})
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


# --- Lists --------------------------------------------------------------------------------

def _with_award():
    return joinedload(Payment.award).options(
        joinedload(Award.organisation), joinedload(Award.round),
        joinedload(Award.application))


def payments_awaiting_approval(session: Session) -> list[Payment]:
    """Every payment waiting for approval, oldest first: the approvers' work."""
    return list(session.scalars(
        select(Payment).where(Payment.status == PaymentStatus.AWAITING_APPROVAL)
        .options(_with_award()).order_by(Payment.recorded_at, Payment.id)
    ))


@dataclass(frozen=True)
class PaymentPage:
    payments: list[Payment]
    page: int
    has_next: bool


def recent_payments(session: Session, page: int = 1) -> PaymentPage:
    """Approved and rejected payments, newest first, a page at a time."""
    page = max(page, 1)
    rows = list(session.scalars(
        select(Payment).where(Payment.status != PaymentStatus.AWAITING_APPROVAL)
        .options(_with_award())
        .order_by(Payment.recorded_at.desc(), Payment.id.desc())
        .offset((page - 1) * RECENT_PAGE_SIZE).limit(RECENT_PAGE_SIZE + 1)
    ))
    return PaymentPage(payments=rows[:RECENT_PAGE_SIZE], page=page,
                       has_next=len(rows) > RECENT_PAGE_SIZE)


def awards_to_pay(session: Session) -> list[tuple[Award, PaymentTotals, str | None]]:
    """Accepted awards not yet fully paid, with their totals and why none can be recorded
    now (None when one can). Three queries whatever the number of awards."""
    awards = list(session.scalars(
        select(Award).where(Award.status == AwardStatus.ACCEPTED)
        .options(joinedload(Award.organisation), joinedload(Award.round),
                 joinedload(Award.application), selectinload(Award.bank_details))
        .order_by(Award.accepted_at, Award.id)
    ).unique())
    sums: dict[tuple[int, PaymentStatus], int] = {}
    if awards:
        for award_id, status, total in session.execute(
            select(Payment.award_id, Payment.status, func.sum(Payment.amount_pence))
            .where(Payment.award_id.in_([a.id for a in awards]),
                   Payment.status.in_(HOLDING_STATUSES))
            .group_by(Payment.award_id, Payment.status)
        ):
            sums[(award_id, status)] = int(total)
    return [
        (award,
         PaymentTotals(amount_pence=award.amount_pence,
                       paid_pence=sums.get((award.id, PaymentStatus.APPROVED), 0),
                       awaiting_pence=sums.get((award.id, PaymentStatus.AWAITING_APPROVAL), 0)),
         why_not_payable(award))
        for award in awards
    ]


# --- The finance download -----------------------------------------------------------------

FINANCE_CSV_HEADER = [
    "Date paid", "Amount (£)", "Payment reference", "Award ID", "Round", "Application reference",
    "Recipient", "Recipient org-id", "Account name", "Sort code", "Account number",
    "Approved by",
]
# A spreadsheet treats a cell starting with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """The value as CSV text that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def pounds_and_pence(pence: int) -> str:
    """2500050 -> "25000.50": plain digits a spreadsheet reads as a number."""
    pounds, rest = divmod(pence, 100)
    return f"{pounds}.{rest:02d}"


def finance_rows(session: Session, start: date, end: date) -> Iterable[list[str]]:
    """Approved payments paid from `start` to `end` (both included), oldest first, with the
    bank details they were approved against: the newest verified before the approval. One
    query."""
    approver = aliased(User)
    paid_to = (
        select(BankDetails.id)
        .where(BankDetails.award_id == Payment.award_id,
               BankDetails.verified_at.is_not(None),
               BankDetails.verified_at <= Payment.approved_at)
        .order_by(BankDetails.entered_at.desc(), BankDetails.id.desc())
        .limit(1).correlate(Payment).scalar_subquery()
    )
    rows = session.execute(
        select(Payment.paid_on, Payment.amount_pence, Payment.reference, Award.id, Round.code,
               Application.reference, Organisation, BankDetails.account_name,
               BankDetails.sort_code, BankDetails.account_number, approver.name)
        .join(Award, Award.id == Payment.award_id)
        .join(Round, Round.id == Award.round_id)
        .join(Organisation, Organisation.id == Award.organisation_id)
        .outerjoin(Application, Application.id == Award.application_id)
        .outerjoin(BankDetails, BankDetails.id == paid_to)
        .outerjoin(approver, approver.id == Payment.approved_by_id)
        .where(Payment.status == PaymentStatus.APPROVED, Payment.paid_on >= start,
               Payment.paid_on <= end)
        .order_by(Payment.paid_on, Payment.id)
    )
    for (paid_on, amount, reference, award_id, round_code, application_reference,
         organisation, account_name, sort_code, account_number, approved_by) in rows:
        yield [spreadsheet_safe(value) for value in (
            paid_on.isoformat(), pounds_and_pence(amount), reference, award_id, round_code,
            application_reference or "", organisation.name, organisation.org_id or "",
            account_name or "", sort_code or "", account_number or "", approved_by or "")]


def finance_csv(session: Session, start: date, end: date) -> str:
    """The finance team's CSV of approved payments in the date range, with a header row."""
    if end < start:
        raise ValidationFailed({"to": "The end date must be the same as or after the start "
                                      "date"})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FINANCE_CSV_HEADER)
    writer.writerows(finance_rows(session, start, end))
    return out.getvalue()


def people_names(session: Session, user_ids: Iterable[int | None]) -> dict[int, str]:
    """The names of the staff and members named on an award's records (one query)."""
    ids = {user_id for user_id in user_ids if user_id is not None}
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())
