"""The ledger guard: a round's budget, or a direct award, never commits more of a fund than
has been paid into it.

A new round's budget, a copy's, a rise in a round's budget (a top-up) or a move of its budget
to another financial year must fit within the money available in the round's year
(`grants.ledger.operations.figures`): in that year and in every later one, whose rounds count
on the money carried forward. Only funds marked as limited by the money paid in
(`Fund.budgets_limited_by_money_paid_in`) are checked.

A direct award (`grants.direct_awards`) must fit the same way when it is recorded, and still
fit when a second member of staff signs it off.

The fund's row is locked (`grants.core.locks.lock_row`) before the ledger is read, so two staff
setting budgets (or recording direct awards) at the same moment take turns and the second sees
the first's. A round's row, when there is one, is locked before the fund's, in that order
everywhere; an award's row, when there is one, is locked before the fund's too.

Nothing set before is checked again: a lower or unchanged budget is never refused, so turning
the limit on leaves existing rounds as they are, whatever the ledger says.
"""

import logging

from sqlalchemy.orm import Session

from grants.core.errors import ValidationFailed
from grants.core.locks import lock_row
from grants.core.money import format_pounds
from grants.funds.models import Fund, Round
from grants.ledger.operations.figures import Spare, fund_ledger

logger = logging.getLogger(__name__)


def _refusal_opening(fund: Fund, year: str, spare: Spare) -> str:
    """A refusal's opening: what the fund has available in the year, and why it is less when
    later years' rounds count on it."""
    message = f"{format_pounds(max(spare.pence, 0))} is available in the {fund.code} for {year}"
    if spare.limited_by != year:
        message += f", as the rounds of {spare.limited_by} count on the money it carries forward"
    return message


def _refusal_ending(spare: Spare, none_for: str, limited: str) -> str:
    """A refusal's ending: there is no money for `none_for`, or `limited` can be no more than
    what is spare."""
    if spare.pence <= 0:
        return f", so there is no money for {none_for} until more is paid in"
    return (f", so {limited} can be no more than {format_pounds(spare.pence)} until more money "
            "is paid in")


def check_budget_fits(session: Session, fund_id: int, year: str, budget_pence: int, *,
                      round_: Round | None = None, field: str = "budget") -> None:
    """Refuse, on `field`, a budget for a round of the fund in the financial year that would
    commit more than the fund has available. `round_` is the round whose budget changes
    (None for a new round)."""
    fund = lock_row(session, Fund, fund_id, missing="There is no such fund")
    if not fund.budgets_limited_by_money_paid_in:
        return
    same_year = round_ is not None and round_.financial_year == year
    if same_year and budget_pence <= round_.budget_pence:
        return
    spare = fund_ledger(session, fund,
                        leaving_out_round_id=round_.id if round_ is not None else None
                        ).spare(year)
    if budget_pence <= spare.pence:
        return
    # A top-up is told what is uncommitted now, besides the round's own budget.
    shown = fund_ledger(session, fund).spare(year) if same_year else spare
    message = _refusal_opening(fund, year, shown)
    if same_year and spare.pence <= round_.budget_pence:
        message += ", so this round's budget cannot rise until more money is paid in"
    elif same_year:
        message += (f", so this round's budget can be no more than {format_pounds(spare.pence)} "
                    "until more money is paid in")
    else:
        message += _refusal_ending(spare, "this budget", "the budget")
    logger.info("budget of %d pence refused for fund %s in %s (round %s): %d pence spare",
                budget_pence, fund.id, year, round_.id if round_ is not None else None,
                spare.pence)
    raise ValidationFailed({field: message})


def check_direct_award_fits(session: Session, fund_id: int, year: str, amount_pence: int, *,
                            counted: bool = False, field: str = "amount") -> None:
    """Refuse, on `field`, a direct award of the fund in the financial year that would commit
    more than the fund has available, in that year or a later one. `counted`: the ledger counts
    the award already (it was committed when recorded, and is signed off now), so it may have
    what is spare besides it. Locks the fund's row, as a round's budget does."""
    fund = lock_row(session, Fund, fund_id, missing="There is no such fund")
    if not fund.budgets_limited_by_money_paid_in:
        return
    ledger = fund_ledger(session, fund)
    spare = ledger.spare_besides(year, amount_pence) if counted else ledger.spare(year)
    if amount_pence <= spare.pence:
        return
    message = _refusal_opening(fund, year, spare)
    message += _refusal_ending(spare, "this direct award", "this direct award")
    logger.info("direct award of %d pence refused for fund %s in %s: %d pence spare",
                amount_pence, fund.id, year, spare.pence)
    raise ValidationFailed({field: message})
