"""Staff recording unspent money a recipient paid back; it returns to the fund."""

import logging
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.awards.models import Award, Payment, PaymentStatus
from grants.awards.operations import payments
from grants.core import clock
from grants.core.locks import lock_row
from grants.core.money import format_pounds
from grants.core.problems import refuse_any
from grants.monitoring.models import Repayment
from grants.monitoring.operations.guard import check_staff
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

# A repayment's reference is a bank transfer's, like a payment's.
MAX_REFERENCE = payments.MAX_REFERENCE


@dataclass(frozen=True)
class MoneyBack:
    paid_pence: int  # approved payments
    repaid_pence: int

    @property
    def repayable_pence(self) -> int:
        """The most a further repayment can be: what was paid less what came back already."""
        return max(self.paid_pence - self.repaid_pence, 0)


def money_back(session: Session, award: Award) -> MoneyBack:
    """The award's approved payments and repayments, added up in the database (two queries)."""
    paid = session.scalar(
        select(func.coalesce(func.sum(Payment.amount_pence), 0))
        .where(Payment.award_id == award.id, Payment.status == PaymentStatus.APPROVED))
    repaid = session.scalar(
        select(func.coalesce(func.sum(Repayment.amount_pence), 0))
        .where(Repayment.award_id == award.id))
    return MoneyBack(paid_pence=int(paid), repaid_pence=int(repaid))


def record_repayment(session: Session, user: User, award: Award, *, amount_pence: int | None,
                     received_on: date | None, reference: str) -> Repayment:
    """Record money the recipient paid back; it returns to the fund. Never more than was
    paid, less what was repaid before."""
    check_staff(user)
    award = lock_row(session, Award, award.id, missing="There is no such award")
    totals = money_back(session, award)
    reference = (reference or "").strip()
    errors: dict[str, str | None] = {}
    if amount_pence is None:
        errors["amount"] = "Enter the amount repaid"
    elif amount_pence <= 0:
        errors["amount"] = "Enter an amount of more than £0"
    elif totals.repayable_pence <= 0:
        errors["amount"] = ("Nothing can be repaid: " + (
            "none of this grant has been paid" if totals.paid_pence == 0 else
            f"the {format_pounds(totals.paid_pence)} paid has all been repaid"))
    elif amount_pence > totals.repayable_pence:
        errors["amount"] = (
            f"The repayment must be {format_pounds(totals.repayable_pence)} or less: the "
            f"{format_pounds(totals.paid_pence)} paid less "
            f"{format_pounds(totals.repaid_pence)} repaid before")
    if received_on is None:
        errors["received_on"] = "Enter the date the repayment was received"
    elif received_on > clock.today_in_london():
        errors["received_on"] = "The date received must be today or in the past"
    errors["reference"] = payments.reference_problem(reference, "Enter the repayment reference")
    refuse_any(errors)

    repayment = Repayment(award_id=award.id, amount_pence=amount_pence,
                          received_on=received_on, reference=reference,
                          recorded_by_id=user.id, recorded_at=clock.utcnow())
    session.add(repayment)
    session.flush()
    record_event(session, actor_id=user.id, action="award.repayment_recorded",
                 entity_type="award", entity_id=award.id,
                 before={"repaid_pence": totals.repaid_pence},
                 after={"repayment_id": repayment.id, "amount_pence": amount_pence,
                        "received_on": received_on.isoformat(), "reference": reference,
                        "repaid_pence": totals.repaid_pence + amount_pence})
    logger.info("repayment %s of %d pence recorded against award %s (round %s) by user %s",
                repayment.id, amount_pence, award.id, award.round_id, user.id)
    return repayment


def repayments_of(session: Session, award: Award) -> list[Repayment]:
    return list(session.scalars(
        select(Repayment).where(Repayment.award_id == award.id)
        .order_by(Repayment.received_on, Repayment.id)))

