"""Organisations and memberships."""

import enum
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grants.accounts.models import User
from grants.areas.models import LocalAuthority
from grants.core.clock import created_now
from grants.db import str_enum
from grants.extensions import db
from grants.organisations.identifiers import charity_org_id
from grants.organisations.types import CharityRegulator, OrganisationType

# The areas a council or Community Safety Partnership covers (seed-reference ties them).
organisation_area = Table(
    "organisation_area",
    db.metadata,
    Column("organisation_id", ForeignKey("organisation.id", ondelete="CASCADE"),
           primary_key=True),
    Column("local_authority_id", ForeignKey("local_authority.id"), primary_key=True),
)


class Organisation(db.Model):
    """A charity, community group, council or partnership that applies for or receives grants.

    One organisation per charity number (within its regulator) and per company number.
    """

    __table_args__ = (
        UniqueConstraint("charity_regulator", "charity_number"),
        UniqueConstraint("company_number"),
        CheckConstraint(
            "(charity_number IS NULL) = (charity_regulator IS NULL)",
            name="charity_number_with_regulator",
        ),
        CheckConstraint("annual_income_pence IS NULL OR annual_income_pence >= 0",
                        name="income_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    organisation_type: Mapped[OrganisationType] = mapped_column(str_enum(OrganisationType, 40))
    charity_regulator: Mapped[CharityRegulator | None] = mapped_column(
        str_enum(CharityRegulator, 10)
    )
    charity_number: Mapped[str | None] = mapped_column(String(20))
    company_number: Mapped[str | None] = mapped_column(String(8))
    address: Mapped[str] = mapped_column(Text, default="")
    postcode: Mapped[str | None] = mapped_column(String(8))
    local_authority_id: Mapped[int | None] = mapped_column(
        ForeignKey("local_authority.id"), index=True
    )
    annual_income_pence: Mapped[int | None] = mapped_column(BigInteger)
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(default=created_now)

    local_authority: Mapped[LocalAuthority | None] = relationship()
    areas: Mapped[list[LocalAuthority]] = relationship(secondary=organisation_area)
    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )

    @property
    def org_id(self) -> str | None:
        """The organisation's org-id (360Giving), from its charity or company number."""
        if self.charity_regulator and self.charity_number:
            return charity_org_id(self.charity_regulator, self.charity_number)
        if self.company_number:
            return f"GB-COH-{self.company_number}"
        return None

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name}>"


class MembershipStatus(enum.Enum):
    PENDING = "pending"  # asked to join; an existing member or staff approves
    ACTIVE = "active"


class Membership(db.Model):
    """A user's place in an organisation."""

    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"),
                                         index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[MembershipStatus] = mapped_column(
        str_enum(MembershipStatus, 10), default=MembershipStatus.ACTIVE
    )
    created_at: Mapped[datetime] = mapped_column(default=created_now)
    approved_at: Mapped[datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id], back_populates="memberships")
    organisation: Mapped[Organisation] = relationship(back_populates="memberships")
