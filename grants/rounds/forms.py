"""The pages of a round's "Check if you can apply": one question to a page, each its own form.

Every form has the one field `answer`, so the pages share one template and the view one way of
reading and keeping it; the choices that depend on the round are given when the form is made.
"""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput
from wtforms import SelectMultipleField
from wtforms.validators import InputRequired

from grants.core.fields import MoneyField, radio_field
from grants.core.wording import OfficeText
from grants.funds.models import CheckQuestion
from grants.organisations.models import OrganisationType
from grants.rounds.operations import checking
from grants.rounds.operations.checking import QUESTION_TEXT


class CheckForm(FlaskForm):
    """A question page's form; `kind` says how the page shows its one field."""

    kind = "radios"


class OrganisationTypeForm(CheckForm):
    answer = radio_field(
        QUESTION_TEXT[checking.ORGANISATION_TYPE],
        choices=[(kind.value, kind.label) for kind in OrganisationType],
        required="Select the type of organisation you are applying for",
        invalid_choice_message="Select the type of organisation from the list")


class WhereForm(CheckForm):
    answer = radio_field(
        QUESTION_TEXT[checking.WHERE],
        description=OfficeText("{office.short_name} is Berkshire, Buckinghamshire and "
                               "Oxfordshire"),
        choices=[(value, OfficeText(words)) for value, words in checking.WHERE_CHOICES],
        required="Select where the work will happen",
        invalid_choice_message="Select where the work will happen from the list")


class AreasForm(CheckForm):
    kind = "checkboxes"
    answer = SelectMultipleField(
        QUESTION_TEXT[checking.AREAS], description="Select all that apply",
        coerce=str, validators=[InputRequired("Select the areas the work will happen in")],
        invalid_choice_message="Select areas from the list", widget=GovCheckboxesInput())

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.answer.choices = [(str(area.id), area.proper_name) for area in areas]


class AmountForm(CheckForm):
    kind = "money"
    answer = MoneyField(QUESTION_TEXT[checking.AMOUNT],
                        required_message="Enter how much you will ask for, in pounds",
                        allow_zero=False)

    def __init__(self, *args, award_range: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.answer.description = (f"{award_range}. " if award_range else "") + (
            "In pounds, for example £5,000")


class PriorityForm(CheckForm):
    answer = radio_field(
        QUESTION_TEXT[checking.PRIORITY],
        description="The priority of the Police and Crime Plan the work supports most",
        required="Select what the grant will be for",
        invalid_choice_message="Select what the grant will be for from the list")

    def __init__(self, *args, choices: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.answer.choices = list(choices.items())


class QuestionForm(CheckForm):
    """One of the yes/no questions the round added; the question is the field's label."""

    answer = radio_field(
        "", choices=[(checking.YES, "Yes"), (checking.NO, "No")],
        required="Select yes or no",
        invalid_choice_message="Select yes or no")

    def __init__(self, *args, question: CheckQuestion, **kwargs):
        super().__init__(*args, **kwargs)
        self.answer.label.text = question.text
