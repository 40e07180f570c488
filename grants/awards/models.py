"""Awards. An award need not come from an application: imported, nominated and formula awards
fit too."""

import enum
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grants.applications.models import Application
from grants.clock import created_now
from grants.db import str_enum
from grants.extensions import db
from grants.funds.models import Round
from grants.organisations.models import Organisation
from grants.plans.models import KeyAim, Priority


class AwardStatus(enum.Enum):
    PROPOSED = "proposed"
    OFFERED = "offered"
    ACCEPTED = "accepted"
    PAID = "paid"
    CLOSED = "closed"
    DECLINED = "declined"  # by the recipient
    WITHDRAWN = "withdrawn"  # by staff


# Awards in these states hold no money: committed money is the sum of every other award.
RELEASED_STATUSES = frozenset({AwardStatus.DECLINED, AwardStatus.WITHDRAWN})


award_key_aim = Table(
    "award_key_aim",
    db.metadata,
    Column("award_id", ForeignKey("award.id", ondelete="CASCADE"), primary_key=True),
    Column("key_aim_id", ForeignKey("key_aim.id"), primary_key=True),
)


class Award(db.Model):
    __table_args__ = (CheckConstraint("amount_pence > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("funding_round.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("application.id"), unique=True
    )
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[AwardStatus] = mapped_column(
        str_enum(AwardStatus, 20), default=AwardStatus.PROPOSED, index=True
    )
    priority_id: Mapped[int | None] = mapped_column(ForeignKey("priority.id"), index=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    awarded_on: Mapped[date | None]
    # The 360Giving identifier of an imported grant, kept as it came.
    external_identifier: Mapped[str | None] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=created_now)

    round: Mapped[Round] = relationship()
    organisation: Mapped[Organisation] = relationship()
    application: Mapped[Application | None] = relationship()
    priority: Mapped[Priority | None] = relationship()
    key_aims: Mapped[list[KeyAim]] = relationship(secondary=award_key_aim)

    def __repr__(self) -> str:
        return f"<Award {self.id} {self.status.value} {self.amount_pence}p>"
