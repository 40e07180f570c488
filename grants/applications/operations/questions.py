"""The round's own questions as an application answers them: which are asked (a question with
"ask only if" is asked only while the earlier answer it waits for holds), writing a section's
checked answers, dropping the answers of questions no longer asked, and the answers as every
page, export and document shows them."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from grants.applications.models import (
    Application,
    ApplicationSection,
    QuestionAnswer,
    SectionStatus,
)
from grants.applications.operations.sections import questions_key
from grants.core.errors import ValidationFailed
from grants.core.formatting import format_london_date
from grants.core.money import format_pounds, pounds_decimal
from grants.core.translatable import N_, Moment, Words
from grants.funds.models import QuestionKind, QuestionSection, Round, RoundQuestion

# An answer's value: text (and the one choice picked), a whole number, pence, a date, or the
# choices picked.
Value = str | int | date | list[str] | None


def round_questions(round_: Round) -> list[RoundQuestion]:
    """The round's questions in the order applicants meet them."""
    return [question for section in round_.question_sections
            for question in section.questions]


def is_empty(value: Value) -> bool:
    return value is None or value == "" or value == []


def value_of(question: RoundQuestion, answer: QuestionAnswer | None) -> Value:
    """What a stored answer holds, in the column its question's kind uses."""
    if answer is None:
        return None
    kind = question.kind
    if kind is QuestionKind.NUMBER:
        return answer.number
    if kind is QuestionKind.MONEY:
        return answer.amount_pence
    if kind is QuestionKind.DATE:
        return answer.day
    if kind is QuestionKind.SEVERAL_CHOICES:
        return list(answer.choices or [])
    return answer.text


def stored_values(application: Application) -> dict[int, Value]:
    """Each answered question's value, by question id (the answers are not read when the
    round asks no questions of its own)."""
    questions = {q.id: q for q in round_questions(application.round)}
    if not questions:
        return {}
    return {answer.question_id: value_of(questions[answer.question_id], answer)
            for answer in application.question_answers if answer.question_id in questions}


def condition_holds(question: RoundQuestion, value: Value) -> bool:
    """Whether an answer to the question's condition is the one it waits for."""
    wanted = question.condition_answer
    if isinstance(value, list):
        return wanted in value
    return value == wanted


def asked_ids(questions: list[RoundQuestion], values: dict[int, Value]) -> set[int]:
    """The questions asked, given the answers: in order, a question with a condition is asked
    when its condition's question is asked and answered as it waits for."""
    asked: set[int] = set()
    for question in questions:
        condition_id = question.condition_question_id
        if condition_id is None or (
                condition_id in asked and condition_holds(question, values.get(condition_id))):
            asked.add(question.id)
    return asked


def write_answer(answer, question: RoundQuestion, value: Value) -> None:
    """Put a checked value in the answer's column for its kind (an application's answer, or
    an expression of interest's, which keeps the same columns)."""
    answer.text, answer.number, answer.amount_pence, answer.day, answer.choices = \
        "", None, None, None, []
    kind = question.kind
    if kind is QuestionKind.NUMBER:
        answer.number = value
    elif kind is QuestionKind.MONEY:
        answer.amount_pence = value
    elif kind is QuestionKind.DATE:
        answer.day = value
    elif kind is QuestionKind.SEVERAL_CHOICES:
        answer.choices = list(value)
    else:
        answer.text = value


def _missing(question: RoundQuestion, value: Value) -> bool:
    return question.required and is_empty(value)


def apply_questions(session: Session, application: Application, *,
                    section: QuestionSection, values: dict[int, Value]) -> None:
    """Write a section's checked answers; a required question that is asked must be answered
    (ValidationFailed names it). Then drop every answer to a question no longer asked, and
    send back to "in progress" any other section that now asks what it has no answer to."""
    questions = round_questions(application.round)
    known = stored_values(application) | values
    asked = asked_ids(questions, known)
    errors = {f"q{q.id}": required_message(q) for q in section.questions
              if q.id in asked and _missing(q, values.get(q.id))}
    if errors:
        raise ValidationFailed(errors)
    answers = {answer.question_id: answer for answer in application.question_answers}
    for question in section.questions:
        value = values.get(question.id)
        if question.id in asked and not is_empty(value):
            answer = answers.get(question.id)
            if answer is None:
                answer = QuestionAnswer(question_id=question.id)
                application.question_answers.append(answer)
            write_answer(answer, question, value)
    _drop_unasked(session, application, questions, asked)
    _reopen_sections(application, questions, asked, done=section)
    session.flush()


