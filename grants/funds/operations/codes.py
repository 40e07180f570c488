"""Round codes: `{fund}-{first year of the financial year}-{n}`, suggested when staff leave
the code blank."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.core import clock
from grants.funds.models import Fund, Round
from grants.offices.operations.scoping import EVERY_OFFICE


def code_prefix(fund: Fund, financial_year: str) -> str:
    """ "PPAF-2019-": the start of the codes of a fund's rounds in a financial year ("2019/20")."""
    return f"{fund.code}-{clock.financial_year_start(financial_year)}-"


def suggest_round_code(session: Session, fund: Fund, financial_year: str) -> str:
    """`{fund}-{first year of the financial year}-{n}`: n counts the fund's rounds in that year.

    The January 2020 round of the PPAF, after one earlier round that year, is PPAF-2019-2.
    """
    prefix = code_prefix(fund, financial_year)
    # Codes are unique across every office (a round's public address): another office's
    # fund of the same code takes its numbers too.
    taken = set(session.scalars(
        select(Round.code).where(Round.code.startswith(prefix, autoescape=True))
        .execution_options(**EVERY_OFFICE)
    ))
    number = len(taken) + 1
    while f"{prefix}{number}" in taken:
        number += 1
    return f"{prefix}{number}"


def code_for_draft(session: Session, round_: Round, financial_year: str) -> str:
    """A draft's code when staff leave it blank: its own while it already has the fund and
    financial year, otherwise the next suggested one."""
    if round_.code.startswith(code_prefix(round_.fund, financial_year)):
        return round_.code
    return suggest_round_code(session, round_.fund, financial_year)
