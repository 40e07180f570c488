"""Forms for plans, their priorities and key aims.

Fields check what one answer must look like; rules that need the database (a code already
taken) or two answers (dates in order) are the services' and come back as field errors.
"""

from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovDateInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, StopValidation

from grants.core.validators import strip_text as _strip
from grants.plans.services import (
    MAX_CODE_LENGTH,
    MAX_TEXT_LENGTH,
    MAX_TITLE_LENGTH,
)

DATE_PARTS = ("day", "month", "year")


def _number(text: str, digits: int, *, exactly: bool = False) -> bool:
    """Whether the text is a number of at most (or exactly) so many ASCII digits."""
    return (text.isascii() and text.isdigit()
            and (len(text) == digits if exactly else len(text) <= digits))


class DayMonthYearInput(GovDateInput):
    """GOV.UK date input whose day box carries the field's id, so the error summary's link
    ("#valid_from") lands on a box people can type in."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        params["id"] = f"{field.id}-date"
        if field.raw_data is None and field.data:
            # A saved date shows as people type one: 1 4 2021, not 01 04 2021.
            saved = (field.data.day, field.data.month, field.data.year)
            for item, value in zip(params["items"], saved, strict=True):
                item["value"] = str(value)
        for item, part in zip(params["items"], DATE_PARTS, strict=True):
            item["id"] = field.id if part == "day" else f"{field.id}-{part}"
            item.setdefault("attributes", {})["inputmode"] = "numeric"
        return params


class DayMonthYearField(DateField):
    """A date typed as day, month and year boxes, with the GOV.UK pattern's error messages.

    `called` is how messages speak of the date ("Valid from"); `required` is the message when it
    is left empty, or None when it may be.
    """

    widget = DayMonthYearInput()

    def __init__(self, label: str, *, called: str | None = None,
                 required: str | None = None, **kwargs) -> None:
        super().__init__(label, format="%d %m %Y", **kwargs)
        self.date_name = called or label
        self.required_message = required

    def process_formdata(self, valuelist: list[str]) -> None:
        # Always three boxes, whatever was (or was not) sent, so the widget can show them.
        parts = [(value or "").strip() for value in list(valuelist)[:3]]
        parts += [""] * (3 - len(parts))
        self.raw_data = parts
        self.data = None
        if not any(parts):
            return
        missing = [name for name, value in zip(DATE_PARTS, parts, strict=True) if not value]
        if missing:
            raise ValueError(f"{self.date_name} must include a {' and '.join(missing)}")
        day, month, year = parts
        if not (_number(day, 2) and _number(month, 2) and _number(year, 4, exactly=True)):
            raise ValueError(f"{self.date_name} must be a real date")
        try:
            self.data = date(int(year), int(month), int(day))
        except ValueError:
            raise ValueError(f"{self.date_name} must be a real date") from None

    def pre_validate(self, form) -> None:
        if self.process_errors:
            raise StopValidation()
        if self.data is None and self.required_message:
            raise StopValidation(self.required_message)


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
