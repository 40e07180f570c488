"""Form filters and validators shared by every area's forms."""

from wtforms.validators import ValidationError

from grants.money import MoneyError, parse_pounds


def strip_text(value: str | None) -> str | None:
    """The filter of every text field: trim spaces, and drop NUL characters, which PostgreSQL
    cannot store in text (and no one types)."""
    return value.replace("\x00", "").strip() if isinstance(value, str) else value


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
