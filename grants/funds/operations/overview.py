"""What the staff round page shows besides the round: money, state and the actions allowed."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from grants.awards.operations.committed import committed_pence
from grants.decisions.operations.remaining import RoundRemaining
from grants.funds.models import Round, RoundStatus
from grants.funds.operations.rounds import (
    first_interest_sent_at,
    first_submission_at,
    get_round,
)


@dataclass(frozen=True)
class RoundOverview(RoundRemaining):
    """What the staff round page shows besides the round itself."""

    round: Round
    status: RoundStatus
    committed_pence: int
    allocated_pence: int
    first_submission_at: datetime | None
    # In a round that starts with an expression of interest, when the first was sent.
    first_interest_sent_at: datetime | None
    actions: frozenset[str]

    @property
    def setup_locked(self) -> bool:
        """Questions, criteria, priorities and organisation types are fixed."""
        return self.first_submission_at is not None or self.first_interest_sent_at is not None


def round_overview(session: Session, round_id: int) -> RoundOverview:
    round_ = get_round(session, round_id)
    status = round_.status
    return RoundOverview(
        round=round_,
        status=status,
        committed_pence=committed_pence(session, round_.id),
        allocated_pence=sum(a.amount_pence for a in round_.county_allocations),
        first_submission_at=first_submission_at(session, round_.id),
        first_interest_sent_at=(first_interest_sent_at(session, round_.id)
                                if round_.interest_closes_at else None),
        actions=available_actions(round_, status),
    )


def available_actions(round_: Round, status: RoundStatus) -> frozenset[str]:
    """The staff actions the round's state allows: launch, start_assessment, mark_decided,
    archive, copy."""
    actions = {"copy"}
    if round_.archived_at is None:
        if status is RoundStatus.DRAFT:
            actions.add("launch")
        if status is RoundStatus.CLOSED:
            actions.add("start_assessment")
        if status is RoundStatus.ASSESSING:
            actions.add("mark_decided")
        if status is not RoundStatus.OPEN:
            actions.add("archive")
    return frozenset(actions)
