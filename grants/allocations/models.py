"""The formula of an allocation round: its factors and weights, each recipient's inputs, and
the share each recipient is given."""

from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grants.awards.models import Award
from grants.db import child_rows, not_negative_if_given
from grants.extensions import db
from grants.funds.models import Round, RoundOwned
from grants.organisations.models import Organisation


class AllocationFactor(db.Model):
    """One measure the formula weighs, e.g. population at 50 %. Weights are in hundredths of a
    per cent and the round's weights add up to 100 %."""

    __tablename__ = "allocation_factor"
    __table_args__ = (
        UniqueConstraint("round_id", "name"),
        CheckConstraint("weight_basis_points BETWEEN 0 AND 10000", name="weight_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("funding_round.id", ondelete="CASCADE"),
                                          index=True)
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(100))
    weight_basis_points: Mapped[int]

    round: Mapped[Round] = relationship()


class AllocationRecipient(RoundOwned, db.Model):
    """A council or Community Safety Partnership in an allocation round: the share the formula
    proposed, the share given (different only when staff overrode it, with a reason) and the
    award it became."""

    __tablename__ = "allocation_recipient"
    __table_args__ = (
        UniqueConstraint("round_id", "organisation_id"),
        not_negative_if_given("proposed_pence", "proposed_not_negative"),
        not_negative_if_given("share_pence", "share_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("funding_round.id", ondelete="CASCADE"),
                                          index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    proposed_pence: Mapped[int | None] = mapped_column(BigInteger)
    share_pence: Mapped[int | None] = mapped_column(BigInteger)
    override_reason: Mapped[str] = mapped_column(Text, default="")
    award_id: Mapped[int | None] = mapped_column(ForeignKey("award.id"), unique=True)

    round: Mapped[Round] = relationship()
    organisation: Mapped[Organisation] = relationship()
    award: Mapped[Award | None] = relationship()
    inputs: Mapped[list["AllocationInput"]] = child_rows("recipient")


class AllocationInput(db.Model):
    """A recipient's value for one factor (e.g. a population of 125,000)."""

    __tablename__ = "allocation_input"
    __table_args__ = (CheckConstraint("value >= 0", name="value_not_negative"),)

    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("allocation_recipient.id", ondelete="CASCADE"), primary_key=True)
    factor_id: Mapped[int] = mapped_column(
        ForeignKey("allocation_factor.id", ondelete="CASCADE"), primary_key=True)
    value: Mapped[Decimal] = mapped_column(Numeric(20, 4))

    recipient: Mapped[AllocationRecipient] = relationship(back_populates="inputs")
    factor: Mapped[AllocationFactor] = relationship()
