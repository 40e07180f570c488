"""Forms for declaring a conflict of interest before deciding, and for the decision itself.

Fields check what one answer must look like (a choice, an amount in pounds, a length); the
rules between answers and records (the amount within the round's limits and the amount
requested, feedback when declining, a reason for funding out of rank order, the budget) are
`grants.decisions.operations`' and come back as field errors.
"""

from flask_wtf import FlaskForm
from wtforms import HiddenField

from grants.awards.forms import public_reason_field
from grants.awards.models import Award
from grants.core.fields import (
    BOX,
    CONFLICT_NOTE_HINT,
    ConflictDeclarationForm,
    MoneyField,
    radio_field,
    text_field,
)
from grants.decisions.models import Decision, DecisionOutcome
from grants.decisions.operations.rules import MAX_NOTE, MAX_TEXT, DecisionInput


def _text(label: str, named: str, description: str):
    """One of the decision's optional texts; the service says which a decision needs."""
    return text_field(label, limit=MAX_TEXT, named=named, kind=BOX, description=description)


class DeciderDeclarationForm(ConflictDeclarationForm):
    note = text_field(
        "If you have a conflict of interest, describe it", limit=MAX_NOTE, named="Description",
        kind=BOX, description=CONFLICT_NOTE_HINT)


class DecisionForm(FlaskForm):
    outcome = radio_field(
        "Decision",
        choices=[(outcome.value, outcome.label) for outcome in DecisionOutcome],
        required="Select the decision: award in full, award in part or decline",
        validate_choice=False)
    amount = MoneyField(
        "Amount to award in part, in pounds",
        description="Only for an award in part: at least the round's minimum award and less "
                    "than the amount requested")
    reason = _text(
        "Reason for the decision", "The reason",
        "Recorded with the decision. If you decline, the applicant sees this reason with your "
        "feedback")
    public_reason = public_reason_field(
        "Needed for an award: why it is made, in plain words for the public. It is published "
        "with the award in the register of grants and the open data once the decisions are "
        "signed off and published. No internal notes or personal details", required=False)
    conditions = _text(
        "Conditions of the award (optional)", "The conditions",
        "Only for awards: the applicant sees these with the offer")
    feedback = _text(
        "Feedback for the applicant", "The feedback",
        "Needed when you decline: the applicant sees it when the decisions are published")
    out_of_rank_reason = _text(
        "Reason for deciding out of rank order", "The reason for deciding out of rank order",
        "Needed when this decision funds an application ranked below one that is not funded, "
        "declines one ranked above a funded one, or funds one of applications with equal "
        "scores while another is declined: for example, geographic spread")

    def chosen_outcome(self) -> DecisionOutcome | None:
        return next((o for o in DecisionOutcome if o.value == self.outcome.data), None)

    def decision_input(self) -> DecisionInput:
        return DecisionInput(
            outcome=self.chosen_outcome(), amount_pence=self.amount.data,
            reason=self.reason.data or "", conditions=self.conditions.data or "",
            feedback=self.feedback.data or "",
            out_of_rank_reason=self.out_of_rank_reason.data or "",
            public_reason=self.public_reason.data or "")

    @classmethod
    def for_decision(cls, decision: Decision | None,
                     award: Award | None = None) -> "DecisionForm":
        """The form showing the decision (and its award's public reason) as it stands
        (empty without one)."""
        form = cls(formdata=None)
        if award is not None:
            form.public_reason.data = award.public_reason
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
