"""Form validators shared by every area's forms."""

from wtforms.validators import ValidationError

from grants.money import MoneyError, parse_pounds


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
