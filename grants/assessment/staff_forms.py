"""Forms for screening, questions to applicants and internal notes (and the applicant's
answer to a question). Fields check lengths and presence; the rules are the services'."""

from collections.abc import Iterable

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovTextArea
from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from grants.assessment.clarifications import (
    MAX_ANSWER_LENGTH,
    MAX_NOTE_LENGTH,
    MAX_QUESTION_LENGTH,
)
from grants.assessment.models import EligibilityAnswerValue
from grants.assessment.screening import (
    ANSWER_LABELS,
    MAX_REASON_LENGTH,
    AnswerInput,
    answer_field,
    note_field,
)
from grants.assessment.screening import MAX_NOTE_LENGTH as MAX_SCREENING_NOTE_LENGTH
from grants.core.validators import strip_text as _strip
from grants.funds.models import EligibilityQuestion


class ScreeningFormBase(FlaskForm):
    """One yes / no / not applicable choice and a note per eligibility question, then the
    reason the applicant sees when the application is not eligible. Built per round by
    `screening_form_class`."""

    question_ids: list[int] = []

    def inputs(self) -> dict[int, AnswerInput]:
        result = {}
        for question_id in self.question_ids:
            value = getattr(self, answer_field(question_id)).data
            note = getattr(self, note_field(question_id)).data or ""
            chosen = next((v for v in EligibilityAnswerValue if v.value == value), None)
            result[question_id] = AnswerInput(value=chosen, note=note)
        return result


def screening_form_class(questions: Iterable[EligibilityQuestion]) -> type[ScreeningFormBase]:
    questions = list(questions)

    class ScreeningForm(ScreeningFormBase):
        question_ids = [question.id for question in questions]

    for question in questions:
        setattr(ScreeningForm, answer_field(question.id), RadioField(
            question.text,
            choices=[(value.value, ANSWER_LABELS[value]) for value in EligibilityAnswerValue],
            validators=[Optional()],
            widget=GovRadioInput(),
        ))
        setattr(ScreeningForm, note_field(question.id), TextAreaField(
            "Note (optional)",
            filters=[_strip],
            validators=[Length(max=MAX_SCREENING_NOTE_LENGTH,
                               message=f"The note must be {MAX_SCREENING_NOTE_LENGTH} "
                                       "characters or fewer")],
            widget=GovTextArea(),
        ))
    ScreeningForm.reason = TextAreaField(
        "Reason the application is not eligible",
        filters=[_strip],
        validators=[Length(max=MAX_REASON_LENGTH,
                           message=f"The reason must be {MAX_REASON_LENGTH:,} characters "
                                   "or fewer")],
        widget=GovTextArea(),
    )
    return ScreeningForm


class ReverseScreeningForm(FlaskForm):
    reason = TextAreaField(
        "Why are you reversing the decision?",
        description="For staff: kept in the application's history.",
        filters=[_strip],
        # Required, and the applicant's reason with it: the service says which are missing.
        validators=[Length(max=MAX_REASON_LENGTH,
                           message=f"The reason must be {MAX_REASON_LENGTH:,} characters "
                                   "or fewer")],
        widget=GovTextArea(),
    )
    applicant_reason = TextAreaField(
        "Reason the application is not eligible",
        description="The applicant will see this, by email and on their dashboard.",
        filters=[_strip],
        validators=[Length(max=MAX_REASON_LENGTH,
                           message=f"The reason must be {MAX_REASON_LENGTH:,} characters "
                                   "or fewer")],
        widget=GovTextArea(),
    )


class ClarificationForm(FlaskForm):
    question = TextAreaField(
        "Ask the applicant a question",
        description=("They are emailed and answer it on the service. The application itself "
                     f"does not change. Up to {MAX_QUESTION_LENGTH:,} characters."),
        filters=[_strip],
        validators=[DataRequired(message="Enter the question to ask the applicant"),
                    Length(max=MAX_QUESTION_LENGTH,
                           message=f"The question must be {MAX_QUESTION_LENGTH:,} characters "
                                   "or fewer")],
        widget=GovTextArea(),
    )


class NoteForm(FlaskForm):
    body = TextAreaField(
        "Add an internal note",
        description=("Only staff see notes. Applicants never do. Up to "
                     f"{MAX_NOTE_LENGTH:,} characters."),
        filters=[_strip],
        validators=[DataRequired(message="Enter the note"),
                    Length(max=MAX_NOTE_LENGTH,
                           message=f"The note must be {MAX_NOTE_LENGTH:,} characters or fewer")],
        widget=GovTextArea(),
    )


class BulkEligibleForm(FlaskForm):
    """Only the CSRF token: the chosen applications come as repeated `application_id`."""


class AnswerForm(FlaskForm):
    """The applicant's answer to one of staff's questions."""

    answer = TextAreaField(
        "Your answer",
        description=f"Up to {MAX_ANSWER_LENGTH:,} characters. You can answer once.",
        filters=[_strip],
        validators=[DataRequired(message="Enter your answer"),
                    Length(max=MAX_ANSWER_LENGTH,
                           message=f"Your answer must be {MAX_ANSWER_LENGTH:,} characters "
                                   "or fewer")],
        widget=GovTextArea(),
    )
