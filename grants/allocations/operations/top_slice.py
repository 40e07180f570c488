"""The top-slice: part of the budget kept for targeted priorities, as an amount or a
percentage; the rest is shared by formula."""

import logging

from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.allocations.operations import formula
from grants.allocations.operations.guard import check_not_confirmed, clear_proposal, locked
from grants.allocations.operations.listing import allocated_pence, top_slice_committed_pence
from grants.core.errors import ValidationFailed
from grants.core.money import format_pounds
from grants.funds.models import Round
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)


def top_slice_for_percentage(budget_pence: int, basis_points: int) -> int:
    """The top-slice for a percentage of the budget: the percentage, rounded up to the penny
    that leaves the formula a whole number of pounds to share."""
    allocated = budget_pence * (formula.FULL_WEIGHT - basis_points) // formula.FULL_WEIGHT
    return budget_pence - allocated // 100 * 100


def set_top_slice(session: Session, user: User, round_id: int, *, amount_pence: int | None = None,
                  basis_points: int | None = None) -> Round:
    """Keep part of the budget for targeted priorities, as an amount or a percentage; the
    rest is shared by formula."""
    round_ = locked(session, user, round_id)
    check_not_confirmed(session, round_)
    budget = round_.budget_pence
    if basis_points is not None:
        if not 0 <= basis_points <= formula.FULL_WEIGHT:
            raise ValidationFailed({"percentage": "Enter a percentage between 0 and 100"})
        amount_pence = top_slice_for_percentage(budget, basis_points)
        field_name = "percentage"
    elif amount_pence is not None:
        field_name = "amount"
        if amount_pence < 0 or amount_pence > budget:
            raise ValidationFailed({"amount": "The top-slice must be between £0 and the "
                                              f"budget of {format_pounds(budget)}"})
        if (budget - amount_pence) % 100:
            lower = budget - (budget - amount_pence + 99) // 100 * 100
            raise ValidationFailed({"amount": (
                "The budget less the top-slice must be whole pounds, so that the formula "
                f"shares whole pounds: make the top-slice {format_pounds(max(lower, 0))} or "
                f"{format_pounds(budget - (budget - amount_pence) // 100 * 100)}")})
    else:
        raise ValidationFailed({"how": "Choose whether the top-slice is an amount or a "
                                       "percentage"})
    committed_top = top_slice_committed_pence(session, round_.id)
    if amount_pence < committed_top:
        raise ValidationFailed({field_name: (
            f"The top-slice cannot be less than the {format_pounds(committed_top)} already "
            "awarded from it")})

    before = {"top_slice_pence": round_.top_slice_pence,
              "top_slice_basis_points": round_.top_slice_basis_points}
    after = {"top_slice_pence": amount_pence, "top_slice_basis_points": basis_points}
    if before == after:
        return round_
    round_.top_slice_pence = amount_pence
    round_.top_slice_basis_points = basis_points
    cleared = clear_proposal(session, round_.id) if before["top_slice_pence"] != amount_pence \
        else 0
    session.flush()
    record_event(session, actor_id=user.id, action="allocation.top_slice_set",
                 entity_type="round", entity_id=round_.id, before=before,
                 after={**after, "allocated_pence": allocated_pence(round_),
                        "shares_cleared": cleared})
    logger.info("round %s: top-slice set to %d pence by user %s; %d pence to allocate by "
                "formula", round_.id, amount_pence, user.id, allocated_pence(round_))
    return round_
