"""Forms for an allocation round's pages. Each says what is wrong with a field as typed; the
services check the rules that need the round (weights adding up, the money guard)."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovTextInput,
)
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

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
from grants.core.validators import Pounds
from grants.core.validators import strip_text as _strip

# Lines for factors on the factors page: enough for any formula staff have used.
FACTOR_LINES = MAX_FACTORS


class Percentage:
    """A percentage with up to two decimal places; kept on the field as `basis_points`."""

    def __call__(self, form, field) -> None:
        field.basis_points = None
        try:
            field.basis_points = parse_percentage(field.data)
        except ValueError as error:
            raise ValidationError(str(error)) from None


class InputNumber:
    """A recipient's value for a factor; kept on the field as `number` (None when blank)."""

    def __call__(self, form, field) -> None:
        field.number = None
        try:
            field.number = parse_input(field.data)
        except ValueError as error:
            raise ValidationError(str(error)) from None


class TopSliceForm(FlaskForm):
    how = RadioField(
        "How do you want to set the top-slice?",
        choices=[("amount", "As an amount"), ("percentage", "As a percentage of the budget")],
        validators=[InputRequired("Choose whether the top-slice is an amount or a percentage")],
        widget=GovRadioInput())
    amount = StringField("Top-slice amount", filters=[_strip],
                         description="In pounds, like 100000 or £100,000.",
                         validators=[Pounds()], widget=GovTextInput())
    percentage = StringField("Top-slice percentage", filters=[_strip],
                             description="Of the budget, like 10 or 12.5.",
                             validators=[Percentage()], widget=GovTextInput())

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
        setattr(FactorsForm, f"name_{index}", StringField(
            f"Factor {index + 1}", filters=[_strip],
            validators=[Length(max=MAX_FACTOR_NAME,
                               message=f"The name must be {MAX_FACTOR_NAME} "
                                       "characters or fewer")],
            widget=GovTextInput()))
        setattr(FactorsForm, f"weight_{index}", StringField(
            f"Weight of factor {index + 1}", filters=[_strip], validators=[Percentage()],
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
                validators=[InputNumber()]))
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
    reason = TextAreaField(
        "Why does this share differ from the formula's?", filters=[_strip],
        description="Kept with the share and shown on the allocation page.",
        validators=[DataRequired("Enter why this share differs from the formula's"),
                    Length(max=MAX_REASON,
                           message=f"The reason must be {MAX_REASON} characters or "
                                   "fewer")],
        widget=GovCharacterCount())


class TopSliceAwardForm(FlaskForm):
    organisation = SelectField("Organisation", coerce=int, widget=GovSelect(),
                               validators=[DataRequired("Choose the organisation the award is "
                                                        "made to")],
                               invalid_choice_message="Choose an organisation from the list")
    title = StringField(
        "What is the award for?", filters=[_strip],
        description="For example, Cybercrime initiatives.",
        validators=[DataRequired("Enter what the award is for, like Cybercrime initiatives"),
                    Length(max=MAX_TITLE, message="What the award is for must be "
                                                  f"{MAX_TITLE} characters "
                                                           "or fewer")],
        widget=GovTextInput())
    description = TextAreaField(
        "Description (optional)", filters=[_strip],
        validators=[Length(max=MAX_DESCRIPTION,
                           message=f"The description must be {MAX_DESCRIPTION} "
                                   "characters or fewer")],
        widget=GovCharacterCount())
    amount = StringField(
        "Amount", filters=[_strip], description="In pounds, like 100000.",
        validators=[DataRequired("Enter the amount of the award"), Pounds(allow_zero=False)],
        widget=GovTextInput())
    priority = RadioField("Which priority does it support?", coerce=int,
                          validators=[InputRequired("Choose the priority the award supports")],
                          invalid_choice_message="Choose a priority from the list")
    key_aims = SelectMultipleField("Key aims", coerce=int,
                                   invalid_choice_message="Choose key aims from the list")
    whole_thames_valley = RadioField(
        "Does it serve the whole of Thames Valley?",
        choices=[("yes", "Yes"), ("no", "No, only the organisation's own areas")],
        default="yes", validators=[InputRequired("Choose whether it serves the whole of "
                                                 "Thames Valley")],
        widget=GovRadioInput())

    def entry(self) -> TopSliceAward:
        return TopSliceAward(
            organisation_id=self.organisation.data, amount_pence=self.amount.pence,
            priority_id=self.priority.data, key_aim_ids=list(self.key_aims.data or []),
            title=self.title.data or "", description=self.description.data or "",
            serves_whole_thames_valley=self.whole_thames_valley.data == "yes")
