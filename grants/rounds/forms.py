"""The pages of a round's "Check if you can apply": one question to a page, each its own form.

Every form has the one field `answer`, so the pages share one template and the view one way of
reading and keeping it; the choices that depend on the round are given when the form is made.
The questions' words are the operations' (`QUESTION_TEXT`), said in the page's language.
"""

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms.validators import InputRequired

from grants.core.fields import MoneyField, radio_field
from grants.core.translatable import N_
from grants.core.translatable import lazy_text as _l
from grants.core.widgets import CheckboxesInput
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
        _l(QUESTION_TEXT[checking.ORGANISATION_TYPE]),
        choices=[(kind.value, _l(kind.label)) for kind in OrganisationType],
        required=_l("Select the type of organisation you are applying for"),
        invalid_choice_message=_l("Select the type of organisation from the list"))


class WhereForm(CheckForm):
    answer = radio_field(
        _l(QUESTION_TEXT[checking.WHERE]),
        description=OfficeText(N_("{office.short_name} is Berkshire, Buckinghamshire and "
                                  "Oxfordshire")),
        required=_l("Select where the work will happen"),
        invalid_choice_message=_l("Select where the work will happen from the list"))

    def __init__(self, *args, area: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.answer.choices = [(value, _l(words, area=area))
                               for value, words in checking.WHERE_CHOICES]


class AreasForm(CheckForm):
    kind = "checkboxes"
    answer = SelectMultipleField(
        _l(QUESTION_TEXT[checking.AREAS]), description=_l("Select all that apply"),
        coerce=str, validators=[InputRequired(_l("Select the areas the work will happen in"))],
        invalid_choice_message=_l("Select areas from the list"), widget=CheckboxesInput())

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.answer.choices = [(str(area.id), area.proper_name) for area in areas]


class AmountForm(CheckForm):
    kind = "money"
    answer = MoneyField(_l(QUESTION_TEXT[checking.AMOUNT]),
                        required_message=_l("Enter how much you will ask for, in pounds"),
                        allow_zero=False)

    def __init__(self, *args, award_range: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # `award_range` is in the page's language already (`award_range_text`).
        self.answer.description = (
            _l("%(range)s. In pounds, for example £5,000", range=award_range) if award_range
            else _l("In pounds, for example £5,000"))


class PriorityForm(CheckForm):
    answer = radio_field(
        _l(QUESTION_TEXT[checking.PRIORITY]),
        description=_l("The priority of the Police and Crime Plan the work supports most"),
        required=_l("Select what the grant will be for"),
        invalid_choice_message=_l("Select what the grant will be for from the list"))

    def __init__(self, *args, choices: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        # The priorities' titles as staff typed them; "Something else" in the page's language.
        self.answer.choices = [(value, _l(words.message) if hasattr(words, "message") else words)
                               for value, words in choices.items()]


class QuestionForm(CheckForm):
    """One of the yes/no questions the round added; the question is the field's label."""

    answer = radio_field(
        "", choices=[(checking.YES, _l("Yes")), (checking.NO, _l("No"))],
        required=_l("Select yes or no"),
        invalid_choice_message=_l("Select yes or no"))

    def __init__(self, *args, question: CheckQuestion, **kwargs):
        super().__init__(*args, **kwargs)
        self.answer.label.text = question.text
