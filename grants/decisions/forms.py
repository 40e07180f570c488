"""Forms for declaring a conflict of interest before deciding, and for the decision itself.

Fields check what one answer must look like (a choice, an amount in pounds, a length); the
rules between answers and records (the amount within the round's limits and the amount
requested, feedback when declining, a reason for funding out of rank order, the budget) are
`grants.decisions.operations`' and come back as field errors.
"""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovTextArea
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Length

from grants.core.fields import CONFLICT_NOTE_HINT, ConflictDeclarationForm, MoneyField
from grants.core.validators import strip_text as _strip
from grants.decisions.models import Decision, DecisionOutcome
from grants.decisions.operations.rules import MAX_NOTE, MAX_TEXT, DecisionInput


def _length(label: str, maximum: int = MAX_TEXT) -> Length:
    return Length(max=maximum, message=f"{label} must be {maximum:,} characters or fewer")


class DeciderDeclarationForm(ConflictDeclarationForm):
    note = TextAreaField(
        "If you have a conflict of interest, describe it", description=CONFLICT_NOTE_HINT,
        filters=[_strip], validators=[_length("Description", MAX_NOTE)], widget=GovTextArea())


class DecisionForm(FlaskForm):
    outcome = RadioField(
        "Decision",
        choices=[(outcome.value, outcome.label) for outcome in DecisionOutcome],
        validators=[InputRequired("Select the decision: award in full, award in part or "
                                  "decline")],
        validate_choice=False,
        widget=GovRadioInput())
    amount = MoneyField(
        "Amount to award in part, in pounds",
        description="Only for an award in part: at least the round's minimum award and less "
                    "than the amount requested")
    reason = TextAreaField(
        "Reason for the decision",
        description="Recorded with the decision. If you decline, the applicant sees this "
                    "reason with your feedback",
        filters=[_strip], validators=[_length("The reason")], widget=GovTextArea())
    conditions = TextAreaField(
        "Conditions of the award (optional)",
        description="Only for awards: the applicant sees these with the offer",
        filters=[_strip], validators=[_length("The conditions")], widget=GovTextArea())
    feedback = TextAreaField(
        "Feedback for the applicant",
        description="Needed when you decline: the applicant sees it when the decisions are "
                    "published",
        filters=[_strip], validators=[_length("The feedback")], widget=GovTextArea())
    out_of_rank_reason = TextAreaField(
        "Reason for deciding out of rank order",
        description="Needed when this decision funds an application ranked below one that is "
                    "not funded, or declines one ranked above a funded one: for example, "
                    "geographic spread",
        filters=[_strip], validators=[_length("The reason for deciding out of rank order")],
        widget=GovTextArea())

    def chosen_outcome(self) -> DecisionOutcome | None:
        return next((o for o in DecisionOutcome if o.value == self.outcome.data), None)

    def decision_input(self) -> DecisionInput:
        return DecisionInput(
            outcome=self.chosen_outcome(), amount_pence=self.amount.data,
            reason=self.reason.data or "", conditions=self.conditions.data or "",
            feedback=self.feedback.data or "",
            out_of_rank_reason=self.out_of_rank_reason.data or "")

    @classmethod
    def for_decision(cls, decision: Decision | None) -> "DecisionForm":
        """The form showing the decision as it stands (empty without one)."""
        form = cls(formdata=None)
        if decision is not None:
            form.outcome.data = decision.outcome.value
            if decision.outcome is DecisionOutcome.AWARD_IN_PART:
                form.amount.data = decision.amount_pence
            form.reason.data = decision.reason
            form.conditions.data = decision.conditions
            form.feedback.data = decision.feedback
            form.out_of_rank_reason.data = decision.out_of_rank_reason
        return form


class ProposalForm(FlaskForm):
    """Confirms the proposal shown: the fingerprint says which."""

    fingerprint = HiddenField()
