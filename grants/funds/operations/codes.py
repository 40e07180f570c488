"""Round codes: `{fund}-{first year of the financial year}-{n}`, suggested when staff leave
the code blank."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.core import clock
from grants.funds.models import Fund, Round


def financial_year_first(closes_at: datetime) -> int:
    """The first calendar year of the financial year a round closing then belongs to."""
    return clock.financial_year_start(
        clock.financial_year_of(clock.to_london(closes_at).date())
    )


def suggest_round_code(session: Session, fund: Fund, closes_at: datetime) -> str:
    """`{fund}-{first year of the financial year}-{n}`: n counts the fund's rounds in that year.

    The January 2020 round of the PPAF, after one earlier round that year, is PPAF-2019-2.
    """
    prefix = f"{fund.code}-{financial_year_first(closes_at)}-"
    taken = set(session.scalars(
        select(Round.code).where(Round.code.startswith(prefix, autoescape=True))
    ))
    number = len(taken) + 1
    while f"{prefix}{number}" in taken:
        number += 1
    return f"{prefix}{number}"


def code_for_draft(session: Session, round_: Round, closes_at: datetime) -> str:
    """A draft's code when staff leave it blank: its own while it already has the fund and
    financial year of the closing date, otherwise the next suggested one."""
    prefix = f"{round_.fund.code}-{financial_year_first(closes_at)}-"
    if round_.code.startswith(prefix):
        return round_.code
    return suggest_round_code(session, round_.fund, closes_at)
