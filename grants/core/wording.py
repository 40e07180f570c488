"""Words that name the office, in texts made before any office is known (a form's labels,
choices and messages are made once, when its module is imported): `OfficeText` is worked out
each time it is shown, with the office of the page (the layout's template global `office`), in
the page's language when its text is marked (`OfficeText(N_("…"))`, grants.core.translatable)."""

from typing import Any

from flask import current_app
from flask_babel import gettext
from markupsafe import escape


class OfficeText:
    """A text with `{office.…}` in it ("The whole of {office.short_name}"), shown for the
    page's office."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return gettext(self.text).format(office=current_app.jinja_env.globals["office"])

    def __html__(self) -> str:
        return str(escape(str(self)))

    def __repr__(self) -> str:
        return f"OfficeText({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return str(self) == (str(other) if isinstance(other, OfficeText) else other)

    def __hash__(self) -> int:
        return hash(self.text)

    def __add__(self, other: str) -> str:
        return str(self) + other

    def __radd__(self, other: str) -> str:
        return other + str(self)

    def __len__(self) -> int:
        return len(str(self))

    def __getattr__(self, name: str) -> Any:
        # Anything else a str does (lower(), format(), …), done to the text as shown.
        return getattr(str(self), name)
