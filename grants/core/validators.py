"""Form filters and validators shared by every area's forms."""

import re

from flask import request
from flask_babel import gettext
from wtforms.validators import ValidationError

from grants.core.money import MoneyError, parse_pounds
from grants.core.refusals import in_page_language


def strip_text(value: str | None) -> str | None:
    """The filter of every text field: trim spaces, and drop NUL characters, which PostgreSQL
    cannot store in text (and no one types)."""
    return value.replace("\x00", "").strip() if isinstance(value, str) else value


def sent_number(text: str | None) -> int | None:
    """A number a page sends back (an id, a version), or None for anything else: ASCII digits
    only ("²" is a digit to isdigit, not to int), few enough for the database."""
    if text and text.isascii() and text.isdigit() and len(text) <= 9:
        return int(text)
    return None


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
            raise ValidationError(in_page_language(str(error))) from None


def count_words(text: str | None) -> int:
    """Words as the character count component counts them: runs of non-space characters."""
    return len(re.findall(r"\S+", text or ""))


class WordLimit:
    """At most `limit` words, checked on the server whatever the browser did."""

    def __init__(self, limit: int, name: str | None = None) -> None:
        self.limit = limit
        # What the message calls the field, when its label is a question.
        self.name = name

    def __call__(self, form, field) -> None:
        if count_words(field.data) > self.limit:
            raise ValidationError(gettext("%(name)s must be %(limit)s words or fewer",
                                          name=self.name or field.label.text, limit=self.limit))


_WHOLE_NUMBER = re.compile(r"^-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)$")


class WholeNumber:
    """A whole number, with or without thousands commas; kept on the field as `number`.
    Whether it is in range is the rules' business."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form, field) -> None:
        field.number = None
        value = (field.data or "").replace(" ", "")
        if not _WHOLE_NUMBER.match(value):
            raise ValidationError(self.message)
        field.number = int(value.replace(",", ""))
