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
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

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
from grants.assessment.operations.screening import MAX_NOTE_LENGTH as MAX_SCREENING_NOTE_LENGTH
from grants.assessment.operations.screening import (
    MAX_REASON_LENGTH,
    AnswerInput,
    answer_field,
    note_field,
)
from grants.core.fields import (
    BOX,
    CONFLICT_NOTE_HINT,
    COUNTED,
    ConflictDeclarationForm,
    MoneyField,
    WholeNumberField,
    text_field,
)
from grants.core.translatable import lazy_text as _l
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
            choices=[(value.value, value.label) for value in EligibilityAnswerValue],
            validators=[Optional()],
            widget=GovRadioInput(),
        ))
        setattr(ScreeningForm, note_field(question.id), text_field(
            "Note (optional)", limit=MAX_SCREENING_NOTE_LENGTH, named="The note", kind=BOX))
    ScreeningForm.reason = _not_eligible_reason()
    return ScreeningForm


def _not_eligible_reason(**kwargs):
    """The reason the applicant is told their application is not eligible."""
    return text_field("Reason the application is not eligible", limit=MAX_REASON_LENGTH,
                      named="The reason", kind=BOX, **kwargs)


class ReverseScreeningForm(FlaskForm):
    # Required, and the applicant's reason with it: the service says which are missing.
    reason = text_field(
        "Why are you reversing the decision?", limit=MAX_REASON_LENGTH, named="The reason",
        kind=BOX, description="For staff: kept in the application's history.")
    applicant_reason = _not_eligible_reason(
        description="The applicant will see this, by email and on their dashboard.")


def _staff_writing(label: str, limit: int, *, named: str, required: str, hint: str):
    """A box staff write in about an application; its hint ends with how much it holds."""
    return text_field(label, limit=limit, named=named, required=required, kind=BOX,
                      description=f"{hint} Up to {limit:,} characters.")


class ClarificationForm(FlaskForm):
    question = _staff_writing(
        "Ask the applicant a question", MAX_QUESTION_LENGTH, named="The question",
        required="Enter the question to ask the applicant",
        hint=("They are emailed and answer it on the service. The application itself does "
              "not change."))


class NoteForm(FlaskForm):
    body = _staff_writing("Add an internal note", MAX_NOTE_LENGTH, named="The note",
                          required="Enter the note",
                          hint="Only staff see notes. Applicants never do.")


class BulkEligibleForm(FlaskForm):
    """Only the CSRF token: the chosen applications come as repeated `application_id`."""


class AnswerForm(FlaskForm):
    """The applicant's answer to one of staff's questions."""

    answer = text_field(
        _l("Your answer"), limit=MAX_ANSWER_LENGTH, named=_l("Your answer"),
        required=_l("Enter your answer"), kind=BOX,
        description=_l("Up to %(limit)s characters. You can answer once.",
                       limit=format(MAX_ANSWER_LENGTH, ",")))


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
    reason = text_field(
        "Why are you removing this reviewer?", limit=MAX_NOTE, named="Reason",
        required="Enter why you are removing this reviewer", kind=COUNTED)
    next = HiddenField()


class ReopenReviewForm(FlaskForm):
    reason = text_field(
        "Why are you reopening this review?", limit=MAX_NOTE, named="Reason",
        required="Enter why you are reopening this review", kind=COUNTED,
        description="The reviewer is emailed this reason")
    next = HiddenField()


class DeclarationForm(ConflictDeclarationForm):
    note = text_field(
        "Describe your conflict of interest", limit=MAX_NOTE, named="Description", kind=BOX,
        description=CONFLICT_NOTE_HINT)


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
        setattr(ReviewForm, comment_field(criterion.id), text_field(
            f"Comment on {criterion.name}", limit=MAX_COMMENT, named="Comment", kind=BOX,
            description=f"Needed when you score 0 or {criterion.max_score}"))
    return ReviewForm


class ModerationForm(FlaskForm):
    agreed_score = StringField(
        "Agreed score",
        description="A percentage from 0 to 100, to one decimal place, like 72.5",
        filters=[_strip], widget=GovTextInput())
    reason = text_field(
        "Why is this the agreed score?", limit=MAX_MODERATION_REASON, named="Reason",
        kind=COUNTED,
        description="For example, what the panel discussed where the reviewers disagreed")

    def agreed_tenths(self) -> int | None:
        """The agreed score in tenths; a message on the field when it is not a score."""
        try:
            return parse_score_tenths(self.agreed_score.data)
        except ValueError as error:
            self.agreed_score.errors = [*self.agreed_score.errors, str(error)]
            return None
