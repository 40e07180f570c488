"""The forms of the expression-of-interest stage: staff setting it up, the applicant choosing
an organisation and answering, and staff inviting or declining."""

from datetime import datetime

from flask_babel import gettext
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovTextInput
from wtforms import SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from grants.applications.forms.questions import field_name, question_field
from grants.applications.forms.start import OrganisationChoiceForm
from grants.applications.operations import questions as asked
from grants.core import clock
from grants.core.fields import BOX, CLOSING_TIME_HINT, DayMonthYearField, radio_field, text_field
from grants.core.money import pounds_text
from grants.core.translatable import lazy_text as _l
from grants.core.validators import Pounds, WordLimit
from grants.core.validators import strip_text as _strip
from grants.core.widgets import CharacterCount, TextInput
from grants.funds.models import QuestionKind, Round, RoundQuestion
from grants.interest.models import Interest
from grants.interest.operations import drafting
from grants.interest.operations.deciding import MAX_REASON
from grants.interest.operations.stage import interest_questions

SUMMARY_WORDS = 100


class ClosingTime:
    """A deadline's time of day, "midday" or "5:30pm" (see `clock.parse_closing_time`), kept
    on the field as `time`; an empty field passes with `time` None."""

    def __call__(self, form, field) -> None:
        field.time = None
        if not field.data:
            return
        try:
            field.time = clock.parse_closing_time(field.data)
        except clock.TimeError as error:
            raise ValidationError(str(error)) from error


