"""The monthly publication of awards: each month's 360Giving file, kept as it was published.

A published file is never changed. Publishing a month again, once its grants have changed (an
award withdrawn, a detail corrected), adds the next version; every version stays listed and
downloadable, so anyone can see what was published when.
"""

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from grants.core.clock import created_now
from grants.extensions import db


class MonthlyPublication(db.Model):
    """One version of a month's file: the grants whose decisions were published that month."""

    __tablename__ = "monthly_publication"
    __table_args__ = (UniqueConstraint("month", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7), index=True)  # "2026-11"
    version: Mapped[int]
    # The 360Giving package exactly as published (JSON text), so a download is the same bytes
    # whenever it is asked for.
    content: Mapped[str] = mapped_column(Text)
    grant_count: Mapped[int]
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    published_at: Mapped[datetime] = mapped_column(default=created_now)
    # Who published it from the staff page; None from the command line or the worker.
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
