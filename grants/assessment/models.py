"""The record of how each application was judged: screening, reviewers' declarations and
scores, moderation, questions to the applicant, and staff's internal notes."""

import enum
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grants.accounts.models import User
from grants.applications.models import ApplicationOwned, ApplicationRecord
from grants.core.clock import created_now
from grants.db import LabelledEnum, child_rows, not_negative_if_given, positive_if_given, str_enum
from grants.extensions import db
from grants.funds.models import EligibilityQuestion, ScoringCriterion
from grants.offices.models import owned_through


class EligibilityAnswerValue(LabelledEnum):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class EligibilityAnswer(ApplicationRecord, db.Model):
    """Staff's answer to one of the round's eligibility questions for one application."""

    __tablename__ = "eligibility_answer"
    __table_args__ = (UniqueConstraint("application_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("eligibility_question.id"))
    answer: Mapped[EligibilityAnswerValue] = mapped_column(str_enum(EligibilityAnswerValue, 20))
    note: Mapped[str] = mapped_column(Text, default="")
    answered_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    answered_at: Mapped[datetime] = mapped_column(default=created_now)

    question: Mapped[EligibilityQuestion] = relationship()
    answered_by: Mapped[User] = relationship()


class ScreeningOutcome(LabelledEnum):
    ELIGIBLE = "eligible", "Eligible"
    INELIGIBLE = "ineligible", "Not eligible"


class ScreeningDecision(ApplicationRecord, db.Model):
    """A screening decision. Reversals add a new decision; the latest one stands."""

    __tablename__ = "screening_decision"
    __table_args__ = (
        CheckConstraint("outcome != 'ineligible' OR reason != ''", name="ineligible_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome: Mapped[ScreeningOutcome] = mapped_column(str_enum(ScreeningOutcome, 20))
    # Shown to the applicant when ineligible; why it changed when it reverses a decision.
    reason: Mapped[str] = mapped_column(Text, default="")
    is_reversal: Mapped[bool] = mapped_column(default=False)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime] = mapped_column(default=created_now)

    decided_by: Mapped[User] = relationship()


class ConflictStatus(enum.Enum):
    UNDECLARED = "undeclared"
    NO_CONFLICT = "no_conflict"
    CONFLICT = "conflict"


class ReviewAssignment(ApplicationOwned, ApplicationRecord, db.Model):
    """A reviewer assigned to an application. Removing it (by staff, or by a declared
    conflict) keeps the row, so the record shows who was assigned and why they stopped."""

    __tablename__ = "review_assignment"
    __table_args__ = (
        UniqueConstraint("application_id", "reviewer_id"),
        Index("ix_review_assignment_reviewer", "reviewer_id", "removed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    assigned_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    assigned_at: Mapped[datetime] = mapped_column(default=created_now)
    conflict: Mapped[ConflictStatus] = mapped_column(
        str_enum(ConflictStatus, 20), default=ConflictStatus.UNDECLARED)
    conflict_note: Mapped[str] = mapped_column(Text, default="")
    declared_at: Mapped[datetime | None]
    removed_at: Mapped[datetime | None]
    removal_reason: Mapped[str] = mapped_column(Text, default="")

    reviewer: Mapped[User] = relationship(foreign_keys=[reviewer_id])
    assigned_by: Mapped[User] = relationship(foreign_keys=[assigned_by_id])
    review: Mapped["Review | None"] = child_rows("assignment")


class Recommendation(LabelledEnum):
    FUND = "fund", "Fund"
    FUND_IN_PART = "fund_in_part", "Fund in part"
    DO_NOT_FUND = "do_not_fund", "Do not fund"


class Review(owned_through("assignment_id", ReviewAssignment), db.Model):
    """A reviewer's scores and recommendation: a draft until submitted, once."""

    __table_args__ = (
        positive_if_given("recommended_amount_pence", "recommended_amount_positive"),
        # A submitted review always carries its weighted score.
        CheckConstraint("submitted_at IS NULL OR (score_numerator IS NOT NULL "
                        "AND score_denominator > 0)", name="submitted_review_has_score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("review_assignment.id", ondelete="CASCADE"), unique=True)
    # The weighted score of the submitted review, exactly: score_numerator ÷ score_denominator
    # per cent, in lowest terms. It is worked out from the criterion scores when the review is
    # submitted (the round's criteria are frozen by then, and a submitted review cannot change
    # until staff reopen it), so a round's ranking reads one row a review instead of adding up
    # every criterion's score on every page.
    score_numerator: Mapped[int | None] = mapped_column(BigInteger)
    score_denominator: Mapped[int | None] = mapped_column(BigInteger)
    recommendation: Mapped[Recommendation | None] = mapped_column(str_enum(Recommendation, 20))
    recommended_amount_pence: Mapped[int | None] = mapped_column(BigInteger)
    comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=created_now)
    submitted_at: Mapped[datetime | None]
    reopened_at: Mapped[datetime | None]
    reopened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reopen_reason: Mapped[str] = mapped_column(Text, default="")

    assignment: Mapped[ReviewAssignment] = relationship(back_populates="review")
    scores: Mapped[list["CriterionScore"]] = child_rows("review")


class CriterionScore(db.Model):
    __tablename__ = "criterion_score"
    __table_args__ = (
        UniqueConstraint("review_id", "criterion_id"),
        not_negative_if_given("score", "score_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("scoring_criterion.id"))
    score: Mapped[int | None]
    comment: Mapped[str] = mapped_column(Text, default="")

    review: Mapped[Review] = relationship(back_populates="scores")
    criterion: Mapped[ScoringCriterion] = relationship()


class Moderation(ApplicationRecord, db.Model):
    """An agreed score recorded by staff; the latest ranks instead of the reviewers' mean."""

    __table_args__ = (
        CheckConstraint("agreed_score_tenths BETWEEN 0 AND 1000", name="score_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A percentage to one decimal place, in tenths: 73.5 % is 735.
    agreed_score_tenths: Mapped[int]
    reason: Mapped[str] = mapped_column(Text)
    moderated_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    moderated_at: Mapped[datetime] = mapped_column(default=created_now)

    moderated_by: Mapped[User] = relationship()


class ApplicationScore(db.Model):
    """What ranks an application, kept beside it so that the database can sort a round:
    its submitted reviews' weighted scores added up, its latest agreed score, and its ranking
    key. `kept_scores.refresh_score` writes it in the same transaction as each change that moves
    it (a review submitted or reopened, a reviewer removed or assigned again, a score agreed).
    An application with no row has no review and no agreed score."""

    __tablename__ = "application_score"
    __table_args__ = (
        CheckConstraint("review_count >= 0", name="review_count_not_negative"),
        CheckConstraint("score_scale > 0", name="score_scale_positive"),
    )

    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), primary_key=True)
    # The submitted reviews of standing assignments: how many, and their weighted scores as
    # whole numbers over score_scale (per cent): total, lowest and highest.
    review_count: Mapped[int] = mapped_column(default=0)
    score_scale: Mapped[int] = mapped_column(BigInteger, default=1)
    score_total: Mapped[int] = mapped_column(BigInteger, default=0)
    score_lowest: Mapped[int] = mapped_column(BigInteger, default=0)
    score_highest: Mapped[int] = mapped_column(BigInteger, default=0)
    moderation_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderation.id", ondelete="SET NULL"))
    # The ranking score (the agreed score, else the mean) times ranking_multiple, the round's
    # multiple that makes every such score a whole number: keys of one round compare exactly.
    # None without a score; with a score but no whole key (a multiple too small for it, or too
    # large a key), key_exact is false and the round is ranked without the database's sort.
    ranking_key: Mapped[int | None] = mapped_column(BigInteger)
    ranking_multiple: Mapped[int] = mapped_column(BigInteger, default=1)
    key_exact: Mapped[bool] = mapped_column(default=True)


class Clarification(ApplicationRecord, db.Model):
    """A question staff ask the applicant about a submitted application, and the answer."""

    id: Mapped[int] = mapped_column(primary_key=True)
    question: Mapped[str] = mapped_column(Text)
    asked_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    asked_at: Mapped[datetime] = mapped_column(default=created_now)
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    answered_at: Mapped[datetime | None]

    asked_by: Mapped[User] = relationship(foreign_keys=[asked_by_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])


class InternalNote(ApplicationRecord, db.Model):
    """A note staff keep on an application. Applicants never see these."""

    __tablename__ = "internal_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=created_now)

    author: Mapped[User] = relationship()
