"""An organisation's expression of interest: starting it, saving its answers (the title,
summary and amount every one asks, and the round's questions asked at this stage) and sending
it before the stage closes, judged on the server's clock."""

import logging
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.applications.operations import questions as asked
from grants.applications.operations.starting import why_organisation_cannot_apply
from grants.core import clock
from grants.core.errors import Refusal, ValidationFailed, unanswered
from grants.core.money import format_pounds
from grants.core.translatable import N_, Moment, Words
from grants.funds.models import Round, RoundKind, RoundQuestion, RoundStatus
from grants.interest import notifications
from grants.interest.models import Interest, InterestAnswer, InterestStatus
from grants.interest.operations.stage import has_stage, interest_questions
from grants.organisations.models import Organisation
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)


class StageNotOpen(Refusal):
    pass


class Incomplete(ValidationFailed):
    """The answers given are kept, but some that sending needs are missing."""


@dataclass(frozen=True)
class InterestAnswers:
    """The answers as typed and checked on the form (None or "" where not given)."""

    title: str = ""
    summary: str = ""
    amount_pence: int | None = None
    values: dict[int, asked.Value] = field(default_factory=dict)


def why_stage_not_open(round_: Round) -> Words | None:
    """Why expressions of interest cannot be started or sent to the round now, or None."""
    now = clock.utcnow()
    if round_.kind is not RoundKind.OPEN or not has_stage(round_):
        return Words(N_("This round does not ask for expressions of interest"))
    status = round_.status_at(now)
    if status is RoundStatus.UPCOMING:
        return Words(N_("This round opens at %(moment)s"), moment=Moment(round_.opens_at))
    if status is not RoundStatus.OPEN or now >= round_.interest_closes_at:
        return Words(N_("Expressions of interest closed at %(moment)s"),
                     moment=Moment(round_.interest_closes_at))
    return None


def start_interest(session: Session, user: User, round_: Round,
                   organisation: Organisation) -> tuple[Interest, bool]:
    """Start the organisation's expression of interest in the round, or open the one it has
    already: (interest, whether it is new)."""
    existing = interest_of(session, round_.id, organisation.id)
    if existing is not None:
        return existing, False
    StageNotOpen.raise_if(why_stage_not_open(round_))
    Refusal.raise_if(why_organisation_cannot_apply(round_, organisation))
    interest = Interest(round=round_, organisation=organisation, created_by=user)
    session.add(interest)
    session.flush()
    record_event(session, actor_id=user.id, action="interest.started",
                 entity_type="interest", entity_id=interest.id,
                 after={"round": round_.code, "organisation_id": organisation.id})
    return interest, True


def interest_of(session: Session, round_id: int, organisation_id: int) -> Interest | None:
    return session.scalars(select(Interest).where(
        Interest.round_id == round_id, Interest.organisation_id == organisation_id)
    ).one_or_none()


def stored_values(interest: Interest) -> dict[int, asked.Value]:
    """Each answered question's value, by question id."""
    questions = {question.id: question for question in interest_questions(interest.round)}
    return {answer.question_id: asked.value_of(questions[answer.question_id], answer)
            for answer in interest.question_answers if answer.question_id in questions}


def asked_now(questions: list[RoundQuestion], values: dict[int, asked.Value]) -> set[int]:
    """The stage's questions asked, given these answers ("ask only if" waits on another
    question of the stage; one waiting on a question the stage does not ask waits for the
    full application)."""
    return asked.asked_ids(questions, values)


def _amount_problem(round_: Round, amount_pence: int | None) -> Words | None:
    if amount_pence is None:
        return None
    if round_.max_award_pence is not None and amount_pence > round_.max_award_pence:
        return Words(N_("Enter %(amount)s or less"), amount=format_pounds(round_.max_award_pence))
    if round_.min_award_pence is not None and amount_pence < round_.min_award_pence:
        return Words(N_("Enter %(amount)s or more"), amount=format_pounds(round_.min_award_pence))
    return None


def missing(interest: Interest) -> dict[str, str]:
    """What must still be answered before the expression of interest can be sent, by field."""
    problems = unanswered(
        title=(interest.title, N_("Enter a title for your project")),
        summary=(interest.summary, N_("Enter a summary of your project")),
        amount=(interest.amount_pence, N_("Enter how much you expect to ask for")))
    questions = interest_questions(interest.round)
    values = stored_values(interest)
    asked_ids = asked_now(questions, values)
    for question in questions:
        if question.id in asked_ids and question.required and \
                asked.is_empty(values.get(question.id)):
            problems[f"q{question.id}"] = asked.required_message(question)
    return problems


def _refuse_unless_draft(interest: Interest) -> None:
    if interest.status is not InterestStatus.DRAFT:
        raise Refusal(N_("This expression of interest has been sent, so it can no longer "
                         "change"))


def save_interest(session: Session, interest: Interest, answers: InterestAnswers, *,
                  complete: bool, actor_id: int) -> Interest:
    """Keep the answers given (an answer left empty clears the one kept). With `complete`,
    refuse (ValidationFailed, by field) while something it must have is missing, having kept
    what was given."""
    _refuse_unless_draft(interest)
    StageNotOpen.raise_if(why_stage_not_open(interest.round))
    problem = _amount_problem(interest.round, answers.amount_pence)
    if problem:
        raise ValidationFailed({"amount": problem})
    interest.title = answers.title.strip()
    interest.summary = answers.summary.strip()
    interest.amount_pence = answers.amount_pence
    questions = interest_questions(interest.round)
    asked_ids = asked_now(questions, answers.values)
    kept = {answer.question_id: answer for answer in interest.question_answers}
    for question in questions:
        value = answers.values.get(question.id)
        answer = kept.get(question.id)
        if question.id not in asked_ids or asked.is_empty(value):
            if answer is not None:
                interest.question_answers.remove(answer)
                session.delete(answer)
            continue
        if answer is None:
            answer = InterestAnswer(question_id=question.id)
            interest.question_answers.append(answer)
        asked.write_answer(answer, question, value)
    session.flush()
    record_event(session, actor_id=actor_id, action="interest.saved", entity_type="interest",
                 entity_id=interest.id, after={"title": interest.title,
                                               "amount_pence": interest.amount_pence})
    if complete:
        problems = missing(interest)
        if problems:
            raise Incomplete(problems)
    return interest


def send_interest(session: Session, user: User, interest: Interest) -> Interest:
    """Send the expression of interest to staff; sending one already sent does nothing (a
    double click sends it once)."""
    if interest.status is not InterestStatus.DRAFT:
        return interest
    StageNotOpen.raise_if(why_stage_not_open(interest.round))
    problems = missing(interest)
    if problems:
        raise Refusal(Words(N_("It cannot be sent yet. %(problem)s"),
                            problem=Words(next(iter(problems.values())))))
    interest.status = InterestStatus.SENT
    interest.sent_at = clock.utcnow()
    interest.sent_by = user
    session.flush()
    record_event(session, actor_id=user.id, action="interest.sent", entity_type="interest",
                 entity_id=interest.id, before={"status": "draft"}, after={"status": "sent"})
    notifications.interest_sent(session, user, interest)
    logger.info("expression of interest %s sent to round %s", interest.id, interest.round_id)
    return interest


def answered(interest: Interest) -> list[asked.AnsweredQuestion]:
    """The stage's questions asked, each with its answer's lines, for the pages."""
    questions = interest_questions(interest.round)
    values = stored_values(interest)
    ids = asked_now(questions, values)
    return [asked.AnsweredQuestion(question, asked.answer_lines(question, values.get(question.id)))
            for question in questions if question.id in ids]
