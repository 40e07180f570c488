"""The questions a round asks applicants, beyond the sections every round asks: staff group
them into named sections of the task list, order both, and may ask a question only when an
earlier answer is a given one. Like the criteria, they freeze at the round's first submission."""

import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from grants.core.errors import NotFound, ValidationFailed
from grants.funds.models import (
    CHOICE_KINDS,
    MAX_NAME_LENGTH,
    QuestionKind,
    QuestionSection,
    Round,
    RoundQuestion,
)
from grants.funds.operations.rounds import next_position, refuse_when_locked
from grants.records.operations.audit import record_changes, record_event

logger = logging.getLogger(__name__)

QUESTIONS_LOCKED = "its application questions"
MAX_WORD_LIMIT = 5000
MAX_CHOICES = 30
# The longest answer a short text question takes.
SHORT_TEXT_LIMIT = 500


@dataclass(frozen=True)
class QuestionDetails:
    kind: QuestionKind | None
    wording: str
    hint: str = ""
    required: bool = True
    word_limit: int | None = None
    choices: list[str] = field(default_factory=list)
    show_to_screeners: bool = False
    condition_question_id: int | None = None
    condition_answer: str = ""


def in_order(round_: Round) -> list[RoundQuestion]:
    """The round's questions as applicants meet them: section by section, each in order."""
    return [question for section in round_.question_sections
            for question in section.questions]


def find_section(round_: Round, section_id: int) -> QuestionSection:
    for section in round_.question_sections:
        if section.id == section_id:
            return section
    raise NotFound("There is no such section in this round")


def find_question(round_: Round, question_id: int) -> RoundQuestion:
    for question in in_order(round_):
        if question.id == question_id:
            return question
    raise NotFound("There is no such question in this round")


def conditions_on_offer(round_: Round, question: RoundQuestion | None,
                        section: QuestionSection) -> list[RoundQuestion]:
    """The questions "ask only if" may depend on: those before this one (or before the end
    of its section, for a new one) whose answers are picked from a list."""
    order = in_order(round_)
    if question is not None:
        earlier = order[:order.index(question)]
    else:
        earlier = [q for q in order if q.section.position <= section.position]
    return [candidate for candidate in earlier if candidate.kind in CHOICE_KINDS]


