"""In a round with an expression-of-interest stage only organisations staff invited may apply,
and the full application starts from what the expression of interest said: its title,
summary and amount asked for, and its answers to the round's questions asked at that stage
(the full application asks them again, filled in, and the applicant may change them).

Like the eligibility check's answers, nothing here completes a section: each is still checked
and completed as ever."""

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.applications.models import Application, QuestionAnswer
from grants.core.errors import Refusal
from grants.core.money import MAX_PENCE
from grants.funds.models import Round
from grants.interest.models import Interest, InterestStatus
from grants.organisations.models import Organisation

logger = logging.getLogger(__name__)


def invitation_for(session: Session, round_: Round, organisation: Organisation) -> Interest | None:
    """The organisation's expression of interest in the round that staff invited, or None."""
    return session.scalars(select(Interest).where(
        Interest.round_id == round_.id, Interest.organisation_id == organisation.id,
        Interest.status == InterestStatus.INVITED)).one_or_none()


def why_not_invited(session: Session, round_: Round, organisation: Organisation) -> str | None:
    """Why the organisation may not start a full application to a round with the stage."""
    if round_.interest_closes_at is None or invitation_for(session, round_, organisation):
        return None
    return (f"This round asks for an expression of interest first: only organisations the "
            f"grants team invite can apply, and {organisation.name} has not been invited")


def start_from_interest(session: Session, application: Application, interest: Interest) -> None:
    """Fill the new application from the expression of interest's answers."""
    application.title = interest.title
    application.summary = interest.summary
    if interest.amount_pence is not None and 0 < interest.amount_pence <= MAX_PENCE:
        application.amount_requested_pence = interest.amount_pence
    for answer in interest.question_answers:
        application.question_answers.append(QuestionAnswer(
            question_id=answer.question_id, text=answer.text, number=answer.number,
            amount_pence=answer.amount_pence, day=answer.day,
            choices=list(answer.choices or [])))
    session.flush()
    logger.info("application %s started from expression of interest %s", application.id,
                interest.id)


def refuse_unless_invited(session: Session, round_: Round,
                          organisation: Organisation) -> Interest | None:
    """The invitation a new application starts from (None in a round without the stage), or a
    Refusal saying why the organisation may not apply."""
    Refusal.raise_if(why_not_invited(session, round_, organisation))
    return invitation_for(session, round_, organisation)
