"""A round's public "Check if you can apply": the questions it asks, one to a page, and what
the answers mean. Nobody needs an account; the answers live in the browser's session
(`grants.core.carried`) as the plain dict `CheckAnswers.dump` gives. The words given to the
pages (the questions, the reasons, the answers) are English marked for the Welsh catalogue
(`Words`), said in the page's language where they are shown.

The questions: the type of organisation (the round's own rule, `who_may_apply`), where the work
happens (in the office's area or not, and which areas), the amount (within the round's minimum and
maximum grant), what it is for (one of the round's priorities, or something else), then each
yes/no question staff added to the round.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.applications.operations.from_check import CheckedStart
from grants.applications.operations.rules import areas_on_offer, priorities_on_offer
from grants.areas.models import County
from grants.core.money import MAX_PENCE, format_pounds
from grants.core.translatable import N_, Listed, Words
from grants.funds.models import CheckQuestion, Round, RoundStatus
from grants.funds.operations.public import PublicRound, open_and_upcoming_rounds
from grants.funds.operations.who_may_apply import may_apply_as, types_that_may_apply
from grants.offices.operations.speaking import office_of_round
from grants.organisations.models import OrganisationType

# The questions every round asks, by the last part of their address.
ORGANISATION_TYPE, WHERE, AREAS, AMOUNT, PRIORITY = (
    "organisation-type", "where", "areas", "amount", "priority")
# A question the round added: its step is "question", with the question.
QUESTION = "question"

# Where the work happens.
WHOLE_THAMES_VALLEY, PARTICULAR_AREAS, OUTSIDE_THAMES_VALLEY = "whole", "particular", "outside"
# Each answer's words, with the office's short name for `area`.
WHERE_CHOICES = (
    (WHOLE_THAMES_VALLEY, N_("Across the whole of %(area)s")),
    (PARTICULAR_AREAS, N_("In particular areas of %(area)s")),
    (OUTSIDE_THAMES_VALLEY, N_("Outside %(area)s")),
)
# What it is for, when none of the round's priorities.
SOMETHING_ELSE = "other"
YES, NO = "yes", "no"


@dataclass
class CheckAnswers:
    """What someone answered so far. Anything that is not a possible answer reads as not
    answered, so a session cookie from an older page, or one tampered with, asks again."""

    organisation_type: OrganisationType | None = None
    where: str | None = None
    area_ids: list[int] = field(default_factory=list)
    amount_pence: int | None = None
    # A priority's id, or SOMETHING_ELSE.
    priority: str | None = None
    # Each added question's answer (True for yes), by the question's id.
    questions: dict[int, bool] = field(default_factory=dict)

    @classmethod
    def load(cls, stored: dict[str, Any]) -> "CheckAnswers":
        kind = stored.get("organisation_type")
        where = stored.get("where")
        areas = stored.get("area_ids")
        amount = stored.get("amount_pence")
        priority = stored.get("priority")
        questions = stored.get("questions")
        return cls(
            organisation_type=(OrganisationType(kind)
                               if kind in {k.value for k in OrganisationType} else None),
            where=where if where in dict(WHERE_CHOICES) else None,
            area_ids=([value for value in areas if _is_id(value)]
                      if isinstance(areas, list) else []),
            amount_pence=(amount if _is_id(amount) and amount <= MAX_PENCE else None),
            priority=priority if isinstance(priority, str) else None,
            questions=({int(key): value for key, value in questions.items()
                        if isinstance(key, str) and key.isdigit() and isinstance(value, bool)}
                       if isinstance(questions, dict) else {}),
        )

    def application_start(self) -> CheckedStart:
        """What an application to the round starts with: the amount, the priority (not
        "something else") and the areas (none outside the office's area)."""
        return CheckedStart(
            amount_pence=self.amount_pence,
            priority_id=int(self.priority) if (self.priority or "").isdigit() else None,
            whole_thames_valley=self.where == WHOLE_THAMES_VALLEY,
            area_ids=self.area_ids if self.where == PARTICULAR_AREAS else [])

    def dump(self) -> dict[str, Any]:
        return {
            "organisation_type": self.organisation_type.value if self.organisation_type else None,
            "where": self.where, "area_ids": self.area_ids, "amount_pence": self.amount_pence,
            "priority": self.priority,
            "questions": {str(key): value for key, value in self.questions.items()},
        }


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


@dataclass(frozen=True)
class Step:
    """One question page: a built-in question's key, or QUESTION with the round's question."""

    key: str
    question: CheckQuestion | None = None


def steps(round_: Round, answers: CheckAnswers) -> list[Step]:
    """The check's pages in order; the areas page only for work in particular areas."""
    built_in = [ORGANISATION_TYPE, WHERE,
                *([AREAS] if answers.where == PARTICULAR_AREAS else []), AMOUNT, PRIORITY]
    return ([Step(key) for key in built_in]
            + [Step(QUESTION, question) for question in round_.check_questions])


def priority_choices(round_: Round) -> dict[str, str]:
    """What the grant may be for: the round's priorities on offer by id (their titles as
    staff typed them), then something else."""
    return {**{str(priority.id): priority.title for priority in priorities_on_offer(round_)},
            SOMETHING_ELSE: Words(N_("Something else"))}


def is_answered(round_: Round, answers: CheckAnswers, step: Step) -> bool:
    if step.key == ORGANISATION_TYPE:
        return answers.organisation_type is not None
    if step.key == WHERE:
        return answers.where is not None
    if step.key == AREAS:
        return bool(answers.area_ids)
    if step.key == AMOUNT:
        return answers.amount_pence is not None
    if step.key == PRIORITY:
        return answers.priority in priority_choices(round_)
    return step.question is not None and step.question.id in answers.questions


def first_unanswered(round_: Round, answers: CheckAnswers) -> Step | None:
    """The first page still to answer, or None when every question is answered."""
    return next((step for step in steps(round_, answers)
                 if not is_answered(round_, answers, step)), None)


def step_after(round_: Round, answers: CheckAnswers, step: Step) -> Step | None:
    """Where "Continue" goes: the next page not yet answered after this one (the person may
    have come back to change one answer), or None for the result."""
    order = steps(round_, answers)
    if step not in order:
        # The areas, answered when the work is not in particular areas (an old page, or a
        # post made without one): go on from the start.
        return first_unanswered(round_, answers)
    later = order[order.index(step) + 1:]
    return next((each for each in later if not is_answered(round_, answers, each)), None)


# --- The result ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Reason:
    """Why someone cannot apply, as "You cannot apply to this round because …" ends, and what
    they could do instead."""

    because: Words
    instead: Words


@dataclass(frozen=True)
class CheckResult:
    reasons: list[Reason]
    # Other rounds open now that take the organisation's type and the amount.
    other_rounds: list[PublicRound]
    # The round opens later: someone who can apply starts then.
    opens_at: datetime | None

    @property
    def can_apply(self) -> bool:
        return not self.reasons


def result(session: Session, round_: Round, answers: CheckAnswers,
           now: datetime) -> CheckResult:
    """Whether the answers (every question answered) let the person apply, and if not, why
    not and what else they could do."""
    reasons = [reason for reason in (
        _type_reason(round_, answers), _where_reason(session, round_, answers),
        _amount_reason(round_, answers),
        _priority_reason(round_, answers),
    ) if reason is not None]
    # A question's reason is the office's, as its staff typed it.
    reasons += [Reason(question.reason, Words(N_("Contact the OPCC if you think your "
                                                 "organisation should still be able to apply.")))
                for question in round_.check_questions
                if answers.questions.get(question.id) is not question.needed_answer]
    return CheckResult(
        reasons=reasons,
        other_rounds=_other_rounds(session, round_, answers, now) if reasons else [],
        opens_at=round_.opens_at if round_.status_at(now) is RoundStatus.UPCOMING else None,
    )


def _type_reason(round_: Round, answers: CheckAnswers) -> Reason | None:
    kind = answers.organisation_type
    if kind is None or may_apply_as(round_, kind):
        return None
    kind_words = Listed([kind.label])
    return Reason(
        Words(N_("it is not open to a %(kind)s: only to these types of organisation: "
                 "%(kinds)s"), kind=kind_words,
              kinds=Listed(kind.label for kind in types_that_may_apply(round_))),
        Words(N_("Apply to a round that is open to a %(kind)s."), kind=kind_words))


def _where_reason(session: Session, round_: Round, answers: CheckAnswers) -> Reason | None:
    if answers.where != OUTSIDE_THAMES_VALLEY:
        return None
    office = office_of_round(session, round_)
    counties = list(session.scalars(select(County.name).where(County.office_id == office.id)
                                    .order_by(County.name)))
    because = (Words(N_("the work must happen in %(area)s (%(counties)s or %(last)s)"),
                     area=office.short_name, counties=", ".join(counties[:-1]),
                     last=counties[-1]) if len(counties) > 1
               else Words(N_("the work must happen in %(area)s"), area=office.short_name))
    return Reason(
        because,
        Words(N_("Ask the Police and Crime Commissioner for the area where the work happens "
                 "about the grants they give.")))


def _amount_reason(round_: Round, answers: CheckAnswers) -> Reason | None:
    amount = answers.amount_pence
    low, high = round_.min_award_pence, round_.max_award_pence
    if amount is None:
        return None
    if high is not None and amount > high:
        return Reason(
            Words(N_("you would ask for %(amount)s, and it gives grants of up to %(high)s"),
                  amount=format_pounds(amount), high=format_pounds(high)),
            Words(N_("Ask for %(high)s or less: for part of the project, with the rest of the "
                     "money from elsewhere."), high=format_pounds(high)))
    if low and amount < low:
        return Reason(
            Words(N_("you would ask for %(amount)s, and it gives grants of %(low)s or more"),
                  amount=format_pounds(amount), low=format_pounds(low)),
            Words(N_("Ask for %(low)s or more if the project needs it, or look for a fund "
                     "that gives smaller grants."), low=format_pounds(low)))
    return None


def _priority_reason(round_: Round, answers: CheckAnswers) -> Reason | None:
    if answers.priority != SOMETHING_ELSE:
        return None
    titles = [priority.title for priority in priorities_on_offer(round_)]
    return Reason(
        Words(N_("it funds only work towards its priorities: %(priorities)s"),
              priorities="; ".join(titles)),
        Words(N_("Read about the priorities on the round's page: if your work supports one "
                 "of them, change your answer.")))


def _other_rounds(session: Session, round_: Round, answers: CheckAnswers,
                  now: datetime) -> list[PublicRound]:
    """Other rounds open now whose type of organisation and range of grants fit the answers."""
    return [
        other for other in open_and_upcoming_rounds(session, now)
        if other.round.id != round_.id and other.is_open
        and (answers.organisation_type is None
             or may_apply_as(other.round, answers.organisation_type))
        and _amount_fits(other.round, answers.amount_pence)
    ]


def _amount_fits(round_: Round, amount: int | None) -> bool:
    if amount is None:
        return True
    low, high = round_.min_award_pence, round_.max_award_pence
    return (low is None or amount >= low) and (high is None or amount <= high)


# --- What the answers say, for the result page --------------------------------------------

@dataclass(frozen=True)
class AnswerRow:
    # A built-in question's words, or a question as the round's staff typed it.
    question: Words | str
    # The answer's words, or what was typed or chosen (an amount, areas, a priority).
    answer: Words | str
    step: Step


def answer_rows(session: Session, round_: Round, answers: CheckAnswers) -> list[AnswerRow]:
    """Each question asked and its answer in words, for the result page's summary."""
    area_names = {area.id: area.proper_name for area in areas_on_offer(session, round_)}
    where = dict(WHERE_CHOICES).get(answers.where or "")
    words = {
        ORGANISATION_TYPE: (Words(answers.organisation_type.label)
                            if answers.organisation_type else ""),
        WHERE: (Words(where, area=office_of_round(session, round_).short_name)
                if where else ""),
        AREAS: ", ".join(area_names[i] for i in answers.area_ids if i in area_names),
        AMOUNT: format_pounds(answers.amount_pence),
        PRIORITY: priority_choices(round_).get(answers.priority or "", ""),
    }
    rows = []
    for step in steps(round_, answers):
        if step.question is not None:
            answer = answers.questions.get(step.question.id)
            rows.append(AnswerRow(step.question.text, "" if answer is None
                                  else Words(N_("Yes") if answer else N_("No")), step))
        else:
            rows.append(AnswerRow(Words(QUESTION_TEXT[step.key]), words[step.key], step))
    return rows


QUESTION_TEXT = {
    ORGANISATION_TYPE: N_("What type of organisation are you applying for?"),
    WHERE: N_("Where will the work happen?"),
    AREAS: N_("Which local authority areas will the work happen in?"),
    AMOUNT: N_("How much will you ask for?"),
    PRIORITY: N_("What will the grant be for?"),
}
