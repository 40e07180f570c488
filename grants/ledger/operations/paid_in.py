"""Recording money paid into a fund, one payment at a time, and listing what was paid in.

The same payment is never recorded twice: one with the same day, amount, source and reference
as one the fund has already is refused, so a form sent twice or a file imported twice adds
nothing.
"""

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.core import clock
from grants.core.errors import ValidationFailed, or_not_found
from grants.core.formatting import format_london_date
from grants.core.locks import lock_row
from grants.core.money import format_pounds
from grants.core.paging import Page, page_of
from grants.core.problems import refuse_any, text_problem
from grants.funds.models import Fund
from grants.ledger.models import (
    MAX_REFERENCE_LENGTH,
    MAX_SOURCE_LENGTH,
    MoneyPaidIn,
    money_year_of,
)
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

PAGE_SIZE = 50
# The earliest day money can have been received: older dates are slips of the keyboard.
EARLIEST_DAY = date(1990, 4, 1)
# Money may be stated as the year before the day it arrived (last quarter's proceeds arriving
# in April) or the year after, but not further off: that is a slip of the keyboard.
YEARS_EITHER_SIDE = 1


def written_year(text: str) -> str:
    """A financial year as people write it ("2019-20", "2019 / 20") as the service does:
    "2019/20"."""
    return text.replace(" ", "").replace("-", "/")


@dataclass(frozen=True)
class PaidInEntry:
    """A payment into a fund as staff type it, or as a row of a CSV file gives it."""

    received_on: date | None
    amount_pence: int | None
    source: str
    reference: str
    financial_year: str = ""  # "2019/20"; blank: that of the day received

    @property
    def year(self) -> str:
        """The financial year the money counts in: as stated, else that of the day."""
        if self.financial_year or self.received_on is None:
            return self.financial_year
        return money_year_of(self.received_on)

    @property
    def key(self) -> tuple[date | None, int | None, str, str]:
        """What makes two entries the same payment."""
        return (self.received_on, self.amount_pence, self.source.strip().casefold(),
                self.reference.strip().casefold())


def _year_problem(entry: PaidInEntry) -> str | None:
    if not entry.financial_year:
        return None
    try:
        start = clock.financial_year_start(entry.financial_year)
    except ValueError:
        return "Enter the financial year as 4 digits, a slash and 2 digits, like 2019/20"
    if entry.received_on is None:
        return None
    received = clock.financial_year_start(money_year_of(entry.received_on))
    if abs(start - received) > YEARS_EITHER_SIDE:
        return (f"The financial year must be the one the money was received in "
                f"({money_year_of(entry.received_on)}), or the year before or after it")
    return None


def entry_problems(entry: PaidInEntry, today: date) -> dict[str, str | None]:
    """What is wrong with each answer (None where it is fine)."""
    if entry.received_on is None:
        received = "Enter the date the money was received"
    elif entry.received_on > today:
        received = "The date received must be today or in the past"
    elif entry.received_on < EARLIEST_DAY:
        received = "The date received must be on or after 1 April 1990"
    else:
        received = None
    if entry.amount_pence is None:
        amount = "Enter the amount paid in"
    elif entry.amount_pence <= 0:
        amount = "Enter an amount of more than £0"
    else:
        amount = None
    return {
        "received_on": received,
        "amount": amount,
        "source": text_problem(entry.source.strip(), "Enter where the money came from",
                               MAX_SOURCE_LENGTH, "The source"),
        "reference": text_problem(entry.reference.strip(), "Enter the reference",
                                  MAX_REFERENCE_LENGTH, "The reference"),
        "financial_year": _year_problem(entry),
    }


def describe(entry: PaidInEntry | MoneyPaidIn) -> str:
    """A payment in as a message names it: "£24,300 received on 15 July 2019"."""
    return (f"{format_pounds(entry.amount_pence)} received on "
            f"{format_london_date(entry.received_on)}")


def already_recorded(session: Session, fund_id: int, entries: list[PaidInEntry]
                     ) -> set[tuple[date | None, int | None, str, str]]:
    """The keys of the entries the fund has already recorded (one query)."""
    days = {entry.received_on for entry in entries if entry.received_on is not None}
    if not days:
        return set()
    rows = session.execute(
        select(MoneyPaidIn.received_on, MoneyPaidIn.amount_pence, MoneyPaidIn.source,
               MoneyPaidIn.reference)
        .where(MoneyPaidIn.fund_id == fund_id, MoneyPaidIn.received_on.in_(days)))
    return {(day, pence, source.casefold(), reference.casefold())
            for day, pence, source, reference in rows}


def snapshot(row: MoneyPaidIn) -> dict[str, Any]:
    return {"money_paid_in_id": row.id, "received_on": row.received_on.isoformat(),
            "financial_year": row.financial_year, "amount_pence": row.amount_pence,
            "source": row.source, "reference": row.reference}


def add_entry(session: Session, fund: Fund, entry: PaidInEntry, *, actor_id: int | None,
              note: str = "") -> MoneyPaidIn:
    """Write one checked entry, with its audit event."""
    row = MoneyPaidIn(fund_id=fund.id, received_on=entry.received_on,
                      financial_year=entry.year, amount_pence=entry.amount_pence,
                      source=entry.source.strip(), reference=entry.reference.strip(),
                      recorded_by_id=actor_id, recorded_at=clock.utcnow())
    session.add(row)
    session.flush()
    record_event(session, actor_id=actor_id, action="fund.money_paid_in", entity_type="fund",
                 entity_id=fund.id, after=snapshot(row), note=note)
    logger.info("money paid in %s: %d pence into fund %s for %s by user %s", row.id,
                row.amount_pence, fund.id, row.financial_year, actor_id)
    return row


def record_money_paid_in(session: Session, fund: Fund, entry: PaidInEntry, *,
                         actor_id: int | None) -> MoneyPaidIn:
    """Record money paid into the fund. Every answer is checked at once; a payment the fund
    has already recorded is refused. The fund's row is locked first, so the same payment sent
    twice at once is recorded once."""
    fund = lock_row(session, Fund, fund.id, missing="There is no such fund")
    refuse_any(entry_problems(entry, clock.today_in_london()))
    if entry.key in already_recorded(session, fund.id, [entry]):
        raise ValidationFailed({"reference": (
            f"{describe(entry)} from {entry.source.strip()} with this reference is already "
            "recorded")})
    return add_entry(session, fund, entry, actor_id=actor_id)


def get_fund(session: Session, fund_id: int) -> Fund:
    return or_not_found(session.get(Fund, fund_id), "There is no such fund")


def money_paid_in_page(session: Session, fund: Fund, number: int) -> Page[MoneyPaidIn]:
    """A page of the money paid into the fund, newest first (two queries)."""
    return page_of(session, select(MoneyPaidIn).where(MoneyPaidIn.fund_id == fund.id)
                   .order_by(MoneyPaidIn.received_on.desc(), MoneyPaidIn.id.desc()),
                   number, PAGE_SIZE, within=True)


def every_payment_in(session: Session, fund: Fund) -> list[MoneyPaidIn]:
    """Everything paid into the fund, oldest first, for the download."""
    return list(session.scalars(
        select(MoneyPaidIn).where(MoneyPaidIn.fund_id == fund.id)
        .order_by(MoneyPaidIn.received_on, MoneyPaidIn.id)))
