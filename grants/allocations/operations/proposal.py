"""The shares: proposed by formula in whole pounds that add up to the amount allocated, and
any one changed by staff with a reason."""

import logging

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.allocations.models import AllocationRecipient
from grants.allocations.operations import formula
from grants.allocations.operations.guard import AllocationRefused, check_not_confirmed, locked
from grants.allocations.operations.listing import (
    allocated_pence,
    factors_of,
    get_recipient,
    recipients_of,
)
from grants.core.errors import ValidationFailed
from grants.core.money import format_pounds
from grants.core.problems import refuse_any, text_problem
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

MAX_REASON = 1000


def propose_shares(session: Session, user: User, round_id: int) -> list[AllocationRecipient]:
    """Work out each recipient's share by formula, in whole pounds that add up to the amount
    allocated. Proposing again replaces every share, overrides included."""
    round_ = locked(session, user, round_id)
    check_not_confirmed(session, round_)
    factors = factors_of(session, round_.id)
    recipients = recipients_of(session, round_.id)
    amount = allocated_pence(round_)
    if amount % 100:
        raise AllocationRefused(
            f"The amount to allocate, {format_pounds(amount)}, is not whole pounds. Set a "
            f"top-slice of at least {format_pounds(amount % 100)} first")
    try:
        shares = formula.allocate(
            amount // 100,
            [formula.Factor(f.id, f.name, f.weight_basis_points) for f in factors],
            [formula.Recipient(r.id, r.organisation.name,
                               {i.factor_id: i.value for i in r.inputs}) for r in recipients])
    except formula.FormulaError as error:
        raise AllocationRefused(str(error)) from None
    by_id = {share.key: share for share in shares}
    before = {r.id: (r.proposed_pence, r.share_pence) for r in recipients}
    for recipient in recipients:
        recipient.proposed_pence = recipient.share_pence = by_id[recipient.id].pounds * 100
        recipient.override_reason = ""
    session.flush()
    record_event(session, actor_id=user.id, action="allocation.shares_proposed",
                 entity_type="round", entity_id=round_.id,
                 before={"shares": [{"recipient_id": rid, "proposed_pence": p,
                                     "share_pence": s} for rid, (p, s) in before.items()]},
                 after={"allocated_pence": amount,
                        "shares": [{"recipient_id": r.id, "organisation_id": r.organisation_id,
                                    "share_pence": r.share_pence} for r in recipients]})
    logger.info("round %s: %d shares of %d pence proposed by user %s", round_.id,
                len(recipients), amount, user.id)
    return recipients


def override_share(session: Session, user: User, round_id: int, recipient_id: int, *,
                   amount_pence: int | None, reason: str) -> AllocationRecipient:
    """Give a recipient a share other than the formula's, saying why. The shares together
    can never come to more than the amount allocated."""
    round_ = locked(session, user, round_id)
    check_not_confirmed(session, round_)
    recipient = get_recipient(session, round_.id, recipient_id)
    session.refresh(recipient)
    if recipient.proposed_pence is None:
        raise AllocationRefused("Propose the shares by formula before changing one")
    reason = (reason or "").strip()
    errors: dict[str, str | None] = {}
    if amount_pence is None or amount_pence < 0:
        errors["amount"] = "Enter the share, in pounds, of £0 or more"
    errors["reason"] = text_problem(reason, "Enter why this share differs from the formula's",
                                    MAX_REASON, "The reason")
    refuse_any(errors)
    others = int(session.scalar(
        select(func.coalesce(func.sum(AllocationRecipient.share_pence), 0))
        .where(AllocationRecipient.round_id == round_.id,
               AllocationRecipient.id != recipient.id)))
    total, allocated = others + amount_pence, allocated_pence(round_)
    if total > allocated:
        raise ValidationFailed({"amount": (
            f"The shares would add up to {format_pounds(total)}, which is "
            f"{format_pounds(total - allocated)} over the {format_pounds(allocated)} to "
            f"allocate. This share can be at most {format_pounds(allocated - others)}")})
    before = {"share_pence": recipient.share_pence, "override_reason": recipient.override_reason}
    recipient.share_pence = amount_pence
    recipient.override_reason = reason
    session.flush()
    record_event(session, actor_id=user.id, action="allocation.share_overridden",
                 entity_type="round", entity_id=round_.id, before=before,
                 after={"recipient_id": recipient.id,
                        "organisation_id": recipient.organisation_id,
                        "proposed_pence": recipient.proposed_pence,
                        "share_pence": amount_pence, "override_reason": reason,
                        "shares_total_pence": total})
    logger.info("round %s: share of recipient %s overridden to %d pence by user %s (formula "
                "%d pence)", round_.id, recipient.id, amount_pence, user.id,
                recipient.proposed_pence)
    return recipient
