"""Form fields every area's forms share: typed text, a required choice, money in pounds, whole
numbers, dates and times, and the conflict-of-interest question.

Each field checks what one answer must look like and keeps what was typed, so a page shows it
again with the error.
"""

from datetime import date, time

from flask_babel import gettext
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovRadioInput, GovTextInput
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, StopValidation

from grants.core import clock
from grants.core.money import MoneyError, parse_pounds, pounds_text
from grants.core.translatable import lazy_text as _l
from grants.core.validators import strip_text
from grants.core.widgets import CharacterCount, DateInput, RadioInput, TextArea, TextInput
from grants.core.wording import OfficeText

TIME_HINT = "For example, 9am, midday or 5:30pm, UK time"
CLOSING_TIME_HINT = "For example, midday, 5:30pm or midnight (the end of the day), UK time"

# How a typed answer is shown: one line, a box, or a box that counts what is left.
LINE, BOX, COUNTED = "line", "box", "counted"
_TEXT_KINDS = {
    LINE: (StringField, TextInput),
    BOX: (TextAreaField, TextArea),
    COUNTED: (TextAreaField, CharacterCount),
}


def text_field(label: str, *, limit: int, named: str, required: str | None = None,
               kind: str = LINE, validators=(), **kwargs):
    """A typed answer of at most `limit` characters, trimmed: every form's text fields.

    `required` is the message when it is left empty (None: it may be); `named` starts the
    message when it is too long ("Address must be 500 characters or fewer"); `kind` is LINE,
    BOX or COUNTED; `validators` run after those two.
    """
    field_class, widget = _TEXT_KINDS[kind]
    first = DataRequired(required) if required else Optional()
    too_long = Length(max=limit, message=_l("%(named)s must be %(limit)s characters or fewer",
                                            named=named, limit=f"{limit:,}"))
    return field_class(label, filters=[strip_text, *kwargs.pop("filters", [])],
                       validators=[first, too_long, *validators],
                       widget=kwargs.pop("widget", widget()), **kwargs)


def radio_field(label: str, *, required: str, **kwargs) -> RadioField:
    """One answer chosen from radio buttons, which must be given: `required` is the message
    when none is chosen. Every form's required radio questions."""
    return RadioField(label, validators=[InputRequired(required)], widget=RadioInput(),
                      **kwargs)


class MoneyField(StringField):
    """An amount typed in pounds ("£5,000", "5000", "5000.50"), as integer pence in `data`.

    Anything else is an error on the field, in the page's language, and the field shows again
    what was typed.
    """

    widget = TextInput()

    def __init__(self, label=None, validators=None, *, required_message: str | None = None,
                 allow_zero: bool = True, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.required_message = required_message
        self.allow_zero = allow_zero

    def process_data(self, value):
        self.data = value

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            if self.required_message:
                raise ValueError(self.required_message)
            return
        try:
            self.data = parse_pounds(text, allow_zero=self.allow_zero)
        except MoneyError as error:
            raise ValueError(gettext(str(error))) from error

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return pounds_text(self.data)


class DateBoxesField(DateField):
    """A date typed in day, month and year boxes; the form's validators give the messages,
    and a half-typed answer shows again as it was typed."""

    widget = DateInput()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format="%d %m %Y", **kwargs)


def award_focus_fields() -> tuple[RadioField, SelectMultipleField, RadioField]:
    """What an award made outside a bidding round serves (a top-slice award, a direct award):
    its priority, key aims of that priority, and whether it serves the whole of the office's area.
    Declared in the form's body as `priority, key_aims, whole_thames_valley =
    award_focus_fields()`, so they keep their place among the form's fields; the page shows them
    with templates/macros/award_focus.html."""
    priority = RadioField("Which priority does it support?", coerce=int,
                          validators=[InputRequired("Choose the priority the award supports")],
                          invalid_choice_message="Choose a priority from the list")
    key_aims = SelectMultipleField("Key aims", coerce=int,
                                   invalid_choice_message="Choose key aims from the list")
    whole_thames_valley = RadioField(
        OfficeText("Does it serve the whole of {office.short_name}?"),
        choices=[("yes", "Yes"), ("no", "No, only the organisation's own areas")],
        default="yes", validators=[InputRequired(OfficeText(
            "Choose whether it serves the whole of {office.short_name}"))],
        widget=GovRadioInput())
    return priority, key_aims, whole_thames_valley


def date_field(label: str, *, example: str, required: str | None = None, validators=()):
    """A date typed in day, month and year boxes, with an example ("1 4 2027") as its hint.

    `required` is the message when it is left empty; without it, `validators` alone decide.
    """
    first = [InputRequired(required)] if required else []
    return DateBoxesField(label, description=_l("For example, %(example)s", example=example),
                          validators=[*first, *validators])


