"""An organisation's expression of interest in a round, and its answers to the round's
questions asked at that stage."""

import enum
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grants.accounts.models import User
from grants.core.clock import created_now
from grants.db import child_rows, positive_if_given, str_enum
from grants.extensions import db
from grants.funds.models import AnswerColumns, Round, RoundOwned
from grants.organisations.models import Organisation


class InterestStatus(enum.Enum):
    DRAFT = "draft"
    SENT = "sent"
    INVITED = "invited"
    DECLINED = "declined"


class Interest(RoundOwned, db.Model):
    """An organisation's short first bid to a round with an expression-of-interest stage.
    One per organisation per round; staff invite it to the full application or decline it."""

    __tablename__ = "expression_of_interest"
    __table_args__ = (
        UniqueConstraint("round_id", "organisation_id"),
        positive_if_given("amount_pence", "amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("funding_round.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    status: Mapped[InterestStatus] = mapped_column(
        str_enum(InterestStatus, 20), default=InterestStatus.DRAFT, index=True)
    # The answers the full application starts from: its title, summary and amount asked for.
    title: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    amount_pence: Mapped[int | None] = mapped_column(BigInteger)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=created_now)
    updated_at: Mapped[datetime] = mapped_column(default=created_now, onupdate=created_now)
    sent_at: Mapped[datetime | None]
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Why staff declined it, as the applicant reads it.
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    # When the retention job removed its words and answers (as an application's).
    anonymised_at: Mapped[datetime | None]

    round: Mapped[Round] = relationship()
    organisation: Mapped[Organisation] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    sent_by: Mapped[User | None] = relationship(foreign_keys=[sent_by_id])
    question_answers: Mapped[list["InterestAnswer"]] = child_rows("interest")

    def __repr__(self) -> str:
        return f"<Interest {self.id} {self.status.value}>"


class InterestAnswer(AnswerColumns, db.Model):
    """The checked answer to one of the round's questions asked in the expression of interest,
    in the column its kind uses (as `QuestionAnswer` keeps an application's)."""

    __tablename__ = "interest_answer"
    __table_args__ = (UniqueConstraint("interest_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    interest_id: Mapped[int] = mapped_column(
        ForeignKey("expression_of_interest.id", ondelete="CASCADE"), index=True)

    interest: Mapped[Interest] = relationship(back_populates="question_answers")