def _question_errors(round_: Round, details: QuestionDetails,
                     offered: list[RoundQuestion]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if details.kind is None:
        errors["kind"] = "Select the kind of answer the question takes"
    if not details.wording.strip():
        errors["wording"] = "Enter the question"
    if details.kind is QuestionKind.LONG_TEXT and not (
            details.word_limit and 1 <= details.word_limit <= MAX_WORD_LIMIT):
        errors["word_limit"] = f"Enter a word limit from 1 to {MAX_WORD_LIMIT:,}"
    if details.kind in (QuestionKind.ONE_CHOICE, QuestionKind.SEVERAL_CHOICES):
        problem = _choices_problem(details.choices)
        if problem:
            errors["choices"] = problem
    if details.condition_question_id is not None:
        condition = next((q for q in offered if q.id == details.condition_question_id), None)
        if condition is None:
            errors["condition_question_id"] = ("Select a question that comes before this one "
                                               "and is answered from a list")
        elif _matching(condition, details.condition_answer) is None:
            errors["condition_answer"] = ("Enter one of the answers to that question: "
                                          + ", ".join(condition.offered))
    return errors


def _choices_problem(choices: list[str]) -> str | None:
    if len(choices) < 2:
        return "Enter at least 2 choices, one on each line"
    if len(choices) > MAX_CHOICES:
        return f"Enter {MAX_CHOICES} choices or fewer"
    if any(len(choice) > MAX_NAME_LENGTH for choice in choices):
        return f"Each choice must be {MAX_NAME_LENGTH} characters or fewer"
    if len({choice.casefold() for choice in choices}) < len(choices):
        return "Enter each choice once"
    return None


def _matching(question: RoundQuestion, answer: str) -> str | None:
    """The offered answer this typed one names (whatever its capitals), or None."""
    wanted = answer.strip().casefold()
    return next((choice for choice in question.offered if choice.casefold() == wanted), None)


def _apply(question: RoundQuestion, details: QuestionDetails,
           offered: list[RoundQuestion]) -> None:
    question.kind = details.kind
    question.wording = details.wording.strip()
    question.hint = details.hint.strip()
    question.required = details.required
    question.word_limit = (details.word_limit if details.kind is QuestionKind.LONG_TEXT
                           else None)
    question.choices = (list(details.choices) if details.kind in (
        QuestionKind.ONE_CHOICE, QuestionKind.SEVERAL_CHOICES) else [])
    question.show_to_screeners = details.show_to_screeners
    condition = next((q for q in offered if q.id == details.condition_question_id), None)
    question.condition_question = condition
    question.condition_answer = _matching(condition, details.condition_answer) or "" \
        if condition else ""


def snapshot(question: RoundQuestion) -> dict[str, Any]:
    return {"section": question.section.title, "position": question.position,
            "kind": question.kind.value, "wording": question.wording, "hint": question.hint,
            "required": question.required, "word_limit": question.word_limit,
            "choices": list(question.choices or []),
            "show_to_screeners": question.show_to_screeners,
            "condition_question_id": question.condition_question_id,
            "condition_answer": question.condition_answer}


def _check(session: Session, round_: Round, field_name: str) -> None:
    refuse_when_locked(session, round_, QUESTIONS_LOCKED, field_name)


# --- Sections -----------------------------------------------------------------------------

def _title(title: str) -> str:
    text = title.strip()
    if not text:
        raise ValidationFailed({"title": "Enter the section's name"})
    if len(text) > MAX_NAME_LENGTH:
        raise ValidationFailed(
            {"title": f"The name must be {MAX_NAME_LENGTH} characters or fewer"})
    return text


def add_section(session: Session, round_: Round, title: str, *,
                actor_id: int | None) -> QuestionSection:
    """A new section of questions after the round's others."""
    _check(session, round_, "title")
    section = QuestionSection(title=_title(title),
                              position=next_position(round_.question_sections))
    round_.question_sections.append(section)
    session.flush()
    record_event(session, actor_id=actor_id, action="round.question_section_added",
                 entity_type="round", entity_id=round_.id,
                 after={"title": section.title, "position": section.position})
    return section


def rename_section(session: Session, section: QuestionSection, title: str, *,
                   actor_id: int | None) -> QuestionSection:
    _check(session, section.round, "title")
    before = {"title": section.title}
    section.title = _title(title)
    session.flush()
    record_changes(session, "round.question_section_changed", "round", section.round_id,
                   before, {"title": section.title}, actor_id)
    return section


def remove_section(session: Session, section: QuestionSection, *,
                   actor_id: int | None) -> None:
    """Take a section and its questions out; questions elsewhere that depended on them are
    then always asked."""
    round_ = section.round
    _check(session, round_, "title")
    removed = set(section.questions)
    for question in in_order(round_):
        if question.condition_question in removed and question not in removed:
            question.condition_question = None
            question.condition_answer = ""
    before = {"title": section.title, "questions": [q.wording for q in section.questions]}
    round_.question_sections.remove(section)
    session.flush()
    record_event(session, actor_id=actor_id, action="round.question_section_removed",
                 entity_type="round", entity_id=round_.id, before=before)


def _move(session: Session, round_: Round, owner: Any, collection: str, item: Any, *, up: bool,
          field_name: str, action: str, actor_id: int | None) -> None:
    """Move the item one place up or down `owner`'s `collection` (nothing at either end) and
    record it, unless a question would then come before the one it depends on. `field_name`
    is both the form's field a refusal is shown on and the item's attribute that names it."""
    _check(session, round_, field_name)
    if not _exchange(session, list(getattr(owner, collection)), item, up=up):
        return
    session.expire(owner, [collection])
    _refuse_out_of_order(round_, field_name)
    record_event(session, actor_id=actor_id, action=action, entity_type="round",
                 entity_id=round_.id,
                 after={field_name: getattr(item, field_name), "position": item.position})


def _exchange(session: Session, items: list, item: Any, *, up: bool) -> bool:
    """Exchange the item's position with its neighbour's above (or below), one write at a time
    so that no two ever share one; False at either end, where nothing moves."""
    index = items.index(item)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        return False
    neighbour = items[other]
    item_position, neighbour_position = item.position, neighbour.position
    item.position = -1
    session.flush()
    neighbour.position = item_position
    session.flush()
    item.position = neighbour_position
    session.flush()
    return True


def _refuse_out_of_order(round_: Round, field_name: str) -> None:
    seen: set[int] = set()
    for question in in_order(round_):
        condition = question.condition_question
        if condition is not None and condition.id not in seen:
            raise ValidationFailed({field_name: (
                f"“{question.wording}” is asked only after “{condition.wording}”, so it "
                "cannot come before it")})
        seen.add(question.id)


def move_section(session: Session, section: QuestionSection, *, up: bool,
                 actor_id: int | None) -> None:
    """Move a section one place up or down the task list (nothing at either end)."""
    _move(session, section.round, section.round, "question_sections", section, up=up,
          field_name="title", action="round.question_section_moved", actor_id=actor_id)


# --- Questions ----------------------------------------------------------------------------

def add_question(session: Session, section: QuestionSection, details: QuestionDetails, *,
                 actor_id: int | None) -> RoundQuestion:
    """A new question at the end of the section."""
    round_ = section.round
    _check(session, round_, "wording")
    offered = conditions_on_offer(round_, None, section)
    errors = _question_errors(round_, details, offered)
    if errors:
        raise ValidationFailed(errors)
    question = RoundQuestion(position=next_position(section.questions))
    _apply(question, details, offered)
    section.questions.append(question)
    session.flush()
    record_event(session, actor_id=actor_id, action="round.application_question_added",
                 entity_type="round", entity_id=round_.id, after=snapshot(question))
    return question


def update_question(session: Session, question: RoundQuestion, details: QuestionDetails, *,
                    actor_id: int | None) -> RoundQuestion:
    round_ = question.section.round
    _check(session, round_, "wording")
    offered = conditions_on_offer(round_, question, question.section)
    errors = _question_errors(round_, details, offered)
    if errors:
        raise ValidationFailed(errors)
    before = snapshot(question)
    _apply(question, details, offered)
    # A question others depend on must still offer the answer they wait for.
    for dependent in in_order(round_):
        if dependent.condition_question is question and \
                _matching(question, dependent.condition_answer) is None:
            raise ValidationFailed({"kind" if question.kind not in CHOICE_KINDS else "choices": (
                f"“{dependent.wording}” is asked only if this question's answer is "
                f"“{dependent.condition_answer}”: keep that answer, or change that question "
                "first")})
    session.flush()
    record_changes(session, "round.application_question_changed", "round", round_.id,
                   before, snapshot(question), actor_id)
    return question


def remove_question(session: Session, question: RoundQuestion, *,
                    actor_id: int | None) -> None:
    """Take a question out; questions that depended on it are then always asked."""
    section = question.section
    round_ = section.round
    _check(session, round_, "wording")
    for dependent in in_order(round_):
        if dependent.condition_question is question:
            dependent.condition_question = None
            dependent.condition_answer = ""
    before = snapshot(question)
    section.questions.remove(question)
    session.flush()
    record_event(session, actor_id=actor_id, action="round.application_question_removed",
                 entity_type="round", entity_id=round_.id, before=before)


def move_question(session: Session, question: RoundQuestion, *, up: bool,
                  actor_id: int | None) -> None:
    """Move a question one place up or down within its section (nothing at either end)."""
    section = question.section
    _move(session, section.round, section, "questions", question, up=up,
          field_name="wording", action="round.application_question_moved", actor_id=actor_id)


def copy_sections(source: Round) -> list[QuestionSection]:
    """New sections holding copies of the source round's questions, their "ask only if"
    pointing at the copies."""
    copies: dict[int, RoundQuestion] = {}
    sections = []
    for section in source.question_sections:
        copied = QuestionSection(title=section.title, position=section.position,
                                 in_interest=section.in_interest)
        for question in section.questions:
            twin = RoundQuestion(
                position=question.position, kind=question.kind, wording=question.wording,
                hint=question.hint, required=question.required,
                word_limit=question.word_limit, choices=list(question.choices or []),
                show_to_screeners=question.show_to_screeners,
                condition_answer=question.condition_answer)
            copies[question.id] = twin
            copied.questions.append(twin)
        sections.append(copied)
    for question in in_order(source):
        if question.condition_question_id is not None:
            copies[question.id].condition_question = copies.get(question.condition_question_id)
    return sections