class LondonDateField(DateField):
    """A GOV.UK date input (day, month, year) with messages that name the date."""

    widget = GovDateInput()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format="%d %m %Y", **kwargs)

    def process_formdata(self, valuelist):
        self.data = None
        parts = [value.strip() for value in valuelist]
        if len(parts) != 3:
            self.raw_data = None
            parts = ["", "", ""]
        name = self.label.text
        if not any(parts):
            raise ValueError(f"Enter the {name.lower()}")
        if not all(parts):
            raise ValueError(f"{name} must include a day, month and year")
        day, month, year = parts
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValueError(f"{name} must be a real date, like 27 3 2026")
        if len(year) != 4:
            raise ValueError("Year must include 4 numbers")
        try:
            self.data = date(int(year), int(month), int(day))
        except ValueError as error:
            raise ValueError(f"{name} must be a real date, like 27 3 2026") from error


class TimeOfDayField(StringField):
    """A time of day typed as "12:00", "17:30" or "5:30pm"; the parsed time is in `time`.

    A `closing` time is a deadline: "midnight" means the end of the day, and 12am or 00:00
    are refused as meaning either end (see `clock.parse_closing_time`).
    """

    widget = GovTextInput()

    def __init__(self, label=None, validators=None, *, closing: bool = False, **kwargs):
        kwargs.setdefault("description", CLOSING_TIME_HINT if closing else TIME_HINT)
        super().__init__(label, validators, **kwargs)
        self.closing = closing
        self.time: time | None = None

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.time = None
        if not (self.data or "").strip():
            raise ValueError(f"Enter the {self.label.text.lower()}")
        try:
            parse = clock.parse_closing_time if self.closing else clock.parse_time_of_day
            self.time = parse(self.data)
        except clock.TimeError as error:
            raise ValueError(str(error)) from error


class WholeNumberField(IntegerField):
    """A whole number, with a message that names the field when it is not one."""

    widget = GovTextInput()

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            return
        digits = text.removeprefix("-")
        # ASCII only: "²".isdigit() is true, but int() refuses it with a message for developers.
        if not (digits.isascii() and digits.isdigit()) or len(text) > 9:
            raise ValueError(f"{self.label.text} must be a whole number, like 5")
        self.data = int(text)


DATE_PARTS = ("day", "month", "year")
# How a message names a missing part, in the page's language.
_PART_NAMES = {"day": _l("day"), "month": _l("month"), "year": _l("year")}


def _number(text: str, digits: int, *, exactly: bool = False) -> bool:
    """Whether the text is a number of at most (or exactly) so many ASCII digits."""
    return (text.isascii() and text.isdigit()
            and (len(text) == digits if exactly else len(text) <= digits))


class DayMonthYearInput(DateInput):
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
            said = [_PART_NAMES[name] for name in missing]
            raise ValueError(gettext("%(date)s must include a %(parts)s", date=self.date_name,
                                     parts=said[0] if len(said) == 1 else gettext(
                                         "%(first)s and %(second)s", first=said[0],
                                         second=said[1])))
        day, month, year = parts
        if not (_number(day, 2) and _number(month, 2) and _number(year, 4, exactly=True)):
            raise ValueError(gettext("%(date)s must be a real date", date=self.date_name))
        try:
            self.data = date(int(year), int(month), int(day))
        except ValueError:
            raise ValueError(gettext("%(date)s must be a real date",
                                     date=self.date_name)) from None

    def pre_validate(self, form) -> None:
        if self.process_errors:
            raise StopValidation()
        if self.data is None and self.required_message:
            raise StopValidation(self.required_message)


NO_CONFLICT = "no"
HAS_CONFLICT = "yes"
CONFLICT_NOTE_HINT = ("For example, you are a trustee, employee or volunteer of the "
                      "organisation, or close to someone who is")


class ConflictDeclarationForm(FlaskForm):
    """Whether a reviewer or decider has a conflict of interest with the organisation; each
    form adds its own `note` field describing it."""

    conflict = RadioField(
        "Do you have a conflict of interest with this organisation?",
        choices=[(NO_CONFLICT, "I have no conflict of interest"),
                 (HAS_CONFLICT, "I have a conflict of interest")],
        validators=[InputRequired("Select whether you have a conflict of interest")],
        validate_choice=False,
        widget=GovRadioInput())

    def has_conflict(self) -> bool | None:
        return {NO_CONFLICT: False, HAS_CONFLICT: True}.get(self.conflict.data)
