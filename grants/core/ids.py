"""Whole numbers that name a row, in an address or a form: one no row can have is not found.

Every id column is an integer (PostgreSQL's is 32 bits), so a 20-digit id in a path or a
query string would make the database refuse the query, a 500. Paths use `RowIdConverter` (the
app's `int`), query strings and forms `row_id`.
"""

from werkzeug.routing import IntegerConverter

MOST_ID = 2**31 - 1


def row_id(text: object) -> int | None:
    """The id a page or address sends (`"42"`), or None for anything no row can have: not
    ASCII digits ("²" is a digit to isdigit, not to int), zero, or beyond an id column."""
    value = str(text if text is not None else "").strip()
    if value.isascii() and value.isdigit() and len(value) <= len(str(MOST_ID)):
        number = int(value)
        if 0 < number <= MOST_ID:
            return number
    return None


class RowIdConverter(IntegerConverter):
    """`<int:...>` in every route: a number beyond an id column matches no route (404)."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002
                 max: int | None = MOST_ID, signed: bool = False) -> None:  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
