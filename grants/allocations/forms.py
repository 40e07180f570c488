"""Forms for an allocation round's pages. Each says what is wrong with a field as typed; the
services check the rules that need the round (weights adding up, the money guard)."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovFileInput,
    GovSelect,
    GovTextInput,
)
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, ValidationError

from grants.allocations.operations.factors import (
    MAX_FACTOR_NAME,
    MAX_FACTORS,
    FactorRow,
    parse_percentage,
)
from grants.allocations.operations.formula import percent
from grants.allocations.operations.inputs import parse_input
from grants.allocations.operations.proposal import MAX_REASON
from grants.allocations.operations.top_slice_awards import MAX_DESCRIPTION, MAX_TITLE, TopSliceAward
from grants.awards.forms import public_reason_field
from grants.core.fields import (
    COUNTED,
    DayMonthYearField,
    award_focus_fields,
    radio_field,
    text_field,
)
from grants.core.validators import Pounds
from grants.core.validators import strip_text as _strip

# Lines for factors on the factors page: enough for any formula staff have used.
FACTOR_LINES = MAX_FACTORS


class Parsed:
    """Reads the field's text with `parse` and keeps the result on the field as `keep`
    (None when blank or when it does not read); a ValueError's message is the field's error."""

    def __init__(self, parse, keep: str) -> None:
        self.parse = parse
        self.keep = keep

    def __call__(self, form, field) -> None:
        setattr(field, self.keep, None)
        try:
            setattr(field, self.keep, self.parse(field.data))
        except ValueError as error:
            raise ValidationError(str(error)) from None


class TopSliceForm(FlaskForm):
    how = radio_field(
        "How do you want to set the top-slice?",
        choices=[("amount", "As an amount"), ("percentage", "As a percentage of the budget")],
        required="Choose whether the top-slice is an amount or a percentage")
    amount = StringField("Top-slice amount", filters=[_strip],
                         description="In pounds, like 100000 or £100,000.",
                         validators=[Pounds()], widget=GovTextInput())
    percentage = StringField("Top-slice percentage", filters=[_strip],
                             description="Of the budget, like 10 or 12.5.",
                             validators=[Parsed(parse_percentage, "basis_points")],
                             widget=GovTextInput())

    def validate_amount(self, field) -> None:
        if self.how.data == "amount" and getattr(field, "pence", None) is None and not field.errors:
            raise ValidationError("Enter the top-slice amount")

    def validate_percentage(self, field) -> None:
        if self.how.data == "percentage" and getattr(field, "basis_points", None) is None \
                and not field.errors:
            raise ValidationError("Enter the top-slice percentage")

    def choice(self) -> dict[str, int | None]:
        if self.how.data == "percentage":
            return {"basis_points": self.percentage.basis_points}
        return {"amount_pence": self.amount.pence}


class DecisionDateForm(FlaskForm):
    decided_on = DayMonthYearField(
        "Date the allocation was decided", called="The date the allocation was decided",
        description="The day it was decided, for example at the Commissioner's decision "
                    "meeting, like 17 6 2026. The progress report dates the allocation by it.",
        required="Enter the date the allocation was decided")


class RecipientsForm(FlaskForm):
    organisations = SelectMultipleField(
        "Which councils and Community Safety Partnerships share the allocation?", coerce=int,
        description="Select all that apply.", widget=GovCheckboxesInput(),
        validators=[DataRequired("Choose at least one recipient")],
        invalid_choice_message="Choose recipients from the list")


def factors_form_class() -> type[FlaskForm]:
    """A form with a name and a weight on each of its lines."""

    class FactorsForm(FlaskForm):
        def rows(self) -> list[FactorRow]:
            return [FactorRow(self[f"name_{i}"].data or "",
                                       getattr(self[f"weight_{i}"], "basis_points", None))
                    for i in range(FACTOR_LINES)]

        def fill_from(self, factors) -> None:
            for index, factor in enumerate(factors[:FACTOR_LINES]):
                self[f"name_{index}"].data = factor.name
                self[f"weight_{index}"].data = percent(
                    factor.weight_basis_points).removesuffix(" %")

    for index in range(FACTOR_LINES):
        setattr(FactorsForm, f"name_{index}", text_field(
            f"Factor {index + 1}", limit=MAX_FACTOR_NAME, named="The name"))
        setattr(FactorsForm, f"weight_{index}", StringField(
            f"Weight of factor {index + 1}", filters=[_strip],
            validators=[Parsed(parse_percentage, "basis_points")],
            widget=GovTextInput()))
    return FactorsForm


def input_field_name(recipient_id: int, factor_id: int) -> str:
    return f"input_{recipient_id}_{factor_id}"


def inputs_form_class(rows, factors) -> type[FlaskForm]:
    """A form with a box for each recipient's value of each factor."""

    class InputsForm(FlaskForm):
        def values(self) -> dict:
            return {(row.recipient.id, factor.id):
                    self[input_field_name(row.recipient.id, factor.id)].number
                    for row in rows for factor in factors}

        def fill_from(self) -> None:
            for row in rows:
                for factor in factors:
                    value = row.values.get(factor.id)
                    self[input_field_name(row.recipient.id, factor.id)].data = (
                        "" if value is None else format(value.normalize(), "f"))

    for row in rows:
        for factor in factors:
            setattr(InputsForm, input_field_name(row.recipient.id, factor.id), StringField(
                f"{factor.name} of {row.recipient.organisation.name}", filters=[_strip],
                validators=[Parsed(parse_input, "number")]))
    return InputsForm


