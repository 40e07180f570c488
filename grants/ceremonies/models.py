"""The awards event and the invitations to it: one row a ceremony, one an invited organisation,
which holds that organisation's reply."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grants.accounts.models import User
from grants.core.clock import created_now
from grants.db import child_rows
from grants.extensions import db
from grants.funds.models import FINANCIAL_YEAR_LENGTH, Fund
from grants.offices.models import Office, OfficeOwned, office_column, owned_through
from grants.organisations.models import Organisation

MAX_TITLE_LENGTH = 200
MAX_PLACE_LENGTH = 200
MAX_ADDRESS_LENGTH = 500
MAX_NOTES_LENGTH = 2000
MAX_NAMES_LENGTH = 1000
MAX_ACCESS_NEEDS_LENGTH = 1000
# How many people one organisation may bring.
MOST_GUESTS = 10


class Ceremony(OfficeOwned, db.Model):
    """The awards event for a financial year's recipients, of one of its office's funds or of
    every one."""

    __tablename__ = "ceremony"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(MAX_TITLE_LENGTH))
    # When it starts, in UTC; pages show it in London time.
    starts_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(String(MAX_PLACE_LENGTH))
    address: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # The office whose recipients are invited (its fund's, for a ceremony of one fund).
    office_id: Mapped[int] = office_column()
    # None: the recipients of every fund of the office.
    fund_id: Mapped[int | None] = mapped_column(ForeignKey("fund.id"), index=True)
    financial_year: Mapped[str] = mapped_column(String(FINANCIAL_YEAR_LENGTH), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=created_now)

    office: Mapped[Office] = relationship()
    fund: Mapped[Fund | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    invitations: Mapped[list["CeremonyInvitation"]] = child_rows(
        "ceremony", order_by="CeremonyInvitation.id")

    @property
    def funds_named(self) -> str:
        """Whose recipients it is for, as pages say it."""
        return f"the {self.fund.name}" if self.fund else "every fund"

    def __repr__(self) -> str:
        return f"<Ceremony {self.id} {self.financial_year}>"


class CeremonyInvitation(owned_through("ceremony_id", Ceremony), db.Model):
    """One organisation invited to a ceremony, and its reply (none until a member gives one;
    they may change it until the ceremony starts)."""

    __tablename__ = "ceremony_invitation"
    __table_args__ = (
        UniqueConstraint("ceremony_id", "organisation_id"),
        CheckConstraint(f"guests IS NULL OR guests BETWEEN 1 AND {MOST_GUESTS}",
                        name="guests_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ceremony_id: Mapped[int] = mapped_column(ForeignKey("ceremony.id", ondelete="CASCADE"),
                                             index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    # The address the invitation was emailed to (the organisation's contact then).
    sent_to: Mapped[str] = mapped_column(String(254), default="")
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    invited_at: Mapped[datetime] = mapped_column(default=created_now)
    # The reply: whether they come, how many people, who, what they need, whether they may be
    # photographed.
    attending: Mapped[bool | None]
    guests: Mapped[int | None]
    guest_names: Mapped[str] = mapped_column(Text, default="")
    access_needs: Mapped[str] = mapped_column(Text, default="")
    photo_consent: Mapped[bool | None]
    replied_at: Mapped[datetime | None]
    replied_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # A reply staff took by phone, on the organisation's behalf (replied_by is staff then).
    replied_by_phone: Mapped[bool] = mapped_column(default=False)
    # Staff withdrew the invitation: its contact was told, and its link no longer answers.
    cancelled_at: Mapped[datetime | None]
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # The reply's people (names, access needs, photo consent) removed under the retention
    # policy, once the ceremony was long past; the counts stay.
    anonymised_at: Mapped[datetime | None]

    ceremony: Mapped[Ceremony] = relationship(back_populates="invitations")
    organisation: Mapped[Organisation] = relationship()
    replied_by: Mapped[User | None] = relationship(foreign_keys=[replied_by_id])

    @property
    def replied(self) -> bool:
        return self.replied_at is not None

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None

    def __repr__(self) -> str:
        return f"<CeremonyInvitation {self.id} ceremony {self.ceremony_id}>"
