"""The rules every change to an allocation keeps.

Every change locks the round's row first (`grants.core.locks.lock_row`), so two staff
working on the same round never interleave, and the money guard reads committed money only after
the lock: the formula's awards never exceed the budget less the top-slice, the top-slice
awards never exceed the top-slice, and together with any other award they never exceed the
round's budget.

Changing the top-slice, recipients, factors or inputs after shares were proposed clears the
proposed shares (and any overrides): they were worked out from figures that no longer hold.
Once the shares are confirmed none of it can change.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.allocations.models import AllocationRecipient
from grants.allocations.operations.listing import is_confirmed, require_allocation
from grants.auth import permissions
from grants.core.errors import Refusal
from grants.core.locks import lock_row
from grants.funds.models import Round


class AllocationRefused(Refusal):
    """The allocation cannot change now; the message says why."""

    status_code = 409


def check_staff(user: User) -> None:
    if not permissions.may_manage_allocations(user):
        raise AllocationRefused("Only staff can manage allocations")


def locked(session: Session, user: User, round_id: int) -> Round:
    """The allocation round, locked, while it can still change."""
    check_staff(user)
    round_ = require_allocation(lock_row(session, Round, round_id, missing="Round not found"))
    if round_.archived_at is not None:
        raise AllocationRefused("This round is archived, so its allocation cannot change")
    return round_


def check_not_confirmed(session: Session, round_: Round) -> None:
    if is_confirmed(session, round_.id):
        raise AllocationRefused("The shares are confirmed as awards, so the allocation cannot "
                                "change")


def clear_proposal(session: Session, round_id: int) -> int:
    """Forget proposed shares and overrides worked out from figures that changed."""
    cleared = 0
    for recipient in session.scalars(select(AllocationRecipient).where(
            AllocationRecipient.round_id == round_id,
            AllocationRecipient.share_pence.is_not(None))):
        recipient.proposed_pence = None
        recipient.share_pence = None
        recipient.override_reason = ""
        cleared += 1
    return cleared
