"""Awards. An award need not come from an application: imported, nominated and formula awards
fit too."""

import enum
from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grants.applications.models import Application
from grants.areas.models import County, LocalAuthority
from grants.core.clock import created_now
from grants.core.encryption import Encrypted
from grants.db import child_rows, link_table, str_enum
from grants.extensions import db
from grants.funds.models import Round, RoundOwned
from grants.offices.models import owned_through
from grants.organisations.models import Organisation
from grants.plans.models import KeyAim, Priority, in_plan_order


class AwardStatus(enum.Enum):
    PROPOSED = "proposed"
    OFFERED = "offered"
    ACCEPTED = "accepted"
    PAID = "paid"
    CLOSED = "closed"
    DECLINED = "declined"  # by the recipient
    WITHDRAWN = "withdrawn"  # by staff


class AwardSource(enum.Enum):
    """How an award came about: it says which pages made it and which rules it follows."""

    APPLICATION = "application"  # decided on an application in an open round
    NOMINATION = "nomination"  # a High Sheriff's nomination that staff approved
    ALLOCATION = "allocation"  # a formula share of an allocation round
    TOP_SLICE = "top_slice"  # from an allocation round's top-slice, against a priority
    IMPORTED = "imported"  # a past award read from a 360Giving file
    DIRECT = "direct"  # made outside any round, signed off by a second member of staff


# Awards that have been offered to their recipient (or were imported as made): the ones that
# count in reports and open data, unless released.
MADE_STATUSES = frozenset({AwardStatus.OFFERED, AwardStatus.ACCEPTED, AwardStatus.PAID,
                           AwardStatus.CLOSED})

# Awards in these states hold no money: committed money is the sum of every other award.
RELEASED_STATUSES = frozenset({AwardStatus.DECLINED, AwardStatus.WITHDRAWN})


award_key_aim = link_table("award_key_aim", ("award_id", "award.id"), ("key_aim_id", "key_aim.id"))

# The areas an award serves when it has no application to say so (nominated, allocated and
# imported awards). An award from an application serves the application's areas.
award_area = link_table(
    "award_area", ("award_id", "award.id"), ("local_authority_id", "local_authority.id"))


class Award(RoundOwned, db.Model):
    """Money a round gives an organisation, from an application or without one."""

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
    source: Mapped[AwardSource] = mapped_column(
        str_enum(AwardSource, 20), default=AwardSource.APPLICATION, index=True)
    # What the recipient asked for, where known (imported awards; applications hold their own).
    amount_requested_pence: Mapped[int | None] = mapped_column(BigInteger)
    # High Sheriff awards: the county whose High Sheriff nominated the recipient.
    nominating_county_id: Mapped[int | None] = mapped_column(ForeignKey("county.id"),
                                                             index=True)
    serves_whole_thames_valley: Mapped[bool] = mapped_column(default=False)
    priority_id: Mapped[int | None] = mapped_column(ForeignKey("priority.id"), index=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    # The reason for the award in plain words, written for publication (the Elected Local
    # Policing Bodies (Specified Information) Order 2011 asks for it) and approved at sign-off:
    # never internal notes. Direct awards give it when recorded.
    public_reason: Mapped[str] = mapped_column(Text, default="")
    awarded_on: Mapped[date | None]
    # When the funded activity runs, for awards that hold their own dates (imported ones, from
    # the file's plannedDates, where the importer checks the end is not before the start); an
    # award from an application runs on the application's dates.
    planned_start: Mapped[date | None]
    planned_end: Mapped[date | None]
    # The 360Giving identifier of an imported grant, kept as it came.
    external_identifier: Mapped[str | None] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=created_now)
    # The offer: conditions attached, when it was made, and the recipient's answer.
    conditions: Mapped[str] = mapped_column(Text, default="")
    offered_at: Mapped[datetime | None]
    accepted_at: Mapped[datetime | None]
    accepted_by_name: Mapped[str] = mapped_column(String(200), default="")
    accepted_by_position: Mapped[str] = mapped_column(String(200), default="")
    accepted_on: Mapped[date | None]
    recipient_declined_at: Mapped[datetime | None]
    recipient_decline_reason: Mapped[str] = mapped_column(Text, default="")
    withdrawn_at: Mapped[datetime | None]
    withdrawal_reason: Mapped[str] = mapped_column(Text, default="")
    # When the end-of-grant report is due (3 months after the project ends, unless varied).
    report_due_on: Mapped[date | None]
    closed_at: Mapped[datetime | None]

    round: Mapped[Round] = relationship()
    organisation: Mapped[Organisation] = relationship()
    application: Mapped[Application | None] = relationship()
    priority: Mapped[Priority | None] = relationship()
    key_aims: Mapped[list[KeyAim]] = relationship(secondary=award_key_aim, order_by=in_plan_order)
    nominating_county: Mapped[County | None] = relationship()
    areas: Mapped[list[LocalAuthority]] = relationship(secondary=award_area)

    payments: Mapped[list["Payment"]] = child_rows("award", order_by="Payment.recorded_at")
    bank_details: Mapped[list["BankDetails"]] = child_rows(
        "award", order_by="BankDetails.entered_at")

    def __repr__(self) -> str:
        return f"<Award {self.id} {self.status.value} {self.amount_pence}p>"


AwardOwned = owned_through("award_id", Award)


class BankDetails(AwardOwned, db.Model):
    """Where a grant is paid. A change after acceptance is a new row that staff must verify
    before payments use it; the rows before it stay as the record."""

    __tablename__ = "bank_details"

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("award.id", ondelete="CASCADE"),
                                          index=True)
    # Encrypted at rest (grants.core.encryption): the database holds only tokens.
    account_name: Mapped[str] = mapped_column(Encrypted(200))
    sort_code: Mapped[str] = mapped_column(Encrypted(6))
    account_number: Mapped[str] = mapped_column(Encrypted(8))
    entered_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    entered_at: Mapped[datetime] = mapped_column(default=created_now)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    verified_at: Mapped[datetime | None]

    award: Mapped[Award] = relationship(back_populates="bank_details")

    @property
    def masked_account_number(self) -> str:
        return "****" + self.account_number[-4:]

    @property
    def masked_sort_code(self) -> str:
        return "**-**-" + self.sort_code[-2:]


class PaymentStatus(enum.Enum):
    AWAITING_APPROVAL = "awaiting_approval"
    APPROVED = "approved"  # counts as paid
    REJECTED = "rejected"


class Payment(AwardOwned, db.Model):
    """A payment of an award, recorded by one staff member and approved by another."""

    __table_args__ = (
        CheckConstraint("amount_pence > 0", name="amount_positive"),
        CheckConstraint("approved_by_id IS NULL OR approved_by_id != recorded_by_id",
                        name="approved_by_someone_else"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("award.id", ondelete="CASCADE"),
                                          index=True)
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    paid_on: Mapped[date]
    reference: Mapped[str] = mapped_column(String(100))
    status: Mapped[PaymentStatus] = mapped_column(
        str_enum(PaymentStatus, 20), default=PaymentStatus.AWAITING_APPROVAL)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=created_now)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    approved_at: Mapped[datetime | None]
    rejection_reason: Mapped[str] = mapped_column(Text, default="")

    award: Mapped[Award] = relationship(back_populates="payments")
