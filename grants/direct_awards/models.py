"""What a direct award holds besides the award itself: who decided it, who recorded it and who
signed it off.

A direct award is an `Award` (source `direct`) in its fund's direct awards round of its
financial year (`RoundKind.DIRECT`), so every reader of awards (the register, the reports, the
360Giving export, the ledger, offers, payments and monitoring) takes it as it takes any other.
"""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grants.accounts.models import User
from grants.awards.models import Award
from grants.core.clock import created_now
from grants.db import str_enum
from grants.extensions import db

MAX_DELEGATE_LENGTH = 200


class DecisionMaker(enum.Enum):
    """Who made the award: the Commissioner, or someone the Commissioner delegated it to."""

    COMMISSIONER = "commissioner"
    DELEGATE = "delegate"


class DirectAward(db.Model):
    """The decision and the two people behind a direct award: one member of staff records it,
    another signs it off (the two-person rule payments follow). It is offered to the
    organisation, and public, once signed off."""

    __tablename__ = "direct_award"
    __table_args__ = (
        CheckConstraint("signed_off_by_id IS NULL OR signed_off_by_id != recorded_by_id",
                        name="signed_off_by_someone_else"),
        CheckConstraint("decision_maker = 'commissioner' OR delegate_name != ''",
                        name="delegate_named"),
    )

    award_id: Mapped[int] = mapped_column(ForeignKey("award.id", ondelete="CASCADE"),
                                          primary_key=True)
    decision_maker: Mapped[DecisionMaker] = mapped_column(str_enum(DecisionMaker, 20))
    # The delegate's name and role, when the Commissioner did not decide it.
    delegate_name: Mapped[str] = mapped_column(String(MAX_DELEGATE_LENGTH), default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=created_now)
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    signed_off_at: Mapped[datetime | None]

    award: Mapped[Award] = relationship()
    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])
    signed_off_by: Mapped[User | None] = relationship(foreign_keys=[signed_off_by_id])

    @property
    def decided_by(self) -> str:
        """Who made the award, as pages and the audit record say it."""
        if self.decision_maker is DecisionMaker.COMMISSIONER:
            return "The Police and Crime Commissioner"
        return self.delegate_name

    def __repr__(self) -> str:
        return f"<DirectAward {self.award_id}>"