class InputsFileForm(FlaskForm):
    inputs_file = FileField(
        "Upload the inputs as a CSV file",
        description="The first column names each recipient (or gives its organisation number); "
                    "then one column per factor, headed with the factor's name.",
        widget=GovFileInput())


class OverrideForm(FlaskForm):
    amount = StringField(
        "Share", filters=[_strip], description="In pounds, like 250000.",
        validators=[DataRequired("Enter the share, in pounds"), Pounds()], widget=GovTextInput())
    reason = text_field(
        "Why does this share differ from the formula's?", limit=MAX_REASON, named="The reason",
        required="Enter why this share differs from the formula's", kind=COUNTED,
        description="Kept with the share and shown on the allocation page.")


class ConfirmSharesForm(FlaskForm):
    public_reason = public_reason_field(
        "Published with each share's award: why the fund is shared among these recipients, "
        "in plain words for the public. For example, Shared among the Community Safety "
        "Partnerships by population, recorded crime and demand, to fund their local plans")


class TopSliceAwardForm(FlaskForm):
    organisation = SelectField("Organisation", coerce=int, widget=GovSelect(),
                               validators=[DataRequired("Choose the organisation the award is "
                                                        "made to")],
                               invalid_choice_message="Choose an organisation from the list")
    title = text_field(
        "What is the award for?", limit=MAX_TITLE, named="What the award is for",
        required="Enter what the award is for, like Cybercrime initiatives",
        description="For example, Cybercrime initiatives.")
    description = text_field("Description (optional)", limit=MAX_DESCRIPTION,
                             named="The description", kind=COUNTED)
    amount = StringField(
        "Amount", filters=[_strip], description="In pounds, like 100000.",
        validators=[DataRequired("Enter the amount of the award"), Pounds(allow_zero=False)],
        widget=GovTextInput())
    public_reason = public_reason_field()
    priority, key_aims, whole_thames_valley = award_focus_fields()

    def entry(self) -> TopSliceAward:
        return TopSliceAward(
            organisation_id=self.organisation.data, amount_pence=self.amount.pence,
            priority_id=self.priority.data, key_aim_ids=list(self.key_aims.data or []),
            title=self.title.data or "", description=self.description.data or "",
            public_reason=self.public_reason.data or "",
            serves_whole_thames_valley=self.whole_thames_valley.data == "yes")
