"""Monitoring a grant: the reports a recipient owes, the projects and documents they send with
them, and the variations and repayments staff record."""

import enum
from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grants.awards.models import Award, AwardOwned
from grants.core.clock import created_now
from grants.db import child_rows, not_negative_if_given, str_enum
from grants.documents.models import StoredFile
from grants.extensions import db
from grants.offices.models import owned_through
from grants.plans.models import KeyAim, Priority, in_plan_order, plan_links


class ReportKind(enum.Enum):
    END_OF_GRANT = "end_of_grant"
    INTERIM = "interim"  # the twice-yearly returns of rounds that ask for them


class ReportStatus(enum.Enum):
    DUE = "due"
    SUBMITTED = "submitted"
    MORE_INFORMATION_REQUESTED = "more_information_requested"
    ACCEPTED = "accepted"
    # No longer owed: the grant's dates changed so the period is outside it. Kept, not deleted.
    CANCELLED = "cancelled"


class MonitoringReport(AwardOwned, db.Model):
    """A report the recipient owes on a grant: what was delivered and what was spent."""

    __tablename__ = "monitoring_report"
    __table_args__ = (
        not_negative_if_given("spent_pence", "spent_not_negative"),
        not_negative_if_given("underspend_pence", "underspend_not_negative"),
        not_negative_if_given("beneficiaries_reached", "beneficiaries_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("award.id", ondelete="CASCADE"),
                                          index=True)
    kind: Mapped[ReportKind] = mapped_column(str_enum(ReportKind, 20))
    due_on: Mapped[date] = mapped_column(index=True)
    # For interim returns: the months it covers, e.g. "April to September 2026".
    period: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[ReportStatus] = mapped_column(str_enum(ReportStatus, 30),
                                                 default=ReportStatus.DUE)
    delivered: Mapped[str] = mapped_column(Text, default="")
    outcomes_achieved: Mapped[str] = mapped_column(Text, default="")
    beneficiaries_reached: Mapped[int | None]
    spent_pence: Mapped[int | None] = mapped_column(BigInteger)
    underspend_pence: Mapped[int | None] = mapped_column(BigInteger)
    case_study: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None]
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    staff_comment: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    cancelled_at: Mapped[datetime | None]

    award: Mapped[Award] = relationship()
    documents: Mapped[list["MonitoringDocument"]] = child_rows("report")
    projects: Mapped[list["MonitoringProject"]] = child_rows(
        "report", order_by="MonitoringProject.position")


monitoring_project_priority, monitoring_project_key_aim = plan_links(
    "monitoring_project", ("project_id", "monitoring_project.id"))


class MonitoringProject(db.Model):
    """A project an allocation recipient funded, told in a monitoring return: what it cost and
    which priorities and key aims of the plan it supports."""

    __tablename__ = "monitoring_project"
    __table_args__ = (CheckConstraint("spent_pence >= 0", name="spent_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("monitoring_report.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    spent_pence: Mapped[int] = mapped_column(BigInteger)

    report: Mapped[MonitoringReport] = relationship(back_populates="projects")
    priorities: Mapped[list[Priority]] = relationship(secondary=monitoring_project_priority)
    key_aims: Mapped[list[KeyAim]] = relationship(
        secondary=monitoring_project_key_aim, order_by=in_plan_order)


class MonitoringDocument(owned_through("report_id", MonitoringReport), StoredFile, db.Model):
    """A file sent with a monitoring report, stored like application documents."""

    # Office-owned itself, not only through its parent: an address names it by its own id.
    __tablename__ = "monitoring_document"
    __table_args__ = (CheckConstraint("size_bytes > 0", name="size_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("monitoring_report.id", ondelete="CASCADE"), index=True)

    report: Mapped[MonitoringReport] = relationship(back_populates="documents")


class Variation(AwardOwned, db.Model):
    """A change to a grant staff agreed: a new end date or a changed purpose, with why."""

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("award.id", ondelete="CASCADE"),
                                          index=True)
    new_end_on: Mapped[date | None]
    changed_purpose: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text)
    previous_report_due_on: Mapped[date | None]
    new_report_due_on: Mapped[date | None]
    agreed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    agreed_at: Mapped[datetime] = mapped_column(default=created_now)


class Repayment(AwardOwned, db.Model):
    """Unspent money a recipient paid back; it returns to the fund."""

    __table_args__ = (CheckConstraint("amount_pence > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("award.id", ondelete="CASCADE"),
                                          index=True)
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    received_on: Mapped[date]
    reference: Mapped[str] = mapped_column(String(100), default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=created_now)
