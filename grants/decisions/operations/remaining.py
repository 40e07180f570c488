"""What is left of a budget: the one rule every page, report and guard uses.

Remaining = budget − committed, where committed is the money of awards not declined or
withdrawn (`grants.awards.operations.committed`), proposed ones included. The same rule gives a
round's remaining budget and a High Sheriff's remaining county allocation. The ranking's funding
line, the what-if table, the decisions board, the staff dashboard, the reports and the budget
guard's refusal all show this figure, and a test fails if other code works it out again.
"""

from collections.abc import Mapping

from sqlalchemy.orm import Session

from grants.awards.operations.committed import committed_pence_by_round
from grants.funds.models import Round


def remaining_of(budget_pence: int, committed_pence: int) -> int:
    """What is left of a budget (or a county allocation) once its committed money is taken off;
    below zero when more is committed than the budget (a budget lowered after awards)."""
    return budget_pence - committed_pence


class RoundRemaining:
    """For figures of one round holding its `round` and `committed_pence` (the staff dashboard,
    the round page, the decisions board, the nominations list): what is left of its budget."""

    round: Round
    committed_pence: int

    @property
    def remaining_pence(self) -> int:
        return remaining_of(self.round.budget_pence, self.committed_pence)


def remaining_by_round(session: Session, budgets: Mapping[int, int]) -> dict[int, int]:
    """Each round's remaining budget, from its budget by round id, in one query whatever the
    number of rounds."""
    committed = committed_pence_by_round(session, budgets)
    return {round_id: remaining_of(budget, committed[round_id])
            for round_id, budget in budgets.items()}


def remaining_pence(session: Session, round_: Round) -> int:
    """What is left of the round's budget once its committed money is taken off."""
    return remaining_by_round(session, {round_.id: round_.budget_pence})[round_.id]
