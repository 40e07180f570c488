"""Assessment's forms: screening, questions to applicants and internal notes (and the
applicant's answer); assigning reviewers, declaring conflicts of interest, scoring, reopening a
review and moderating a score.

Fields check what one answer must look like (presence, lengths, a whole number, an amount in
pounds); the rules between answers and records (a score within the criterion's range, a comment
at 0 and at the maximum, an amount within the round's limits) are the operations' and come back
as field errors.
"""

from collections.abc import Iterable, Sequence

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from grants.assessment.models import EligibilityAnswerValue, Recommendation
from grants.assessment.operations.clarifications import MAX_ANSWER_LENGTH, MAX_QUESTION_LENGTH
from grants.assessment.operations.moderation import MAX_MODERATION_REASON
from grants.assessment.operations.notes import MAX_NOTE_LENGTH
from grants.assessment.operations.review_queries import MAX_NOTE
from grants.assessment.operations.reviews import (
    MAX_COMMENT,
    CriterionAnswer,
    ReviewAnswers,
    comment_field,
    score_field,
)
from grants.assessment.operations.scoring import parse_score_tenths
from grants.assessment.operations.screening import (
    ANSWER_LABELS,
    MAX_REASON_LENGTH,
    AnswerInput,
    answer_field,
    note_field,
)
from grants.assessment.operations.screening import MAX_NOTE_LENGTH as MAX_SCREENING_NOTE_LENGTH
from grants.core.fields import (
    CONFLICT_NOTE_HINT,
    ConflictDeclarationForm,
    MoneyField,
    WholeNumberField,
)
from grants.core.validators import sent_number
from grants.core.validators import strip_text as _strip
from grants.funds.models import EligibilityQuestion, ScoringCriterion

# --- Screening, questions and notes -------------------------------------------------------

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


# --- Reviewers, reviews and moderation ----------------------------------------------------

class BulkAssignForm(FlaskForm):
    per_application = WholeNumberField(
        "Reviewers per application",
        description="Each eligible application, and each already in review, gets this many "
                    "reviewers, sharing the work out as evenly as possible",
        default=2,
        validators=[InputRequired("Enter how many reviewers each application needs")],
    )


class AssignReviewerForm(FlaskForm):
    reviewer_id = SelectField("Reviewer", coerce=str, validate_choice=False,
                              validators=[InputRequired("Select a reviewer")],
                              widget=GovSelect())
    # The page to come back to: the page the panel is on.
    next = HiddenField()

    def chosen_id(self) -> int | None:
        # A longer number is no one (and overflows the database).
        return sent_number(self.reviewer_id.data)


class RemoveAssignmentForm(FlaskForm):
    reason = TextAreaField(
        "Why are you removing this reviewer?", filters=[_strip],
        validators=[DataRequired("Enter why you are removing this reviewer"),
                    Length(max=MAX_NOTE, message=f"Reason must be {MAX_NOTE} characters or "
                                                 "fewer")],
        widget=GovCharacterCount())
    next = HiddenField()


class ReopenReviewForm(FlaskForm):
    reason = TextAreaField(
        "Why are you reopening this review?",
        description="The reviewer is emailed this reason",
        filters=[_strip],
        validators=[DataRequired("Enter why you are reopening this review"),
                    Length(max=MAX_NOTE, message=f"Reason must be {MAX_NOTE} characters or "
                                                 "fewer")],
        widget=GovCharacterCount())
    next = HiddenField()


class DeclarationForm(ConflictDeclarationForm):
    note = TextAreaField(
        "Describe your conflict of interest", description=CONFLICT_NOTE_HINT, filters=[_strip],
        validators=[Length(max=MAX_NOTE, message=f"Description must be {MAX_NOTE} characters "
                                                 "or fewer")],
        widget=GovTextArea())


class ScoreField(WholeNumberField):
    """A criterion's score: a whole number (its range is the service's rule)."""

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            return
        if not text.isdigit() or len(text) > 6:
            raise ValueError(f"{self.label.text} must be a whole number, like 3")
        self.data = int(text)


class BaseReviewForm(FlaskForm):
    """The scoring form; `review_form_class` adds a score and comment per criterion."""

    recommendation = RadioField(
        "Your recommendation",
        choices=[(r.value, r.label) for r in Recommendation],
        validate_choice=False,
        widget=GovRadioInput())
    recommended_amount = MoneyField(
        "Amount you recommend, in pounds", allow_zero=False)
    comment = TextAreaField(
        "Overall comment",
        description="Your view of the application as a whole: its strengths, its weaknesses "
                    "and the reasons for your recommendation",
        filters=[_strip], widget=GovTextArea())

    criteria: Sequence[ScoringCriterion] = ()

    def score_fields(self):
        """(criterion, score field, comment field) for each criterion, in order."""
        return [(criterion, self[score_field(criterion.id)], self[comment_field(criterion.id)])
                for criterion in self.criteria]

    def answers(self) -> ReviewAnswers:
        value = self.recommendation.data
        recommendation = next((r for r in Recommendation if r.value == value), None)
        return ReviewAnswers(
            scores={criterion.id: CriterionAnswer(score=score.data,
                                                  comment=(comment.data or "").strip())
                    for criterion, score, comment in self.score_fields()},
            recommendation=recommendation,
            recommended_amount_pence=self.recommended_amount.data,
            comment=self.comment.data or "",
        )

    def fill_from(self, review) -> None:
        """Show a saved review (draft or submitted)."""
        if review is None:
            return
        saved = {score.criterion_id: score for score in review.scores}
        for criterion, score, comment in self.score_fields():
            row = saved.get(criterion.id)
            if row is not None:
                score.data = row.score
                comment.data = row.comment
        self.recommendation.data = review.recommendation.value if review.recommendation else None
        self.recommended_amount.data = review.recommended_amount_pence
        self.comment.data = review.comment


def review_form_class(criteria: Sequence[ScoringCriterion]) -> type[BaseReviewForm]:
    """The scoring form for a round's criteria."""

    class ReviewForm(BaseReviewForm):
        pass

    ReviewForm.criteria = tuple(criteria)
    for criterion in criteria:
        setattr(ReviewForm, score_field(criterion.id), ScoreField(
            f"Score for {criterion.name}",
            description=f"A whole number from 0 to {criterion.max_score}",
            widget=GovTextInput()))
        setattr(ReviewForm, comment_field(criterion.id), TextAreaField(
            f"Comment on {criterion.name}",
            description=f"Needed when you score 0 or {criterion.max_score}",
            filters=[_strip],
            validators=[Length(max=MAX_COMMENT,
                               message=f"Comment must be {MAX_COMMENT:,} characters or fewer")],
            widget=GovTextArea()))
    return ReviewForm


class ModerationForm(FlaskForm):
    agreed_score = StringField(
        "Agreed score",
        description="A percentage from 0 to 100, to one decimal place, like 72.5",
        filters=[_strip], widget=GovTextInput())
    reason = TextAreaField(
        "Why is this the agreed score?",
        description="For example, what the panel discussed where the reviewers disagreed",
        filters=[_strip],
        validators=[Length(max=MAX_MODERATION_REASON,
                           message=f"Reason must be {MAX_MODERATION_REASON} characters or "
                                   "fewer")],
        widget=GovCharacterCount())

    def agreed_tenths(self) -> int | None:
        """The agreed score in tenths; a message on the field when it is not a score."""
        try:
            return parse_score_tenths(self.agreed_score.data)
        except ValueError as error:
            self.agreed_score.errors = [*self.agreed_score.errors, str(error)]
            return None
