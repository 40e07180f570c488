"""Reading one round for staff, and when what it asks and scores can no longer change."""

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from grants.applications.models import Application
from grants.core.errors import ValidationFailed, or_not_found
from grants.core.formatting import format_london_datetime
from grants.funds.models import CountyAllocation, QuestionSection, Round
from grants.interest.models import Interest
from grants.plans.models import KeyAim


def find_round(session: Session, round_id: int) -> Round:
    """The round alone (what it holds loads when read), or NotFound."""
    return or_not_found(session.get(Round, round_id), "Round not found")


def get_round(session: Session, round_id: int) -> Round:
    """The round with everything its staff page shows, in a fixed number of queries."""
    round_ = session.scalars(
        select(Round)
        .where(Round.id == round_id)
        .options(
            joinedload(Round.fund),
            selectinload(Round.priorities),
            selectinload(Round.key_aims).joinedload(KeyAim.priority),
            selectinload(Round.organisation_type_rows),
            selectinload(Round.eligibility_questions),
            selectinload(Round.check_questions),
            selectinload(Round.scoring_criteria),
            selectinload(Round.county_allocations).joinedload(CountyAllocation.county),
            selectinload(Round.question_sections).selectinload(QuestionSection.questions),
        )
    ).one_or_none()
    return or_not_found(round_, "There is no such round")


def first_submission_at(session: Session, round_id: int) -> datetime | None:
    """When the round's first application was submitted, or None when none has been."""
    return session.scalar(
        select(func.min(Application.submitted_at)).where(Application.round_id == round_id)
    )


def first_interest_sent_at(session: Session, round_id: int) -> datetime | None:
    """When the round's first expression of interest was sent, or None when none has been."""
    return session.scalar(
        select(func.min(Interest.sent_at)).where(Interest.round_id == round_id))


def locked_reason(session: Session, round_: Round, what: str) -> str | None:
    """Why `what` (e.g. "its scoring criteria") can no longer change, or None while it can.

    Once an application (or, in a round that starts with one, an expression of interest) is
    sent, what the round asks and scores and whom it is for are fixed, so every organisation
    is judged on the same terms.
    """
    first = first_submission_at(session, round_.id)
    if first is not None:
        return (f"Applications have been submitted to this round (the first at "
                f"{format_london_datetime(first)}), so {what} can no longer change")
    sent = first_interest_sent_at(session, round_.id) if round_.interest_closes_at else None
    if sent is not None:
        return (f"Expressions of interest have been sent to this round (the first at "
                f"{format_london_datetime(sent)}), so {what} can no longer change")
    return None


def refuse_when_locked(session: Session, round_: Round, what: str, field: str) -> None:
    """Refuse a change to `what`, on the form's `field`, once the round has applications."""
    reason = locked_reason(session, round_, what)
    if reason is not None:
        raise ValidationFailed({field: reason})


def next_position(items: list) -> int:
    """The position after the last of a round's questions (or criteria)."""
    return max((item.position for item in items), default=0) + 1
