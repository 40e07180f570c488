"""The Police and Crime Plan: its strategic priorities and their numbered key aims."""

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grants.db import child_rows, link_table
from grants.extensions import db
from grants.offices.models import Office, OfficeOwned, office_column, owned_through

MAX_CODE_LENGTH = 40
MAX_TITLE_LENGTH = 200
# Objectives and key aims are text columns; this keeps them to what a page can show.
MAX_TEXT_LENGTH = 5000


class Plan(OfficeOwned, db.Model):
    """A Police and Crime Plan; its priorities are what rounds fund."""

    __table_args__ = (
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="dates_in_order"),
        # Each office names its own plans; two offices may use one code.
        UniqueConstraint("office_id", "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = office_column()
    code: Mapped[str] = mapped_column(String(MAX_CODE_LENGTH))
    title: Mapped[str] = mapped_column(String(MAX_TITLE_LENGTH))
    valid_from: Mapped[date]
    valid_to: Mapped[date | None]
    is_current: Mapped[bool] = mapped_column(default=False)

    office: Mapped[Office] = relationship()
    priorities: Mapped[list["Priority"]] = child_rows("plan", order_by="Priority.number")


class Priority(owned_through("plan_id", Plan), db.Model):
    """A strategic priority of a plan, such as "P3 Reducing Re-offending"."""

    __table_args__ = (
        UniqueConstraint("plan_id", "code"),
        UniqueConstraint("plan_id", "number"),
        CheckConstraint("number > 0", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"))
    code: Mapped[str] = mapped_column(String(10))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(MAX_TITLE_LENGTH))
    objective: Mapped[str] = mapped_column(Text, default="")
    retired_at: Mapped[datetime | None]

    plan: Mapped[Plan] = relationship(back_populates="priorities")
    key_aims: Mapped[list["KeyAim"]] = child_rows("priority", order_by="KeyAim.number")

    def __repr__(self) -> str:
        return f"<Priority {self.code} {self.title}>"


class KeyAim(OfficeOwned, db.Model):
    """A numbered key aim under a priority, written "P3.2"."""

    @classmethod
    def office_criteria(cls, office: ColumnElement[int]) -> ColumnElement[bool]:
        """An office's key aims are its plans' priorities'."""
        return cls.priority_id.in_(
            select(Priority.id).join(Plan, Plan.id == Priority.plan_id)
            .where(Plan.office_id == office))

    __tablename__ = "key_aim"
    __table_args__ = (
        UniqueConstraint("priority_id", "number"),
        CheckConstraint("number > 0", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    priority_id: Mapped[int] = mapped_column(ForeignKey("priority.id"))
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    # "plan" when quoted from the plan, "summary" when a short summary awaiting the plan's words.
    wording: Mapped[str] = mapped_column(String(10), default="plan")
    retired_at: Mapped[datetime | None]

    priority: Mapped[Priority] = relationship(back_populates="key_aims")

    @property
    def code(self) -> str:
        return f"{self.priority.code}.{self.number}"


def in_plan_order():
    """How a list of chosen key aims is ordered: as the plan numbers them (P1.1, P1.2, P2.1),
    whatever order they were chosen in. For a relationship's `order_by`."""
    priority_number = select(Priority.number).where(Priority.id == KeyAim.priority_id)
    return (priority_number.scalar_subquery(), KeyAim.number)


def plan_links(prefix: str, owner: tuple[str, str]) -> tuple[Table, Table]:
    """The two tables that link a record (`owner`, its column and "table.id") to the priorities
    and the key aims it serves, "<prefix>_priority" and "<prefix>_key_aim"."""
    return (link_table(f"{prefix}_priority", owner, ("priority_id", "priority.id")),
            link_table(f"{prefix}_key_aim", owner, ("key_aim_id", "key_aim.id")))
