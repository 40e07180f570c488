"""Plans, priorities and key aims; funds; rounds and what each round asks and scores."""

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Select,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column, relationship

from grants.areas.models import County
from grants.core import clock
from grants.core.clock import created_now
from grants.db import LabelledEnum, child_rows, not_negative_if_given, positive_if_given, str_enum
from grants.extensions import db
from grants.offices.models import Office, OfficeOwned, office_column, owned_through
from grants.organisations.models import OrganisationType
from grants.plans.models import KeyAim, Priority, in_plan_order, plan_links

# The longest codes and names the columns hold; forms and operations refuse longer ones.
MAX_FUND_CODE_LENGTH = 20
MAX_ROUND_CODE_LENGTH = 40
MAX_NAME_LENGTH = 200
# A financial year as it is written: "2026/27".
FINANCIAL_YEAR_LENGTH = 7
# The public bodies among the types of organisation: councils and their partnerships.
COUNCIL_TYPES = frozenset({OrganisationType.LOCAL_AUTHORITY,
                           OrganisationType.COMMUNITY_SAFETY_PARTNERSHIP})

class Fund(OfficeOwned, db.Model):
    """A pot of money with its own rules, such as the Police Property Act Fund."""

    # Every office has its own "PPAF" and "CSF": a fund's code is unique within its office.
    __table_args__ = (UniqueConstraint("office_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = office_column()
    code: Mapped[str] = mapped_column(String(MAX_FUND_CODE_LENGTH))
    name: Mapped[str] = mapped_column(String(MAX_NAME_LENGTH))
    description: Mapped[str] = mapped_column(Text, default="")
    eligible_recipients: Mapped[str] = mapped_column(Text, default="")
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    # A fund that holds money (the PPAF holds the proceeds of property) can commit no more than
    # has been paid into it: a round's budget, or a rise in it, must fit within the money
    # available in the round's financial year (grants.ledger). A fund whose budget is granted
    # (the Community Safety Fund) is not limited so.
    budgets_limited_by_money_paid_in: Mapped[bool] = mapped_column(default=False)
    # Councils and Community Safety Partnerships may receive the fund's money (the Community
    # Safety Fund's); the Police Property Act Fund's goes to charitable purposes only.
    for_councils: Mapped[bool] = mapped_column(default=False)

    office: Mapped[Office] = relationship()
    rounds: Mapped[list["Round"]] = relationship(
        back_populates="fund", order_by="Round.closes_at.desc()"
    )

    @property
    def default_organisation_types(self) -> list[OrganisationType]:
        """The types of organisation a new nomination round of the fund may award until staff
        say otherwise: every type, less councils and partnerships unless the fund is for them."""
        return [kind for kind in OrganisationType
                if self.for_councils or kind not in COUNCIL_TYPES]


class RoundKind(enum.Enum):
    OPEN = "open"
    NOMINATION = "nomination"
    ALLOCATION = "allocation"
    # A fund's direct awards of a financial year: awards staff record one by one outside any
    # round (an urgent need), each signed off by a second member of staff. The service makes
    # one such round per fund and year (grants.direct_awards); staff never set one up.
    DIRECT = "direct"


# The kinds of round staff set up themselves.
SET_UP_BY_STAFF = (RoundKind.OPEN, RoundKind.NOMINATION, RoundKind.ALLOCATION)


class MonitoringSchedule(enum.Enum):
    """What recipients report: one end-of-grant report, or twice-yearly returns as well."""

    END_OF_GRANT = "end_of_grant"
    TWICE_YEARLY = "twice_yearly"


class RoundStatus(enum.Enum):
    DRAFT = "draft"
    UPCOMING = "upcoming"  # launched, before its opening time
    OPEN = "open"
    CLOSED = "closed"
    ASSESSING = "assessing"
    DECIDED = "decided"
    PUBLISHED = "published"


round_priority, round_key_aim = plan_links("round", ("round_id", "funding_round.id"))


def default_financial_year(opens_at: datetime) -> str:
    """The financial year a round belongs to when staff do not say: that of its opening date
    in London. The only place a round's year comes from its dates; after that it is stated on
    the round (`Round.financial_year`) and no closing time moves it."""
    return clock.financial_year_of(clock.to_london(opens_at).date())


def _financial_year_default(context) -> str:
    return default_financial_year(context.get_current_parameters()["opens_at"])


class Round(owned_through("fund_id", Fund), db.Model):
    """One bidding round of a fund. Open and closed follow the clock; later steps are staff's."""

    @classmethod
    def ids_of_office(cls, office: ColumnElement[int]) -> Select:
        """An office's rounds, by a join to their funds (what every record kept under a round
        is scoped by)."""
        return select(cls.id).join(Fund, Fund.id == cls.fund_id).where(Fund.office_id == office)

    __tablename__ = "funding_round"
    __table_args__ = (
        CheckConstraint("closes_at > opens_at", name="closes_after_opening"),
        CheckConstraint("budget_pence >= 0", name="budget_not_negative"),
        not_negative_if_given("min_award_pence", "min_award_not_negative"),
        CheckConstraint(
            "min_award_pence IS NULL OR max_award_pence IS NULL "
            "OR min_award_pence <= max_award_pence",
            name="min_award_not_above_max",
        ),
        CheckConstraint("max_award_pence IS NULL OR max_award_pence <= budget_pence",
                        name="max_award_within_budget"),
        CheckConstraint("disagreement_threshold BETWEEN 1 AND 100",
                        name="disagreement_threshold_in_range"),
        CheckConstraint("top_slice_pence IS NULL OR "
                        "(top_slice_pence >= 0 AND top_slice_pence <= budget_pence)",
                        name="top_slice_within_budget"),
        CheckConstraint("top_slice_basis_points IS NULL OR "
                        "top_slice_basis_points BETWEEN 0 AND 10000",
                        name="top_slice_percentage_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fund_id: Mapped[int] = mapped_column(ForeignKey("fund.id"), index=True)
    code: Mapped[str] = mapped_column(String(MAX_ROUND_CODE_LENGTH), unique=True)
    title: Mapped[str] = mapped_column(String(MAX_NAME_LENGTH))
    kind: Mapped[RoundKind] = mapped_column(str_enum(RoundKind, 20), default=RoundKind.OPEN)
    opens_at: Mapped[datetime]
    # Indexed: the public register and the round lists read awards newest round first.
    closes_at: Mapped[datetime] = mapped_column(index=True)
    # An open round may have an expression-of-interest stage (grants.interest): from opening
    # until this time organisations send a short first stage, and only those staff invite
    # may then make a full application, until `closes_at`. None: no such stage.
    interest_closes_at: Mapped[datetime | None]
    # The financial year the round's money and figures belong to, "2026/27", as staff state it
    # (by default that of the opening date). Reports, codes and the register read it here.
    financial_year: Mapped[str] = mapped_column(
        String(FINANCIAL_YEAR_LENGTH), index=True, default=_financial_year_default)
    budget_pence: Mapped[int] = mapped_column(BigInteger)
    min_award_pence: Mapped[int | None] = mapped_column(BigInteger)
    max_award_pence: Mapped[int | None] = mapped_column(BigInteger)
    guidance: Mapped[str] = mapped_column(Text, default="")
    # Allocation rounds: the part of the budget the OPCC keeps for targeted priorities, and,
    # when staff gave it as a percentage, that percentage in hundredths of a per cent.
    top_slice_pence: Mapped[int | None] = mapped_column(BigInteger)
    top_slice_basis_points: Mapped[int | None]
    # Allocation rounds: the day the allocation was decided (e.g. by the Commissioner at a
    # decision meeting), as staff enter it; the progress report dates the allocation by it,
    # never by the day the shares were keyed in or signed off.
    allocation_decided_on: Mapped[date | None]
    # Reviewers "disagree" on an application when their scores are this many points apart.
    disagreement_threshold: Mapped[int] = mapped_column(default=25)
    monitoring: Mapped[MonitoringSchedule] = mapped_column(
        str_enum(MonitoringSchedule, 20), default=MonitoringSchedule.END_OF_GRANT)
    created_at: Mapped[datetime] = mapped_column(default=created_now)
    launched_at: Mapped[datetime | None]
    assessing_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    # A second member of staff signs off the round's decisions before they are published.
    decisions_signed_off_at: Mapped[datetime | None]
    decisions_signed_off_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id"))
    decisions_published_at: Mapped[datetime | None]
    archived_at: Mapped[datetime | None]

    fund: Mapped[Fund] = relationship(back_populates="rounds")
    priorities: Mapped[list[Priority]] = relationship(
        secondary=round_priority, order_by=Priority.number
    )
    key_aims: Mapped[list[KeyAim]] = relationship(secondary=round_key_aim, order_by=in_plan_order)
    organisation_type_rows: Mapped[list["RoundOrganisationType"]] = child_rows()
    eligibility_questions: Mapped[list["EligibilityQuestion"]] = child_rows(
        "round", order_by="EligibilityQuestion.position")
    # The yes/no questions the round adds to its public "Check if you can apply".
    check_questions: Mapped[list["CheckQuestion"]] = child_rows(
        "round", order_by="CheckQuestion.position")
    scoring_criteria: Mapped[list["ScoringCriterion"]] = child_rows(
        "round", order_by="ScoringCriterion.position")
    county_allocations: Mapped[list["CountyAllocation"]] = child_rows("round")
    question_sections: Mapped[list["QuestionSection"]] = child_rows(
        "round", order_by="QuestionSection.position")

    @property
    def organisation_types(self) -> frozenset[OrganisationType]:
        return frozenset(row.organisation_type for row in self.organisation_type_rows)

    def status_at(self, moment: datetime) -> RoundStatus:
        if self.decisions_published_at is not None:
            return RoundStatus.PUBLISHED
        if self.decided_at is not None:
            return RoundStatus.DECIDED
        if self.assessing_at is not None:
            return RoundStatus.ASSESSING
        if self.launched_at is None:
            return RoundStatus.DRAFT
        if moment < self.opens_at:
            return RoundStatus.UPCOMING
        if moment < self.closes_at:
            return RoundStatus.OPEN
        return RoundStatus.CLOSED

    @property
    def status(self) -> RoundStatus:
        return self.status_at(clock.utcnow())

    def __repr__(self) -> str:
        return f"<Round {self.code}>"


RoundOwned = owned_through("round_id", Round)


class RoundOrganisationType(db.Model):
    """An organisation type that may apply to a round."""

    __tablename__ = "round_organisation_type"

    round_id: Mapped[int] = mapped_column(
        ForeignKey("funding_round.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_type: Mapped[OrganisationType] = mapped_column(
        str_enum(OrganisationType, 40), primary_key=True
    )


class RoundListEntry:
    """One entry of a round's own numbered list (its eligibility questions, its check
    questions, its scoring criteria): the round, which takes its lists with it when deleted,
    and the entry's place in the list, which each table keeps unique within the round."""

    round_id: Mapped[int] = mapped_column(ForeignKey("funding_round.id", ondelete="CASCADE"))
    position: Mapped[int]


class EligibilityQuestion(RoundListEntry, db.Model):
    __tablename__ = "eligibility_question"
    __table_args__ = (UniqueConstraint("round_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    guidance: Mapped[str] = mapped_column(Text, default="")
    mandatory: Mapped[bool] = mapped_column(default=True)

    round: Mapped[Round] = relationship(back_populates="eligibility_questions")


class CheckQuestion(RoundOwned, RoundListEntry, db.Model):
    """A yes/no question a round adds to its "Check if you can apply", asked of anyone before
    they make an account: whoever gives the other answer cannot apply, for the reason staff
    give. (Staff's own screening checklist is `EligibilityQuestion`.)"""

    # Office-owned itself, not only through its parent: an address names it by its own id.
    __tablename__ = "check_question"
    __table_args__ = (UniqueConstraint("round_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    # The answer a person must give to be able to apply: yes (True) or no (False).
    needed_answer: Mapped[bool] = mapped_column(default=True)
    # Why someone who gives the other answer cannot apply, as the result page says it.
    reason: Mapped[str] = mapped_column(Text, default="")

    round: Mapped[Round] = relationship(back_populates="check_questions")


class ScoringCriterion(RoundListEntry, db.Model):
    __tablename__ = "scoring_criterion"
    __table_args__ = (
        UniqueConstraint("round_id", "position"),
        CheckConstraint("weight > 0", name="weight_positive"),
        CheckConstraint("max_score > 0", name="max_score_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME_LENGTH))
    guidance: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[int]
    max_score: Mapped[int]

    round: Mapped[Round] = relationship(back_populates="scoring_criteria")


class QuestionKind(LabelledEnum):
    SHORT_TEXT = "short_text", "Short text"
    LONG_TEXT = "long_text", "Long text, with a word limit"
    NUMBER = "number", "Whole number"
    MONEY = "money", "Amount of money"
    YES_NO = "yes_no", "Yes or no"
    ONE_CHOICE = "one_choice", "One choice from a list"
    SEVERAL_CHOICES = "several_choices", "Several choices from a list"
    DATE = "date", "Date"


# The kinds whose answer is picked from a list, which "ask only if" can depend on.
CHOICE_KINDS = frozenset({QuestionKind.YES_NO, QuestionKind.ONE_CHOICE,
                          QuestionKind.SEVERAL_CHOICES})


class QuestionSection(RoundOwned, db.Model):
    """A task-list section of the round's own questions, after the sections every round asks."""

    # Office-owned itself, not only through its parent: an address names it by its own id.
    __tablename__ = "question_section"
    __table_args__ = (UniqueConstraint("round_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("funding_round.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(MAX_NAME_LENGTH))
    # Asked in the round's expression of interest too: the full application then asks the
    # same questions again, starting from the answers given then.
    in_interest: Mapped[bool] = mapped_column(default=False)

    round: Mapped[Round] = relationship(back_populates="question_sections")
    questions: Mapped[list["RoundQuestion"]] = child_rows(
        "section", order_by="RoundQuestion.position")


class RoundQuestion(owned_through("section_id", QuestionSection), db.Model):
    """A question the round asks applicants, in one of its question sections.

    When `condition_question` is set, the question is asked only if that (earlier) question's
    answer is `condition_answer` (or, for several choices, includes it).
    """

    # Office-owned itself, not only through its parent: an address names it by its own id.
    __tablename__ = "round_question"
    __table_args__ = (
        UniqueConstraint("section_id", "position"),
        positive_if_given("word_limit", "word_limit_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(
        ForeignKey("question_section.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    kind: Mapped[QuestionKind] = mapped_column(str_enum(QuestionKind, 20))
    wording: Mapped[str] = mapped_column(Text)
    hint: Mapped[str] = mapped_column(Text, default="")
    required: Mapped[bool] = mapped_column(default=True)
    word_limit: Mapped[int | None]
    # The choices offered, in order, for one choice or several choices.
    choices: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Screeners see the applicant's answer beside the eligibility checks.
    show_to_screeners: Mapped[bool] = mapped_column(default=False)
    condition_question_id: Mapped[int | None] = mapped_column(
        ForeignKey("round_question.id", ondelete="SET NULL"))
    condition_answer: Mapped[str] = mapped_column(String(MAX_NAME_LENGTH), default="")

    section: Mapped[QuestionSection] = relationship(back_populates="questions")
    condition_question: Mapped["RoundQuestion | None"] = relationship(remote_side=[id])

    @property
    def offered(self) -> list[str]:
        """The answers a person picks from: yes and no, or the staff's choices."""
        if self.kind is QuestionKind.YES_NO:
            return ["Yes", "No"]
        return list(self.choices or [])


class AnswerColumns:
    """The checked answer to one of a round's questions: the question, and a column for each
    kind of answer (text and single choices as text, whole numbers, money in pence, dates,
    several choices). An application's answers and an expression of interest's share them."""

    question_id: Mapped[int] = mapped_column(
        ForeignKey("round_question.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    number: Mapped[int | None] = mapped_column(BigInteger)
    amount_pence: Mapped[int | None] = mapped_column(BigInteger)
    day: Mapped[date | None]
    choices: Mapped[list[str]] = mapped_column(JSON, default=list)

    @declared_attr
    def question(cls) -> Mapped[RoundQuestion]:
        return relationship()


class CountyAllocation(db.Model):
    """A nomination round's allocation for one county's High Sheriff."""

    __tablename__ = "county_allocation"
    __table_args__ = (CheckConstraint("amount_pence >= 0", name="amount_not_negative"),)

    round_id: Mapped[int] = mapped_column(
        ForeignKey("funding_round.id", ondelete="CASCADE"), primary_key=True
    )
    county_id: Mapped[int] = mapped_column(ForeignKey("county.id"), primary_key=True)
    amount_pence: Mapped[int] = mapped_column(BigInteger)

    round: Mapped[Round] = relationship(back_populates="county_allocations")
    county: Mapped[County] = relationship()


def financial_years_with_rounds(session: Session, *where: ColumnElement[bool]) -> list[str]:
    """The financial years some round (meeting `where`, if given) belongs to, newest first:
    one query."""
    return list(session.scalars(
        select(Round.financial_year).where(*where).distinct()
        .order_by(Round.financial_year.desc())))
