"""Forms for plans, their priorities and key aims.

Fields check what one answer must look like; rules that need the database (a code already
taken) or two answers (dates in order) are the operations' and come back as field errors.
"""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovTextArea, GovTextInput
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from grants.core.fields import DayMonthYearField
from grants.core.validators import strip_text as _strip
from grants.plans.models import MAX_CODE_LENGTH, MAX_TEXT_LENGTH, MAX_TITLE_LENGTH

TITLE_LENGTH = Length(max=MAX_TITLE_LENGTH,
                      message=f"Title must be {MAX_TITLE_LENGTH} characters or fewer")


def _title_field() -> StringField:
    return StringField(
        "Title",
        description="For example, Police and Crime Plan for Thames Valley 2021 to 2024",
        filters=[_strip],
        validators=[DataRequired("Enter the plan's title"), TITLE_LENGTH],
        widget=GovTextInput(),
    )


def _valid_from_field() -> DayMonthYearField:
    return DayMonthYearField(
        "Valid from",
        description="For example, 1 4 2021",
        required="Enter the date the plan is valid from",
    )


def _valid_to_field() -> DayMonthYearField:
    return DayMonthYearField(
        "Valid to (optional)",
        called="Valid to",
        description="For example, 31 3 2024. Leave it empty if the plan has no end date yet",
    )


# Fields are declared in the order of the page, which the error summary follows.
class NewPlanForm(FlaskForm):
    title = _title_field()
    code = StringField(
        "Code",
        description=("Letters, numbers and hyphens, for example TVPCC-PCP-2021-24. "
                     "You cannot change it later"),
        filters=[_strip],
        validators=[
            DataRequired("Enter a code for the plan"),
            Length(max=MAX_CODE_LENGTH,
                   message=f"Code must be {MAX_CODE_LENGTH} characters or fewer"),
        ],
        widget=GovTextInput(),
    )
    valid_from = _valid_from_field()
    valid_to = _valid_to_field()
    make_current = BooleanField("Make this the current plan", widget=GovCheckboxInput())


class PlanDetailsForm(FlaskForm):
    title = _title_field()
    valid_from = _valid_from_field()
    valid_to = _valid_to_field()


class PriorityForm(FlaskForm):
    title = StringField(
        "Title",
        description="For example, Reducing Re-offending",
        filters=[_strip],
        validators=[DataRequired("Enter the priority's title"), TITLE_LENGTH],
        widget=GovTextInput(),
    )
    objective = TextAreaField(
        "Strategic objective (optional)",
        filters=[_strip],
        validators=[Length(max=MAX_TEXT_LENGTH,
                           message=f"Objective must be {MAX_TEXT_LENGTH} characters or fewer")],
        widget=GovTextArea(),
    )


class KeyAimForm(FlaskForm):
    text = TextAreaField(
        "Key aim",
        description="Use the plan's own words",
        filters=[_strip],
        validators=[
            DataRequired("Enter the key aim"),
            Length(max=MAX_TEXT_LENGTH,
                   message=f"Key aim must be {MAX_TEXT_LENGTH} characters or fewer"),
        ],
        widget=GovTextArea(),
    )
