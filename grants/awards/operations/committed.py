"""Money committed from rounds: awards not declined by the recipient or withdrawn."""

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grants.awards.models import RELEASED_STATUSES, Award


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
