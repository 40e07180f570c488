"""Organisations and memberships, with the kinds of organisation and charity regulators that
rounds and reports share."""

import enum
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grants.accounts.models import User
from grants.areas.models import LocalAuthority
from grants.core.clock import created_now
from grants.core.translatable import N_
from grants.db import LabelledEnum, child_rows, link_table, not_negative_if_given, str_enum
from grants.extensions import db


class OrganisationType(LabelledEnum):
    REGISTERED_CHARITY = "registered_charity", N_("Registered charity")
    CIO = "cio", N_("Charitable incorporated organisation (CIO)")
    CHARITABLE_COMPANY = "charitable_company", N_("Charitable company")
    CIC = "cic", N_("Community interest company (CIC)")
    COMMUNITY_GROUP = "community_group", N_("Constituted community group")
    LOCAL_AUTHORITY = "local_authority", N_("Local authority")
    COMMUNITY_SAFETY_PARTNERSHIP = ("community_safety_partnership",
                                    N_("Community Safety Partnership"))
    SCHOOL = "school", N_("School")
    FAITH_GROUP = "faith_group", N_("Faith group")
    OTHER = "other", N_("Other not-for-profit organisation")


class CharityRegulator(LabelledEnum):
    """Each regulator's numbers take their own org-id prefix."""

    CCEW = "ccew", N_("Charity Commission for England and Wales")
    OSCR = "oscr", N_("Office of the Scottish Charity Regulator (OSCR)")
    CCNI = "ccni", N_("Charity Commission for Northern Ireland")

    @property
    def org_id_prefix(self) -> str:
        return {"ccew": "GB-CHC", "oscr": "GB-SC", "ccni": "GB-NIC"}[self.value]


def charity_org_id(regulator: CharityRegulator, number: str) -> str:
    """The org-id of a charity: GB-CHC-1123456, GB-SC-SC012345 or GB-NIC-100123."""
    if regulator is CharityRegulator.CCNI:
        number = number.removeprefix("NIC")
    return f"{regulator.org_id_prefix}-{number}"


# The areas a council or Community Safety Partnership covers (seed-reference ties them).
organisation_area = link_table(
    "organisation_area", ("organisation_id", "organisation.id"),
    ("local_authority_id", "local_authority.id"))


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
        not_negative_if_given("annual_income_pence", "income_not_negative"),
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
    memberships: Mapped[list["Membership"]] = child_rows("organisation")

    @property
    def org_id(self) -> str | None:
        """The organisation's org-id (360Giving): a council's from the register of local
        authorities ("GB-LAE-RDG"), anyone else's from its charity or company number."""
        if self.organisation_type is OrganisationType.LOCAL_AUTHORITY and self.local_authority:
            return self.local_authority.org_id
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


class MembershipInvitation(db.Model):
    """A member's invitation to someone, by email address, to join their organisation.

    The emailed link holds a random token; only its SHA-256 is kept here, so the table alone
    lets nobody join. It works once, until `expires_at`, for the account with that address.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"),
                                               index=True)
    created_at: Mapped[datetime] = mapped_column(default=created_now)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id",
                                                              ondelete="SET NULL"))

    organisation: Mapped[Organisation] = relationship()
    invited_by: Mapped[User] = relationship(foreign_keys=[invited_by_id])
