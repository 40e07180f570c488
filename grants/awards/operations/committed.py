"""Money committed from rounds: awards not declined by the recipient or withdrawn."""

import logging
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grants.awards.models import RELEASED_STATUSES, Award
from grants.core.locks import lock_row
from grants.funds.models import Fund, Round, RoundKind

logger = logging.getLogger(__name__)


def committed_pence_by_round(session: Session, round_ids: Iterable[int]) -> dict[int, int]:
    """Committed money of each round: its awards not declined by the recipient or withdrawn.

    One query whatever the number of rounds; rounds without awards map to 0.
    """
    ids = list(set(round_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(Award.round_id, func.coalesce(func.sum(Award.amount_pence), 0))
        .where(Award.round_id.in_(ids), Award.status.not_in(RELEASED_STATUSES))
        .group_by(Award.round_id)
    )
    committed = dict.fromkeys(ids, 0)
    committed.update({round_id: int(total) for round_id, total in rows})
    return committed


def committed_pence(session: Session, round_id: int) -> int:
    return committed_pence_by_round(session, [round_id])[round_id]


def settle_direct_budget(session: Session, round_: Round) -> None:
    """A fund's direct awards round has the budget its awards commit, the one rule that puts
    direct awards in the fund's ledger, its reports and its dashboard as committed money: called
    whenever a direct award is recorded or released (declined or withdrawn). Other rounds'
    budgets are staff's to set, and are left alone.

    The fund's row is locked first, as the ledger guard locks it, so that a direct award
    recorded and another released at the same moment take turns, and each adds up what the
    other did."""
    if round_.kind is not RoundKind.DIRECT:
        return
    lock_row(session, Fund, round_.fund_id, missing="There is no such fund")
    before = round_.budget_pence
    round_.budget_pence = committed_pence(session, round_.id)
    session.flush()
    logger.info("direct awards round %s of fund %s: budget from %d to %d pence", round_.id,
                round_.fund_id, before, round_.budget_pence)
