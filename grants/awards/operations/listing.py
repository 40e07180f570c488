"""What the payments pages list: payments waiting for approval, recent payments a page at a
time, accepted awards still to pay, and the names of the people on an award's records."""

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from grants.accounts.models import User
from grants.awards.models import Award, AwardStatus, Payment, PaymentStatus
from grants.awards.operations.payments import HOLDING_STATUSES, PaymentTotals, why_not_payable
from grants.core.paging import Page, page_of

RECENT_PAGE_SIZE = 50


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


def recent_payments(session: Session, page: int) -> Page[Payment]:
    """Approved and rejected payments, newest first, a page at a time."""
    return page_of(session, select(Payment)
                   .where(Payment.status != PaymentStatus.AWAITING_APPROVAL)
                   .options(_with_award())
                   .order_by(Payment.recorded_at.desc(), Payment.id.desc()),
                   page, RECENT_PAGE_SIZE)


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


def people_names(session: Session, user_ids: Iterable[int | None]) -> dict[int, str]:
    """The names of the staff and members named on an award's records (one query)."""
    ids = {user_id for user_id in user_ids if user_id is not None}
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())
