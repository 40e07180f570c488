"""What a direct award holds besides the award itself: who decided it, who recorded it and who
signed it off; and, for a Community Foundation allocation, the onward grants the intermediary
made from it.

A direct award is an `Award` (source `direct`) in its fund's direct awards round of its
financial year (`RoundKind.DIRECT`), so every reader of awards (the register, the reports, the
360Giving export, the ledger, offers, payments and monitoring) takes it as it takes any other.
A Community Foundation allocation is a direct award of the kind `delegated`: the fund's money
counts once, as the award to the intermediary; its onward grants are a record beneath it, never
awards of the fund.
"""

import enum
from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grants.accounts.models import User
from grants.areas.models import LocalAuthority
from grants.awards.models import Award, AwardOwned
from grants.core.clock import created_now
from grants.db import link_table, str_enum
from grants.extensions import db
from grants.plans.models import KeyAim, Priority

MAX_DELEGATE_LENGTH = 200
MAX_ONWARD_IDENTIFIER = 200
MAX_ONWARD_NAME = 200
MAX_ONWARD_ORG_ID = 100
MAX_ONWARD_TITLE = 300


class DirectAwardKind(enum.Enum):
    """An award the organisation spends itself, or a sum it grants onward."""

    DIRECT = "direct"
    # A Community Foundation allocation: the fund gives a sum to an intermediary, with the
    # priorities it must serve, and the intermediary makes grants from it (`OnwardGrant`).
    DELEGATED = "delegated"


class DecisionMaker(enum.Enum):
    """Who made the award: the Commissioner, or someone the Commissioner delegated it to."""

    COMMISSIONER = "commissioner"
    DELEGATE = "delegate"


class DirectAward(AwardOwned, db.Model):
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
    kind: Mapped[DirectAwardKind] = mapped_column(str_enum(DirectAwardKind, 20),
                                                  default=DirectAwardKind.DIRECT)
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
    def delegated(self) -> bool:
        """A Community Foundation allocation, whose money the intermediary grants onward."""
        return self.kind is DirectAwardKind.DELEGATED

    @property
    def decided_by(self) -> str:
        """Who made the award, as pages and the audit record say it."""
        if self.decision_maker is DecisionMaker.COMMISSIONER:
            return "The Police and Crime Commissioner"
        return self.delegate_name

    def __repr__(self) -> str:
        return f"<DirectAward {self.award_id}>"


onward_grant_area = link_table(
    "onward_grant_area", ("onward_grant_id", "onward_grant.id"),
    ("local_authority_id", "local_authority.id"))


class OnwardGrant(AwardOwned, db.Model):
    """A grant an intermediary (a Community Foundation) made from a delegated award: typed by
    staff or read from the intermediary's 360Giving file. The fund's money counts once, in the
    delegated award; onward grants say where it went, by priority, key aim and area where the
    intermediary says so. Together they never add up to more than the delegated award
    (`grants.direct_awards.operations.onward`)."""

    __tablename__ = "onward_grant"
    __table_args__ = (
        CheckConstraint("amount_pence > 0", name="amount_positive"),
        # A grant of the intermediary's file is recorded once under the award.
        UniqueConstraint("award_id", "identifier"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("award.id", ondelete="CASCADE"),
                                          index=True)
    # The intermediary's own 360Giving identifier of the grant, when it came from its file.
    identifier: Mapped[str | None] = mapped_column(String(MAX_ONWARD_IDENTIFIER))
    recipient_name: Mapped[str] = mapped_column(String(MAX_ONWARD_NAME))
    # The recipient's org-id (GB-CHC-1234567), where the intermediary gave one.
    recipient_org_id: Mapped[str] = mapped_column(String(MAX_ONWARD_ORG_ID), default="")
    title: Mapped[str] = mapped_column(String(MAX_ONWARD_TITLE), default="")
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    awarded_on: Mapped[date]
    priority_id: Mapped[int | None] = mapped_column(ForeignKey("priority.id"), index=True)
    key_aim_id: Mapped[int | None] = mapped_column(ForeignKey("key_aim.id"), index=True)
    serves_whole_thames_valley: Mapped[bool] = mapped_column(default=False)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=created_now)

    award: Mapped[Award] = relationship()
    priority: Mapped[Priority | None] = relationship()
    key_aim: Mapped[KeyAim | None] = relationship()
    areas: Mapped[list[LocalAuthority]] = relationship(secondary=onward_grant_area,
                                                       order_by=LocalAuthority.name)

    def __repr__(self) -> str:
        return f"<OnwardGrant {self.id} of award {self.award_id} {self.amount_pence}p>"
