"""Decisions on applications: staff's decision on each, and the conflict-of-interest declaration
each decider makes first."""

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grants.applications.models import Application, ApplicationRecord
from grants.core.clock import created_now
from grants.db import LabelledEnum, str_enum
from grants.extensions import db


class DecisionOutcome(LabelledEnum):
    AWARD_IN_FULL = "award_in_full", "Award in full"
    AWARD_IN_PART = "award_in_part", "Award in part"
    DECLINE = "decline", "Decline"


class Decision(db.Model):
    """Staff's decision on an application: one per application, changeable (and audited)
    until the round's decisions are published. An award decision has its Award."""

    __table_args__ = (
        CheckConstraint("outcome = 'decline' OR amount_pence > 0", name="award_has_amount"),
        CheckConstraint("reason != ''", name="has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), unique=True)
    outcome: Mapped[DecisionOutcome] = mapped_column(str_enum(DecisionOutcome, 20))
    amount_pence: Mapped[int | None] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(Text)
    conditions: Mapped[str] = mapped_column(Text, default="")
    # What the applicant is told when declined.
    feedback: Mapped[str] = mapped_column(Text, default="")
    # Why a lower-ranked bid is funded while a higher one is not (e.g. geographic spread).
    out_of_rank_reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime] = mapped_column(default=created_now)

    application: Mapped[Application] = relationship()


class DeciderDeclaration(ApplicationRecord, db.Model):
    """A staff member's conflict-of-interest declaration before deciding on an application."""

    __tablename__ = "decider_declaration"
    __table_args__ = (UniqueConstraint("application_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    has_conflict: Mapped[bool]
    note: Mapped[str] = mapped_column(Text, default="")
    declared_at: Mapped[datetime] = mapped_column(default=created_now)
