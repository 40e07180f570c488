"""Users and their roles."""

import enum
import functools
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ColumnElement, ForeignKey, String, exists
from sqlalchemy.orm import Mapped, aliased, mapped_column, relationship

from grants.areas.models import County
from grants.core.clock import created_now
from grants.core.encryption import Encrypted
from grants.core.translatable import N_
from grants.db import child_rows, str_enum
from grants.extensions import db
from grants.offices.models import OfficeOwned

if TYPE_CHECKING:
    from grants.organisations.models import Membership


class Role(enum.Enum):
    APPLICANT = "applicant"
    REVIEWER = "reviewer"
    STAFF = "staff"
    ADMIN = "admin"
    HIGH_SHERIFF = "high_sheriff"

    @property
    def label(self) -> str:
        """The role's name, marked for the Welsh catalogue (said with `_(label)`)."""
        return _ROLE_LABELS[self]

    @property
    def is_staff_side(self) -> bool:
        """Whether the role is held for one office (staff, admins, reviewers and High
        Sheriffs); an applicant's account is the service's, shared by every office."""
        return self is not Role.APPLICANT


# A High Sheriff is an office, written with capitals.
_ROLE_LABELS = {Role.APPLICANT: N_("Applicant"), Role.REVIEWER: N_("Reviewer"),
                Role.STAFF: N_("Staff"), Role.ADMIN: N_("Admin"),
                Role.HIGH_SHERIFF: N_("High Sheriff")}


class User(OfficeOwned, db.Model):
    """A person who signs in. The email is stored lower-cased, so it is unique whatever its case."""

    @classmethod
    def office_criteria(cls, office: ColumnElement[int]) -> ColumnElement[bool]:
        """An office's people: its own staff, admins, reviewers and High Sheriffs, and every
        applicant, whose account every office shares; not another office's staff."""
        held = _role_held()
        return ~exists().where(held.user_id == cls.id, held.office_id != office
                               ).correlate_except(held)

    @classmethod
    def office_holds(cls, office: ColumnElement[int]) -> ColumnElement[bool]:
        """A person is an office's alone when they hold a role of its staff side; an
        applicant's account is every office's, so no one office's."""
        held = _role_held()
        return exists().where(held.user_id == cls.id, held.office_id == office
                              ).correlate_except(held)

    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint("email = lower(email)", name="email_lower_case"),
        CheckConstraint(
            "(county_id IS NULL) = (term_year IS NULL)", name="county_and_term_year_together"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    email_verified_at: Mapped[datetime | None]
    # High Sheriffs: the county they serve and the year their term began.
    county_id: Mapped[int | None] = mapped_column(ForeignKey("county.id"))
    term_year: Mapped[int | None]
    is_active_account: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=created_now)
    last_signed_in_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime | None]
    # A second factor: the TOTP secret (encrypted at rest), and when the user proved their app
    # has it.
    totp_secret: Mapped[str | None] = mapped_column(Encrypted(64))
    totp_confirmed_at: Mapped[datetime | None]
    # The 30-second step of the last code accepted: a code of that step or earlier is refused,
    # whichever server it reaches.
    totp_last_step: Mapped[int | None]
    # Set when retention replaced the person's details with placeholders.
    anonymised_at: Mapped[datetime | None]

    county: Mapped[County | None] = relationship()
    memberships: Mapped[list["Membership"]] = relationship(
        foreign_keys="Membership.user_id", back_populates="user", lazy="selectin"
    )
    role_rows: Mapped[list["UserRole"]] = child_rows("user", lazy="selectin")

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(row.role for row in self.role_rows)

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    @property
    def is_staff_side(self) -> bool:
        """Whether the person holds a role for an office (staff, admin, reviewer, High
        Sheriff), and so sees only that office's records."""
        return any(row.role.is_staff_side for row in self.role_rows)

    @property
    def staff_office_id(self) -> int | None:
        """The office the person's staff-side roles are held for: every one of a person's is
        held for the same office (`roles_for`). None for an applicant only, and for a role
        written without its office, which is the first office's (`UserRole`)."""
        return next((row.office_id for row in self.role_rows if row.office_id is not None),
                    None)

    # What Flask-Login asks of a user, as its UserMixin gives it, written out here so that
    # models import nothing from Flask. Two objects for the same sign-in are equal.
    __hash__ = object.__hash__

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.is_active_account

    @property
    def is_authenticated(self) -> bool:
        return self.is_active

    @property
    def is_anonymous(self) -> bool:
        return False

    def __eq__(self, other: object) -> bool:
        if isinstance(other, User):
            return self.get_id() == other.get_id()
        return NotImplemented

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    def get_id(self) -> str:
        # The session remembers the user and when their password last changed, so changing it
        # ends every other session.
        stamp = int(self.password_changed_at.timestamp()) if self.password_changed_at else 0
        return f"{self.id}:{stamp}"

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class UserRole(db.Model):
    """A role a person holds: a staff-side one (staff, admin, reviewer, High Sheriff) for one
    office, whose records alone the person then sees; the applicant's role for none.

    A staff-side role with no office is the first office's (`staff_office_id`): the service
    writes every one with its office (`roles_for`), and the migration gave every earlier one
    the first office, but a bulk load written for one office (the bench's seed) may not name
    it."""

    __tablename__ = "user_role"
    __table_args__ = (
        CheckConstraint("role <> 'applicant' OR office_id IS NULL",
                        name="applicants_hold_no_office"),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(str_enum(Role, 20), primary_key=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"), index=True)

    user: Mapped[User] = relationship(back_populates="role_rows")


# The roles a person holds, as the office criteria asks about them: an alias of its own, so that
# a query that joins the roles itself (the reviewers of a round) is not taken for it.
# (Made once, when first asked: making it configures every mapper, which need all models.)
@functools.cache
def _role_held() -> type[UserRole]:
    return aliased(UserRole, name="role_held")


def roles_for(roles: Iterable[Role], office_id: int | None) -> list[UserRole]:
    """Role rows for a person: the staff-side ones held for `office_id` (which they need),
    the applicant's for no office."""
    rows = []
    for role in roles:
        if role.is_staff_side and office_id is None:
            raise ValueError(f"the {role.value} role is held for an office: name it")
        rows.append(UserRole(role=role, office_id=office_id if role.is_staff_side else None))
    return rows


class SignedInSession(db.Model):
    """One browser signed in. Its signed cookie carries the id; ending the record (signing out,
    a new password, a reset second factor, an admin's "sign out everywhere") deletes it, so the
    cookie, even copied, no longer signs anyone in."""

    __tablename__ = "signed_in_session"

    # Random and unguessable: the cookie is signed too, but the id alone names nothing.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=created_now)
    last_seen_at: Mapped[datetime] = mapped_column(default=created_now)
    # What the browser said it is, to tell the person which device the session is on.
    user_agent: Mapped[str] = mapped_column(String(300), default="")

    user: Mapped[User] = relationship()
