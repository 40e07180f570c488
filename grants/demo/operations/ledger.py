"""The demo's Police Property Act Fund ledger: the proceeds of property paid in for 2019/20 and
for the years of the demo's rounds, enough for every round's budget, with the fund's budgets
limited by the money paid in."""

import logging
from datetime import date

from sqlalchemy.orm import Session

from grants.core import clock
from grants.funds.models import Fund, Round, financial_years_with_rounds
from grants.ledger.models import money_year_of
from grants.ledger.operations.paid_in import PaidInEntry, add_entry

logger = logging.getLogger(__name__)

SOURCE = "Proceeds of property"
# 2019/20's proceeds, quarter by quarter: the last quarter's arrived in April 2020 and counts
# in 2019/20. Together £372,500, against the £348,533 the year's rounds awarded.
HISTORY = (
    (date(2019, 7, 15), 82_000, "Q1"),
    (date(2019, 10, 15), 96_500, "Q2"),
    (date(2020, 1, 15), 104_200, "Q3"),
    (date(2020, 4, 15), 89_800, "Q4"),
)
HISTORY_YEAR = "2019/20"
# A recent year's money: the balance the police transferred on its first day (enough for
# every demo round of a year, should they all fall in one), and each quarter's proceeds once
# the quarter has passed.
OPENING_POUNDS = 300_000
QUARTERS = (((7, 15), 24_300, "Q1"), ((10, 15), 31_750, "Q2"), ((1, 15), 27_900, "Q3"))


def _year_entries(year: str, today: date) -> list[PaidInEntry]:
    start = clock.financial_year_start(year)
    entries = [PaidInEntry(received_on=date(start, 4, 1), amount_pence=OPENING_POUNDS * 100,
                           source=SOURCE, reference=f"Proceeds of property held for {year}")]
    for (month, day), pounds, quarter in QUARTERS:
        received = date(start + (month < 4), month, day)
        if received <= today:
            entries.append(PaidInEntry(received_on=received, amount_pence=pounds * 100,
                                       source=SOURCE,
                                       reference=f"Proceeds of property, {quarter} {year}"))
    return entries


def seed_demo_ledger(session: Session, fund: Fund) -> None:
    """Record the money paid into the fund, for 2019/20 and for each later year with a round
    of the fund and the current year, and limit the fund's budgets to it."""
    today = clock.today_in_london()
    current = money_year_of(today)
    round_years = set(financial_years_with_rounds(session, Round.fund_id == fund.id))
    entries = [PaidInEntry(received_on=day, amount_pence=pounds * 100, source=SOURCE,
                           reference=f"Proceeds of property, {quarter} {HISTORY_YEAR}",
                           financial_year=HISTORY_YEAR)
               for day, pounds, quarter in HISTORY]
    for year in sorted((round_years | {current}) - {HISTORY_YEAR}):
        entries += _year_entries(year, today)
    for entry in entries:
        add_entry(session, fund, entry, actor_id=None, note="Demo data")
    fund.budgets_limited_by_money_paid_in = True
    session.flush()
    logger.info("seed-demo: %d payments into fund %s", len(entries), fund.id)
