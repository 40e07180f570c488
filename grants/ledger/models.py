"""Money paid into a fund: the entries its ledger adds up."""

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grants.accounts.models import User
from grants.core import clock
from grants.core.clock import created_now
from grants.extensions import db
from grants.funds.models import FINANCIAL_YEAR_LENGTH, Fund
from grants.offices.models import owned_through

MAX_SOURCE_LENGTH = 200
MAX_REFERENCE_LENGTH = 200


def money_year_of(day: date) -> str:
    """The financial year money belongs to by the day it moved (paid in, paid out or paid
    back, or committed by a direct award the day it was decided), when nobody said otherwise:
    the ledger's one use of a date for a year."""
    return clock.financial_year_of(day)


class MoneyPaidIn(owned_through("fund_id", Fund), db.Model):
    """Money paid into a fund, such as the proceeds of property the police could not return.

    It counts in the financial year staff state (by default that of the day it was received):
    proceeds of the last quarter of a year may arrive in April and still belong to that year.
    """

    __tablename__ = "money_paid_in"
    __table_args__ = (CheckConstraint("amount_pence > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fund_id: Mapped[int] = mapped_column(ForeignKey("fund.id"), index=True)
    received_on: Mapped[date]
    financial_year: Mapped[str] = mapped_column(String(FINANCIAL_YEAR_LENGTH), index=True)
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    # Where the money came from ("Proceeds of property") and the finance system's or bank
    # transfer's reference ("Proceeds of property, Q3 2019/20").
    source: Mapped[str] = mapped_column(String(MAX_SOURCE_LENGTH))
    reference: Mapped[str] = mapped_column(String(MAX_REFERENCE_LENGTH))
    # None for money recorded by the demo.
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=created_now)

    fund: Mapped[Fund] = relationship()
    recorded_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<MoneyPaidIn {self.id} {self.financial_year} {self.amount_pence}p>"
