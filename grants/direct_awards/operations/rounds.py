"""The round that holds a fund's direct awards of a financial year.

A direct award is made outside any round, but it lives in one: "Direct awards 2026/27" of its
fund, a round of the kind `direct` the service makes the first time it is needed and nobody sets
up or changes by hand. So every reader that reaches an award's fund and financial year through
its round (the ledger, the reports, the register, the 360Giving export, the dashboard) takes a
direct award as it takes any other, with no case of its own.

Its decisions count as published from the day it is made (`publicity.publish_as_signed_off`):
each award in it is private until it is signed off and offered. Its budget is what its awards
commit (`committed.settle_direct_budget`), so it is never over or under what it awarded.
"""

import logging
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.awards.operations.publicity import publish_as_signed_off
from grants.core import clock
from grants.funds.models import Fund, Round, RoundKind
from grants.funds.operations.history import round_snapshot
from grants.offices.operations.scoping import EVERY_OFFICE
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)


def direct_round_title(year: str) -> str:
    return f"Direct awards {year}"


def direct_round_code(fund: Fund, year: str) -> str:
    """"PPAF-DIRECT-2026": apart from the codes of the fund's rounds of the year
    (PPAF-2026-1, …), which staff's next suggested code counts."""
    return f"{fund.code}-DIRECT-{clock.financial_year_start(year)}"


def find_direct_round(session: Session, fund_id: int, year: str) -> Round | None:
    """The fund's direct awards round of the financial year, if it has been made."""
    return session.scalars(
        select(Round).where(Round.fund_id == fund_id, Round.kind == RoundKind.DIRECT,
                            Round.financial_year == year)
        .order_by(Round.id)).first()


def _free_code(session: Session, code: str) -> str:
    """The code, or the code with a number after it when staff gave a round of theirs that
    code."""
    taken = set(session.scalars(select(Round.code).where(
        Round.code.startswith(code, autoescape=True)).execution_options(**EVERY_OFFICE)))
    number, free = 1, code
    while free in taken:
        number += 1
        free = f"{code}-{number}"
    return free


def direct_round(session: Session, fund: Fund, year: str, *, actor_id: int | None) -> Round:
    """The fund's direct awards round of the year, made when the year's first direct award is
    recorded. Called with the fund's row locked (`guard.check_direct_award_fits`), so two staff
    recording the year's first direct awards at once make one round between them."""
    found = find_direct_round(session, fund.id, year)
    if found is not None:
        return found
    start = clock.financial_year_start(year)
    now = clock.utcnow()
    round_ = Round(
        fund=fund, code=_free_code(session, direct_round_code(fund, year)),
        title=direct_round_title(year), kind=RoundKind.DIRECT, financial_year=year,
        # The whole financial year, from 1 April to the end of 31 March.
        opens_at=_london(date(start, 4, 1), start_of_day=True),
        closes_at=_london(date(start + 1, 3, 31), start_of_day=False),
        budget_pence=0, launched_at=now)
    publish_as_signed_off(round_, now)
    session.add(round_)
    session.flush()
    record_event(session, actor_id=actor_id, action="round.created", entity_type="round",
                 entity_id=round_.id, after=round_snapshot(round_),
                 note="Made to hold the fund's direct awards of the year")
    logger.info("round %s made for the direct awards of fund %s in %s", round_.id, fund.id, year)
    return round_


def _london(day: date, *, start_of_day: bool) -> datetime:
    return clock.london_to_utc(day, time(0) if start_of_day else clock.END_OF_DAY)