class InterestStageForm(FlaskForm):
    """Whether the round has the stage and, if it has, when it closes and what it asks. The
    closing date and time are asked for only with "Yes" (what is typed there must still be a
    date and a time)."""

    has_stage = radio_field(
        "Does this round start with an expression of interest?",
        choices=[("yes", "Yes"), ("no", "No")],
        description=("Organisations first answer a few questions. Only those you invite can "
                     "then make a full application, which starts from their answers."),
        required="Select yes if the round starts with an expression of interest")
    closes_on = DayMonthYearField("Closing date of the expression of interest stage",
                                  called="The closing date",
                                  description="Before the round's closing date. For example, "
                                              "31 1 2027")
    closes_time = StringField("Closing time of the expression of interest stage",
                              filters=[_strip], description=CLOSING_TIME_HINT,
                              validators=[Length(max=20, message="Enter a time like midday or "
                                                                 "5:30pm"), ClosingTime()],
                              widget=GovTextInput())
    sections = SelectMultipleField(
        "Which sections of the round's questions does it ask?", coerce=int,
        description=("Every expression of interest asks for the project's title, a summary and "
                     "the amount. The full application asks these sections again, filled in."),
        widget=GovCheckboxesInput())

    def __init__(self, *args, round_: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections.choices = [(section.id, section.title)
                                 for section in round_.question_sections]
        self.closes_at_utc: datetime | None = None

    def fill_from(self, round_: Round) -> None:
        self.has_stage.data = "yes" if round_.interest_closes_at else "no"
        if round_.interest_closes_at:
            self.closes_on.data = clock.to_london(round_.interest_closes_at).date()
            self.closes_time.data = clock.time_text(
                clock.to_london(round_.interest_closes_at).time())
        self.sections.data = [s.id for s in round_.question_sections if s.in_interest]

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        if self.has_stage.data == "yes":
            if self.closes_on.data is None and not self.closes_on.errors:
                self.closes_on.errors = ["Enter the closing date of the stage"]
            if getattr(self.closes_time, "time", None) is None and not self.closes_time.errors:
                self.closes_time.errors = ["Enter the closing time of the stage"]
            if not self.closes_on.errors and not self.closes_time.errors:
                try:
                    self.closes_at_utc = clock.london_to_utc(self.closes_on.data,
                                                             self.closes_time.time)
                except clock.TimeError as error:
                    self.closes_time.errors = [str(error)]
        return not any(field.errors for field in self)

    def chosen_sections(self) -> set[int]:
        offered = {value for value, _ in self.sections.choices}
        return {value for value in self.sections.data or [] if value in offered}


class StartInterestForm(OrganisationChoiceForm):
    organisation_id = radio_field(
        _l("Which organisation is the expression of interest for?"), coerce=str,
        validate_choice=False,
        required=_l("Select the organisation the expression of interest is for"))


class InterestForm(FlaskForm):
    """The expression of interest: built for the round's questions by `interest_form`. Its
    words are in the page's language; the round's own questions are as staff typed them."""

    questions: list[RoundQuestion]
    title = text_field(_l("Project title"), limit=200, named=_l("Project title"))
    summary = TextAreaField(
        _l("Summary"), filters=[_strip],
        description=_l("What your project would do and for whom, in %(words)s words or "
                       "fewer. Your full application starts from it.", words=SUMMARY_WORDS),
        validators=[WordLimit(SUMMARY_WORDS, _l("Summary"))], widget=CharacterCount())
    amount = StringField(_l("How much do you expect to ask for?"), filters=[_strip],
                         description=_l("In pounds, for example £5,000"),
                         validators=[Optional(), Pounds(allow_zero=False)],
                         widget=TextInput())

    def field_of(self, question: RoundQuestion):
        return self[field_name(question)]

    def fill_from(self, interest: Interest) -> None:
        self.title.data = interest.title
        self.summary.data = interest.summary
        self.amount.data = pounds_text(interest.amount_pence)
        values = drafting.stored_values(interest)
        for question in self.questions:
            value = values.get(question.id)
            if question.kind is QuestionKind.MONEY:
                value = pounds_text(value)
            elif question.kind is QuestionKind.NUMBER and value is not None:
                value = str(value)
            if value is not None:
                self.field_of(question).data = value

    def _value(self, question: RoundQuestion) -> asked.Value:
        field = self.field_of(question)
        if field.errors:
            return None
        if question.kind is QuestionKind.NUMBER:
            return getattr(field, "number", None)
        if question.kind is QuestionKind.MONEY:
            return getattr(field, "pence", None)
        if question.kind is QuestionKind.SEVERAL_CHOICES:
            return list(field.data or [])
        return field.data or ("" if question.kind is not QuestionKind.DATE else None)

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        for question in self.questions:
            field = self.field_of(question)
            value = self._value(question)
            picked = value if isinstance(value, list) else [value]
            if question.kind in (QuestionKind.YES_NO, QuestionKind.ONE_CHOICE,
                                 QuestionKind.SEVERAL_CHOICES) and any(
                    choice not in question.offered for choice in picked if choice):
                field.errors = [gettext("Select one of the answers shown")]
        return not any(field.errors for field in self)

    def answers(self) -> drafting.InterestAnswers:
        """The answers that passed their checks (one that did not is left as it was typed on
        the page, and not kept)."""
        return drafting.InterestAnswers(
            title=self.title.data or "", summary=self.summary.data or "",
            amount_pence=getattr(self.amount, "pence", None),
            values={question.id: self._value(question) for question in self.questions})


def interest_form(round_: Round) -> type[InterestForm]:
    """The form class of the round's expression of interest: the three questions every one
    asks, then one field a question of the sections it asks."""
    questions = interest_questions(round_)
    fields = {field_name(question): question_field(question) for question in questions}
    return type(f"InterestForm{round_.id}", (InterestForm,), {"questions": questions, **fields})


class DecideInterestForm(FlaskForm):
    decision = radio_field(
        "Invite this organisation to make a full application?",
        choices=[("invite", "Yes, invite a full application"), ("decline", "No, decline")],
        required="Select whether to invite a full application or decline")
    reason = text_field(
        "Reason for declining", limit=MAX_REASON, named="The reason", kind=BOX,
        description="Only if you decline. The applicant reads it on their page and in the "
                    "email we send them.")
