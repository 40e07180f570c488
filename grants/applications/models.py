"""Applications, with their priorities, areas served and budget lines."""

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from grants.accounts.models import User
from grants.areas.models import LocalAuthority
from grants.core.clock import created_now
from grants.db import child_rows, link_table, not_negative_if_given, positive_if_given, str_enum
from grants.documents.models import DocumentKind as DocumentKind  # where it is defined
from grants.documents.models import StoredFile
from grants.extensions import db
from grants.funds.models import AnswerColumns, Round, RoundOwned
from grants.offices.models import owned_through
from grants.organisations.models import Organisation
from grants.plans.models import KeyAim, Priority, in_plan_order, plan_links


class ApplicationStatus(enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    IN_REVIEW = "in_review"
    AWARDED = "awarded"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    OFFER_ACCEPTED = "offer_accepted"
    PAID = "paid"
    MONITORING_DUE = "monitoring_due"
    CLOSED = "closed"


application_priority, application_key_aim = plan_links(
    "application", ("application_id", "application.id"))

application_area = link_table(
    "application_area", ("application_id", "application.id"),
    ("local_authority_id", "local_authority.id"))


class Application(RoundOwned, db.Model):
    """An organisation's bid to an open round. One per organisation per round."""

    __table_args__ = (
        UniqueConstraint("round_id", "organisation_id"),
        UniqueConstraint("round_id", "sequence"),
        positive_if_given("amount_requested_pence", "amount_requested_positive"),
        not_negative_if_given("total_cost_pence", "total_cost_not_negative"),
        CheckConstraint(
            "planned_start IS NULL OR planned_end IS NULL OR planned_end >= planned_start",
            name="ends_after_start",
        ),
        not_negative_if_given("beneficiaries_count", "beneficiaries_not_negative"),
        CheckConstraint("(reference IS NULL) = (sequence IS NULL)",
                        name="reference_with_sequence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("funding_round.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    # Given on submission: "{round code}-{sequence:04}", e.g. PPAF-2019-1-0007.
    reference: Mapped[str | None] = mapped_column(String(60), unique=True)
    sequence: Mapped[int | None]
    status: Mapped[ApplicationStatus] = mapped_column(
        str_enum(ApplicationStatus, 20), default=ApplicationStatus.DRAFT, index=True
    )
    title: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    amount_requested_pence: Mapped[int | None] = mapped_column(BigInteger)
    total_cost_pence: Mapped[int | None] = mapped_column(BigInteger)
    other_funding: Mapped[str] = mapped_column(Text, default="")
    planned_start: Mapped[date | None]
    planned_end: Mapped[date | None]
    beneficiaries_count: Mapped[int | None]
    beneficiary_groups: Mapped[str] = mapped_column(Text, default="")
    outcomes: Mapped[str] = mapped_column(Text, default="")
    primary_priority_id: Mapped[int | None] = mapped_column(ForeignKey("priority.id"),
                                                            index=True)
    serves_whole_thames_valley: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=created_now)
    # Set when retention removed the personal details of an unsuccessful application.
    anonymised_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=created_now, onupdate=created_now)
    submitted_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    withdrawal_reason: Mapped[str] = mapped_column(Text, default="")
    # The declaration, made by a member of the organisation before submitting.
    declared_by_name: Mapped[str] = mapped_column(String(200), default="")
    declared_by_position: Mapped[str] = mapped_column(String(200), default="")
    declared_at: Mapped[datetime | None]
    # Assisted digital: the staff member who filled the application in for the organisation.
    assisted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Optimistic locking: two people saving the same draft cannot silently overwrite each other.
    version: Mapped[int] = mapped_column(default=1)

    round: Mapped[Round] = relationship()
    organisation: Mapped[Organisation] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    assisted_by: Mapped[User | None] = relationship(foreign_keys=[assisted_by_id])
    primary_priority: Mapped[Priority | None] = relationship()
    further_priorities: Mapped[list[Priority]] = relationship(secondary=application_priority)
    key_aims: Mapped[list[KeyAim]] = relationship(
        secondary=application_key_aim, order_by=in_plan_order)
    areas: Mapped[list[LocalAuthority]] = relationship(secondary=application_area)
    budget_lines: Mapped[list["BudgetLine"]] = child_rows(
        "application", order_by="BudgetLine.position")
    sections: Mapped[list["ApplicationSection"]] = child_rows("application")
    documents: Mapped[list["Document"]] = child_rows("application", order_by="Document.uploaded_at")
    question_answers: Mapped[list["QuestionAnswer"]] = child_rows("application")

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Application {self.id} {self.reference or 'draft'}>"


ApplicationOwned = owned_through("application_id", Application)


class ApplicationRecord:
    """A record kept about one application and deleted with it: the application's key (indexed,
    as the application's pages read its records by it) and the application."""

    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True)

    @declared_attr
    def application(cls) -> Mapped[Application]:
        return relationship()


class BudgetLine(db.Model):
    """One line of an application's budget: what the money is for and how much."""

    __tablename__ = "budget_line"
    __table_args__ = (
        UniqueConstraint("application_id", "position"),
        CheckConstraint("amount_pence >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE")
    )
    position: Mapped[int]
    description: Mapped[str] = mapped_column(String(300))
    amount_pence: Mapped[int] = mapped_column(BigInteger)

    application: Mapped[Application] = relationship(back_populates="budget_lines")


class SectionStatus(enum.Enum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class ApplicationSection(db.Model):
    """One section of an application's task list: its status and everything last typed in it.

    `answers` keeps what the person typed, even when it did not pass the checks, so that
    nothing typed is ever lost; the application's own columns hold the checked answers.
    `version` lets a save notice that someone else saved the section since it was opened.
    """

    __tablename__ = "application_section"
    __table_args__ = (UniqueConstraint("application_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE")
    )
    key: Mapped[str] = mapped_column(String(40))
    status: Mapped[SectionStatus] = mapped_column(
        str_enum(SectionStatus, 20), default=SectionStatus.NOT_STARTED
    )
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime | None]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    application: Mapped[Application] = relationship(back_populates="sections")
    updated_by: Mapped[User | None] = relationship()


class QuestionAnswer(AnswerColumns, ApplicationRecord, db.Model):
    """The checked answer to one of the round's own questions: in the column its kind uses
    (text and choices as text, whole numbers, money in pence, dates, several choices)."""

    __tablename__ = "question_answer"
    __table_args__ = (UniqueConstraint("application_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)

    application: Mapped[Application] = relationship(back_populates="question_answers")


class Document(ApplicationOwned, StoredFile, ApplicationRecord, db.Model):
    """A file uploaded with an application, stored outside the web root under a random name."""

    # Office-owned itself, not only through its parent: an address names it by its own id.
    __table_args__ = (
        CheckConstraint("size_bytes > 0", name="size_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[DocumentKind] = mapped_column(str_enum(DocumentKind, 30))
    # The document's own date as the organisation gave it (see OrganisationDocument); none for
    # files uploaded before documents had one.
    document_date: Mapped[date | None]

    application: Mapped[Application] = relationship(back_populates="documents")


class ReferenceCounter(db.Model):
    """The last application reference number given in a round.

    Taking the next number is one atomic UPDATE of this row, so references stay unique and
    gapless even when many applicants submit in the same second.
    """

    __tablename__ = "reference_counter"

    round_id: Mapped[int] = mapped_column(
        ForeignKey("funding_round.id", ondelete="CASCADE"), primary_key=True
    )
    last_number: Mapped[int] = mapped_column(default=0)