def _drop_unasked(session: Session, application: Application,
                  questions: list[RoundQuestion], asked: set[int]) -> None:
    ids = {question.id for question in questions}
    for answer in list(application.question_answers):
        if answer.question_id in ids and answer.question_id not in asked:
            application.question_answers.remove(answer)
            session.delete(answer)


def _reopen_sections(application: Application, questions: list[RoundQuestion],
                     asked: set[int], *, done: QuestionSection) -> None:
    answered = {answer.question_id for answer in application.question_answers}
    rows: dict[str, ApplicationSection] = {row.key: row for row in application.sections}
    for section in application.round.question_sections:
        row = rows.get(questions_key(section.id))
        if section is done or row is None or row.status is not SectionStatus.COMPLETED:
            continue
        if any(q.required and q.id in asked and q.id not in answered
               for q in section.questions):
            row.status = SectionStatus.IN_PROGRESS


def required_message(question: RoundQuestion) -> Words:
    """What to do when a question that must be answered is not (the question as staff
    typed it, in marked words said in the page's language)."""
    message = {QuestionKind.YES_NO: N_("Select yes or no for: %(question)s"),
               QuestionKind.ONE_CHOICE: N_("Select an answer for: %(question)s"),
               QuestionKind.SEVERAL_CHOICES: N_("Select at least one answer for: %(question)s"),
               QuestionKind.DATE: N_("Enter a date for: %(question)s"),
               QuestionKind.MONEY: N_("Enter an amount for: %(question)s"),
               QuestionKind.NUMBER: N_("Enter a number for: %(question)s"),
               }.get(question.kind, N_("Enter your answer for: %(question)s"))
    wording = question.wording if len(question.wording) <= 120 else \
        question.wording[:117] + "..."
    return Words(message, question=wording)


# --- The answers as pages, exports and documents show them -----------------------------------

def answer_lines(question: RoundQuestion, value: Value) -> list[str]:
    """An answer as lines of text (several choices, one a line); none when not answered."""
    if is_empty(value):
        return []
    kind = question.kind
    if kind is QuestionKind.NUMBER:
        return [f"{value:,}"]
    if kind is QuestionKind.MONEY:
        return [format_pounds(value)]
    if kind is QuestionKind.DATE:
        return [Moment(value, show=format_london_date)]
    if kind is QuestionKind.SEVERAL_CHOICES:
        return list(value)
    if kind is QuestionKind.YES_NO:
        return [Words(str(value))]  # "Yes" or "No", said in the page's language
    return [str(value)]


@dataclass(frozen=True)
class AnsweredQuestion:
    question: RoundQuestion
    lines: list[str]

    @property
    def text(self) -> str:
        """The answer in one piece of text, as a CSV cell holds it."""
        return "; ".join(self.lines) if self.question.kind is QuestionKind.SEVERAL_CHOICES \
            else "\n".join(self.lines)


@dataclass(frozen=True)
class AnsweredSection:
    key: str
    title: str
    answers: list[AnsweredQuestion]


def answered_sections(application: Application) -> list[AnsweredSection]:
    """The round's sections of questions with the application's answer to each question it
    was asked (a question not asked is left out)."""
    values = stored_values(application)
    asked = asked_ids(round_questions(application.round), values)
    return [AnsweredSection(questions_key(section.id), section.title, [
        AnsweredQuestion(question, answer_lines(question, values.get(question.id)))
        for question in section.questions if question.id in asked])
        for section in application.round.question_sections]


def for_screeners(application: Application) -> list[AnsweredQuestion]:
    """The answers staff asked to see beside the eligibility checks."""
    return [answered for section in answered_sections(application)
            for answered in section.answers if answered.question.show_to_screeners]


def csv_value(question: RoundQuestion, value: Value) -> object:
    """An answer as a spreadsheet cell: numbers and pounds as numbers, dates as 2027-04-01,
    several choices separated by semicolons."""
    if is_empty(value):
        return ""
    if question.kind is QuestionKind.MONEY:
        return pounds_decimal(value)
    if question.kind is QuestionKind.DATE:
        return value.isoformat()
    if question.kind is QuestionKind.SEVERAL_CHOICES:
        return "; ".join(value)
    return value
