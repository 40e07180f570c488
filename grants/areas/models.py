"""Areas: counties, local authorities (with GSS codes) and Community Safety Partnerships."""

from datetime import date

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grants.db import link_table
from grants.extensions import db
from grants.offices.models import Office, OfficeOwned, office_column

csp_local_authority = link_table(
    "csp_local_authority", ("csp_id", "community_safety_partnership.id"),
    ("local_authority_id", "local_authority.id"), delete_with_linked=True)


class HeldForDates:
    """Something that existed for part of the time: councils and partnerships were replaced
    on 1 April 2020 in Buckinghamshire. No dates means it has always existed and still does."""

    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]

    def is_current_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class County(OfficeOwned, db.Model):
    """A ceremonial county (or its equivalent) of an office's area; most have a High Sheriff."""

    # Names are the office's own: two offices may each have a county of one name (a ceremonial
    # county shared between police areas).
    __table_args__ = (UniqueConstraint("office_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = office_column()
    name: Mapped[str] = mapped_column(String(80))
    has_high_sheriff: Mapped[bool] = mapped_column(default=True)

    office: Mapped[Office] = relationship()
    local_authorities: Mapped[list["LocalAuthority"]] = relationship(
        back_populates="county", order_by="LocalAuthority.name"
    )

    def __repr__(self) -> str:
        return f"<County {self.name}>"


class LocalAuthority(OfficeOwned, HeldForDates, db.Model):
    """A council's area, identified by its ONS GSS code; some existed only for part of the
    time. `name` is the area ("Reading"), `official_name` the council ("Reading Borough
    Council"), `org_id` the council's identifier in the Local Authorities for England register
    ("GB-LAE-RDG"), which 360Giving data uses for it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # The same office as its county's (the loading operations keep them so).
    office_id: Mapped[int] = office_column()
    # A GSS code is national, and a police area is made of whole council areas: one council
    # belongs to one office, so the code stays unique across every office.
    gss_code: Mapped[str] = mapped_column(String(9), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    official_name: Mapped[str] = mapped_column(String(160), default="")
    org_id: Mapped[str | None] = mapped_column(String(40))
    county_id: Mapped[int] = mapped_column(ForeignKey("county.id"), index=True)
    tier: Mapped[str] = mapped_column(String(20))

    office: Mapped[Office] = relationship()
    county: Mapped[County] = relationship(back_populates="local_authorities")

    @property
    def proper_name(self) -> str:
        """The council's own name, as lists of councils show it ("Reading Borough Council",
        "Buckinghamshire Council"), or the area's where the reference data gives none."""
        return self.official_name or self.name

    def __repr__(self) -> str:
        return f"<LocalAuthority {self.gss_code} {self.name}>"


class CommunitySafetyPartnership(OfficeOwned, HeldForDates, db.Model):
    """A Community Safety Partnership and the council areas it covers."""

    __tablename__ = "community_safety_partnership"
    # A partnership's name is unique within its office's area only ("Community Safety
    # Partnership" names are local and may repeat elsewhere).
    __table_args__ = (UniqueConstraint("office_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = office_column()
    name: Mapped[str] = mapped_column(String(160))

    office: Mapped[Office] = relationship()

    local_authorities: Mapped[list[LocalAuthority]] = relationship(
        secondary=csp_local_authority, order_by=LocalAuthority.name
    )
