"""Forms for plans, their priorities and key aims.

Fields check what one answer must look like; rules that need the database (a code already
taken) or two answers (dates in order) are the operations' and come back as field errors.
"""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput
from wtforms import BooleanField

from grants.core.fields import BOX, DayMonthYearField, text_field
from grants.core.wording import OfficeText
from grants.plans.models import MAX_CODE_LENGTH, MAX_TEXT_LENGTH, MAX_TITLE_LENGTH


def _title_field():
    return text_field(
        "Title", limit=MAX_TITLE_LENGTH, named="Title", required="Enter the plan's title",
        description=OfficeText("For example, Police and Crime Plan for {office.short_name} 2021 "
                               "to 2024"),
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
    code = text_field(
        "Code", limit=MAX_CODE_LENGTH, named="Code", required="Enter a code for the plan",
        description=("Letters, numbers and hyphens, for example TVPCC-PCP-2021-24. "
                     "You cannot change it later"),
    )
    valid_from = _valid_from_field()
    valid_to = _valid_to_field()
    make_current = BooleanField("Make this the current plan", widget=GovCheckboxInput())


class PlanDetailsForm(FlaskForm):
    title = _title_field()
    valid_from = _valid_from_field()
    valid_to = _valid_to_field()


class PriorityForm(FlaskForm):
    title = text_field("Title", limit=MAX_TITLE_LENGTH, named="Title",
                       required="Enter the priority's title",
                       description="For example, Reducing Re-offending")
    objective = text_field("Strategic objective (optional)", limit=MAX_TEXT_LENGTH,
                           named="Objective", kind=BOX)


class KeyAimForm(FlaskForm):
    text = text_field("Key aim", limit=MAX_TEXT_LENGTH, named="Key aim",
                      required="Enter the key aim", kind=BOX,
                      description="Use the plan's own words")
