"""Form filters and validators shared by every area's forms."""

from flask import request
from wtforms.validators import ValidationError

from grants.core.money import MoneyError, parse_pounds


def strip_text(value: str | None) -> str | None:
    """The filter of every text field: trim spaces, and drop NUL characters, which PostgreSQL
    cannot store in text (and no one types)."""
    return value.replace("\x00", "").strip() if isinstance(value, str) else value


def saved_values(record):
    """The record an edit form starts from: on a GET only.

    WTForms keeps the object's value for any field a post leaves out, so with the record on a
    POST a required answer left out would be saved as it was, not refused. A post is read from
    what was sent alone.
    """
    return None if request.method == "POST" else record


class Pounds:
    """An amount of money typed in pounds; the pence are kept on the field as `pence`.

    A blank field passes with `pence` None: say whether it is required with DataRequired.
    """

    def __init__(self, *, allow_zero: bool = True) -> None:
        self.allow_zero = allow_zero

    def __call__(self, form, field) -> None:
        field.pence = None
        if not field.data:
            return
        try:
            field.pence = parse_pounds(field.data, allow_zero=self.allow_zero)
        except MoneyError as error:
            raise ValidationError(str(error)) from None
