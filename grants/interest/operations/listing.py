"""Reading expressions of interest: one with what its pages show, a round's for staff, an
organisation's for its dashboard, and a round's figures for its report (one query each)."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from grants.core.errors import or_not_found
from grants.funds.models import QuestionSection, Round
from grants.interest.models import Interest, InterestStatus

# What staff see of a round: everything sent (a draft is the applicant's own until then).
SENT_OR_LATER = (InterestStatus.SENT, InterestStatus.INVITED, InterestStatus.DECLINED)


def get_interest(session: Session, interest_id: int) -> Interest:
    """The expression of interest with its round, organisation and answers, or NotFound."""
    interest = session.scalars(
        select(Interest).where(Interest.id == interest_id).options(
            joinedload(Interest.round).selectinload(Round.question_sections)
            .selectinload(QuestionSection.questions),
            joinedload(Interest.organisation),
            selectinload(Interest.question_answers),
        )).one_or_none()
    return or_not_found(interest, "There is no such expression of interest")


def interests_of_round(session: Session, round_id: int) -> list[Interest]:
    """The round's expressions of interest sent to staff, first sent first."""
    return list(session.scalars(
        select(Interest).where(Interest.round_id == round_id,
                               Interest.status.in_(SENT_OR_LATER))
        .options(joinedload(Interest.organisation))
        .order_by(Interest.sent_at, Interest.id)))


def interests_of_organisations(session: Session, organisation_ids) -> list[Interest]:
    """The organisations' expressions of interest, newest first, for their dashboard."""
    if not organisation_ids:
        return []
    return list(session.scalars(
        select(Interest).where(Interest.organisation_id.in_(organisation_ids))
        .options(joinedload(Interest.round), joinedload(Interest.organisation))
        .order_by(Interest.created_at.desc(), Interest.id.desc())))


@dataclass(frozen=True)
class StageFigures:
    """A round's expressions of interest: received (sent to staff), invited, declined, and
    those still waiting for an answer."""

    received: int = 0
    invited: int = 0
    declined: int = 0

    @property
    def waiting(self) -> int:
        return self.received - self.invited - self.declined

    def to_json(self) -> dict[str, int]:
        return {"received": self.received, "invited": self.invited,
                "declined": self.declined, "waiting": self.waiting}

    def rows(self) -> list[tuple[str, int]]:
        """The figures as a report's rows: (label, figure)."""
        return [("Expressions of interest received", self.received),
                ("Invited to apply", self.invited), ("Declined", self.declined),
                ("Waiting for an answer", self.waiting)]


def round_stage_figures(session: Session, round_: Round | None) -> StageFigures | None:
    """A round's expression-of-interest figures; None for a round without the stage."""
    if round_ is None:
        return None
    return stage_figures(session, [Round.id == round_.id])


def stage_figures(session: Session, round_clauses: Sequence[Any]) -> StageFigures | None:
    """The expression-of-interest figures summed over the rounds the WHERE clauses on Round
    pick that have the stage (one round, or a report's year); None when none of them has it.
    The one place expressions of interest are counted."""
    staged = session.scalar(select(func.count(Round.id)).where(
        *round_clauses, Round.interest_closes_at.is_not(None)))
    if not staged:
        return None
    counts = dict(session.execute(
        select(Interest.status, func.count())
        .join(Round, Round.id == Interest.round_id)
        .where(*round_clauses, Round.interest_closes_at.is_not(None),
               Interest.status.in_(SENT_OR_LATER))
        .group_by(Interest.status)).all())
    return StageFigures(received=sum(counts.values()),
                        invited=counts.get(InterestStatus.INVITED, 0),
                        declined=counts.get(InterestStatus.DECLINED, 0))
