"""A High Sheriff's nomination of an organisation, and what staff made of it."""

import enum
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grants.accounts.models import User
from grants.areas.models import County
from grants.awards.models import Award
from grants.core.clock import created_now
from grants.db import str_enum
from grants.extensions import db
from grants.funds.models import Round, RoundOwned
from grants.organisations.models import Organisation
from grants.plans.models import Priority


class NominationStatus(enum.Enum):
    SUBMITTED = "submitted"  # waiting for staff
    CHANGES_REQUESTED = "changes_requested"  # staff asked the High Sheriff to change it
    APPROVED = "approved"  # it became an award
    DECLINED = "declined"  # by staff, with a reason
    WITHDRAWN = "withdrawn"  # by the High Sheriff before a decision

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


# Nominations still waiting for an answer hold their amount against the county's allocation;
# approved ones hold it through their award.
PENDING_NOMINATION_STATUSES = frozenset({NominationStatus.SUBMITTED,
                                         NominationStatus.CHANGES_REQUESTED})


class Nomination(RoundOwned, db.Model):
    """A High Sheriff's nomination of an organisation in their county, in a nomination round."""

    __table_args__ = (
        CheckConstraint("amount_pence > 0", name="amount_positive"),
        CheckConstraint("reason != ''", name="has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("funding_round.id"), index=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("county.id"), index=True)
    nominated_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    priority_id: Mapped[int] = mapped_column(ForeignKey("priority.id"))
    # What the money is for, and why the organisation deserves support.
    purpose: Mapped[str] = mapped_column(String(300), default="")
    reason: Mapped[str] = mapped_column(Text)
    # The person at the organisation who is invited to claim its account.
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    invitation_sent_at: Mapped[datetime | None]
    status: Mapped[NominationStatus] = mapped_column(
        str_enum(NominationStatus, 30), default=NominationStatus.SUBMITTED, index=True)
    # Staff's request for changes, or reason for declining.
    staff_comment: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None]
    award_id: Mapped[int | None] = mapped_column(ForeignKey("award.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=created_now)
    updated_at: Mapped[datetime] = mapped_column(default=created_now)

    round: Mapped[Round] = relationship()
    county: Mapped[County] = relationship()
    nominated_by: Mapped[User] = relationship(foreign_keys=[nominated_by_id])
    organisation: Mapped[Organisation] = relationship()
    priority: Mapped[Priority] = relationship()
    award: Mapped[Award | None] = relationship()

    def __repr__(self) -> str:
        return f"<Nomination {self.id} {self.status.value} {self.amount_pence}p>"
