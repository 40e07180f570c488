"""An office: one Police and Crime Commissioner's office, which owns its plans, funds and
areas (and, through them, its rounds, priorities and key aims)."""

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Select,
    String,
    Text,
    select,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from grants.core.clock import created_now
from grants.extensions import db

MAX_NAME_LENGTH = 200
MAX_SHORT_NAME_LENGTH = 80
MAX_SLUG_LENGTH = 60
MAX_ORG_ID_LENGTH = 40
MAX_PREFIX_LENGTH = 40
MAX_EMAIL_LENGTH = 254
MAX_LOGO_LENGTH = 200
# Each text field's limit by the field's name, as the new-office form and the operations'
# checks both hold it (the columns above keep them).
LIMITS = {"name": MAX_NAME_LENGTH, "short_name": MAX_SHORT_NAME_LENGTH, "slug": MAX_SLUG_LENGTH,
          "funder_org_id": MAX_ORG_ID_LENGTH, "grant_id_prefix": MAX_PREFIX_LENGTH,
          "funder_name": MAX_NAME_LENGTH, "contact_email": MAX_EMAIL_LENGTH,
          "logo": MAX_LOGO_LENGTH}


class OfficeOwned:
    """A model whose rows are one office's: a signed-in member of an office's staff (its staff,
    admins, reviewers, High Sheriffs) reaches only their office's (grants.offices.operations
    .scoping adds `office_criteria` to every query of every such model).

    Tables an office owns at the top hold its id (`office_column`); the rest hang from a parent
    whose office is theirs (`owned_through`: a round from its fund), or say in `office_criteria`
    which of their rows are an office's.
    """

    @classmethod
    def office_criteria(cls, office: ColumnElement[int]) -> ColumnElement[bool]:
        """Which rows are the office's: `office` is the id, as a bound parameter."""
        if cls is OfficeOwned:  # the marker itself, which SQLAlchemy asks once to learn the shape
            return true()
        return cls.office_id == office  # type: ignore[attr-defined]

    @classmethod
    def office_holds(cls, office: ColumnElement[int]) -> ColumnElement[bool]:
        """Which rows are the office's alone (what an audit event about one is filed under):
        those its criteria let the office read, unless some of them every office reads."""
        return cls.office_criteria(office)

    @classmethod
    def ids_of_office(cls, office: ColumnElement[int]) -> Select:
        """The ids of the office's rows: what scopes the records kept under them."""
        return select(cls.id).where(cls.office_criteria(office))  # type: ignore[attr-defined]


def owned_through(key: str, parent: type[OfficeOwned]) -> type[OfficeOwned]:
    """A mixin for an office-owned model whose rows each hang from a `parent` row by `key` (an
    award's payments by "award_id"): an office's rows are those under its parents."""

    class OwnedThroughParent(OfficeOwned):
        @classmethod
        def office_criteria(cls, office: ColumnElement[int]) -> ColumnElement[bool]:
            return getattr(cls, key).in_(parent.ids_of_office(office))

    return OwnedThroughParent


class Office(OfficeOwned, db.Model):
    """A Police and Crime Commissioner's office (or a mayor's office holding the role). Its own
    staff read their office's row alone: what the pages they see speak for."""

    @classmethod
    def office_criteria(cls, office: ColumnElement[int]) -> ColumnElement[bool]:
        """An office is its own."""
        return cls.id == office

    __table_args__ = (
        # The operations check the colour's digits; the database keeps its shape, "#rrggbb".
        CheckConstraint("brand_colour LIKE '#______'", name="brand_colour_shape"),
        CheckConstraint("financial_year_start_month BETWEEN 1 AND 12",
                        name="financial_year_start_month_in_range"),
        CheckConstraint("financial_year_start_day BETWEEN 1 AND 31",
                        name="financial_year_start_day_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # "Office of the Police and Crime Commissioner for <area>"; "<area>", as pages name it.
    name: Mapped[str] = mapped_column(String(MAX_NAME_LENGTH), unique=True)
    short_name: Mapped[str] = mapped_column(String(MAX_SHORT_NAME_LENGTH))
    # The office's part of a path, "thames-valley" in /thames-valley/.
    slug: Mapped[str] = mapped_column(String(MAX_SLUG_LENGTH), unique=True)
    # 360Giving: the funder's org-id ("GB-GOR-PC000117"), the prefix of its grants'
    # identifiers ("360G-" and the office's letters), each one funder's alone, and its name
    # as the data gives it.
    funder_org_id: Mapped[str] = mapped_column(String(MAX_ORG_ID_LENGTH), unique=True)
    grant_id_prefix: Mapped[str] = mapped_column(String(MAX_PREFIX_LENGTH), unique=True)
    funder_name: Mapped[str] = mapped_column(String(MAX_NAME_LENGTH))
    contact_email: Mapped[str] = mapped_column(String(MAX_EMAIL_LENGTH))
    postal_address: Mapped[str] = mapped_column(Text, default="")
    # A path under the service's static files ("images/favicon.svg"); empty: no logo.
    logo: Mapped[str] = mapped_column(String(MAX_LOGO_LENGTH), default="")
    brand_colour: Mapped[str] = mapped_column(String(7), default="#3f2577")
    # The day the office's financial year starts (1 April for most offices).
    financial_year_start_month: Mapped[int] = mapped_column(default=4)
    financial_year_start_day: Mapped[int] = mapped_column(default=1)
    # The office offers its pages and emails in Welsh as well as English.
    welsh: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=created_now)

    def __repr__(self) -> str:
        return f"<Office {self.slug}>"


def office_column():
    """The owning office of a table an office owns at the top (fund, plan, county, local
    authority, partnership): required, and indexed, since queries of these tables are to be
    scoped by it."""
    return mapped_column(ForeignKey("office.id"), index=True)
