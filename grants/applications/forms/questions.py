"""The form of a section of the round's own questions: one field a question, checked as the
built-in sections' fields are (money with Pounds, whole numbers, dates, word limits), and a
question hidden by "ask only if" neither required nor kept."""

from functools import partial

from flask_babel import gettext
from wtforms import Field, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Optional

from grants.applications.forms.section_base import SectionForm
from grants.applications.models import Application
from grants.applications.operations import questions as asked
from grants.core.fields import DayMonthYearField, text_field
from grants.core.money import pounds_text
from grants.core.refusals import in_page_language
from grants.core.translatable import lazy_text as _l
from grants.core.validators import Pounds, WholeNumber, WordLimit
from grants.core.validators import strip_text as _strip
from grants.core.widgets import CharacterCount, CheckboxesInput, RadioInput, TextInput
from grants.funds.models import QuestionKind, QuestionSection, RoundQuestion
from grants.funds.operations.round_questions import SHORT_TEXT_LIMIT

_YOUR_ANSWER = _l("Your answer")


def field_name(question: RoundQuestion) -> str:
    return f"q{question.id}"


def question_field(question: RoundQuestion) -> Field:
    """The field that asks one of the round's questions, wherever it is asked."""
    label, hint = question.wording, question.hint or ""
    kind = question.kind
    if kind is QuestionKind.SHORT_TEXT:
        return text_field(label, limit=SHORT_TEXT_LIMIT, named=_YOUR_ANSWER, description=hint)
    if kind is QuestionKind.LONG_TEXT:
        words = question.word_limit or 500
        # The hint is the office's, as typed; the limit is said in the page's language.
        said = format(words, ",")
        limit = (_l("%(hint)s %(words)s words or fewer.", hint=hint, words=said) if hint
                 else _l("%(words)s words or fewer.", words=said))
        return TextAreaField(label, filters=[_strip], description=limit,
                             validators=[WordLimit(words, _YOUR_ANSWER)],
                             widget=CharacterCount())
    if kind is QuestionKind.NUMBER:
        return StringField(label, filters=[_strip], description=hint,
                           validators=[Optional(),
                                       WholeNumber(_l("Enter a whole number, like 250"))],
                           widget=TextInput())
    if kind is QuestionKind.MONEY:
        return StringField(label, filters=[_strip], description=hint, validators=[Pounds()],
                           widget=TextInput())
    if kind is QuestionKind.DATE:
        return DayMonthYearField(label, called=_l("The date"), description=hint)
    # Yes and no in the page's language; the staff's own choices as they typed them.
    choices = [(choice, _l(choice) if kind is QuestionKind.YES_NO else choice)
               for choice in question.offered]
    if kind is QuestionKind.SEVERAL_CHOICES:
        return SelectMultipleField(label, description=hint, choices=choices, coerce=str,
                                   validate_choice=False, widget=CheckboxesInput())
    return RadioField(label, description=hint, choices=choices, coerce=str,
                      validate_choice=False, widget=RadioInput())


class QuestionsForm(SectionForm):
    """A section of the round's own questions; `section` is set on the class made for it."""

    section: QuestionSection

    def offer(self, application: Application) -> None:
        self.round_questions = asked.round_questions(application.round)
        self.stored = asked.stored_values(application)
        own = {question.id for question in self.section.questions}
        known = asked.asked_ids(self.round_questions, self.stored)
        # A question waiting on an earlier section's answer shows only when that answer holds;
        # one waiting on a question on this page shows, saying when to answer it.
        self.shown = [q for q in self.section.questions
                      if q.id in known or q.condition_question_id in own]

    def field_of(self, question: RoundQuestion) -> Field:
        return self[field_name(question)]

    def value(self, question: RoundQuestion) -> asked.Value:
        """The question's checked answer as sent (None when it did not pass its checks)."""
        field = self.field_of(question)
        if field.errors:
            return None
        kind = question.kind
        if kind is QuestionKind.NUMBER:
            return getattr(field, "number", None)
        if kind is QuestionKind.MONEY:
            return getattr(field, "pence", None)
        if kind is QuestionKind.SEVERAL_CHOICES:
            return list(field.data or [])
        return field.data or ("" if kind is not QuestionKind.DATE else None)

    def values(self) -> dict[int, asked.Value]:
        return {question.id: self.value(question) for question in self.section.questions}

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        values = self.values()
        asked_now = asked.asked_ids(self.round_questions, self.stored | values)
        for question in self.section.questions:
            field = self.field_of(question)
            if question.id not in asked_now:
                # Not asked: nothing to check, and nothing of it will be kept.
                field.errors = []
                continue
            value = values[question.id]
            picked = value if isinstance(value, list) else [value]
            if question.kind in (QuestionKind.YES_NO, QuestionKind.ONE_CHOICE,
                                 QuestionKind.SEVERAL_CHOICES) and any(
                    choice not in question.offered for choice in picked if choice):
                field.errors = [gettext("Select one of the answers shown")]
            elif not field.errors and question.required and asked.is_empty(value):
                field.errors = [in_page_language(asked.required_message(question))]
        return not any(field.errors for field in self)

    @classmethod
    def initial_data(cls, application: Application) -> dict:
        values = asked.stored_values(application)
        data = {}
        for question in cls.section.questions:
            value = values.get(question.id)
            if value is None:
                continue
            if question.kind is QuestionKind.MONEY:
                value = pounds_text(value)
            elif question.kind is QuestionKind.NUMBER:
                value = str(value)
            data[field_name(question)] = value
        return data

    def apply(self):
        values = self.values()
        asked_now = asked.asked_ids(self.round_questions, self.stored | values)
        return partial(asked.apply_questions, section=self.section,
                       values={qid: value for qid, value in values.items() if qid in asked_now})


def questions_form(section: QuestionSection) -> type[QuestionsForm]:
    """The form class of one section of the round's questions."""
    fields = {field_name(question): question_field(question) for question in section.questions}
    return type(f"QuestionsForm{section.id}", (QuestionsForm,), {"section": section, **fields})
