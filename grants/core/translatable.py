"""Words said where no language is known yet (an operation's refusal, a constant), marked for
the Welsh catalogue and translated where they are shown (grants.core.refusals); pybabel finds
them by the name `N_` (grants/translations/babel.cfg, README.md "Welsh")."""

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from flask_babel import gettext
from flask_babel.speaklater import LazyString
from markupsafe import escape

from grants.core.formatting import format_london_datetime


def N_(text: str) -> str:  # noqa: N802  (gettext's own name for it)
    """The text as it is: marked only, for pybabel to extract."""
    return text


class Words(str):
    """A marked message with its values put in ("Password must be 10 characters or more"): the
    English words, as any str, that remember the message and values they were made from, so a
    page in another language can say them again in its own.

        Words(N_("Password must be %(minimum)s characters or more"), minimum=10)
    """

    message: str
    values: dict[str, object]

    def __new__(cls, message: str, **values: object) -> "Words":
        words = super().__new__(cls, message % values if values else message)
        words.message = message
        words.values = values
        return words


class Moment(str):
    """A moment or date in a message's values ("5pm on 1 May 2026 (BST)", "March 2026"): its
    English words, as any str, that remember it, so a page in another language says it in its
    own. `show` is how it is said (a grants.core.formatting function taking the language).

        Words(N_("This round opens at %(moment)s"), moment=Moment(round_.opens_at))
    """

    moment: datetime | date
    show: Callable[[Any, str], str]

    def __new__(cls, moment: datetime | date,
                show: Callable[[Any, str], str] = format_london_datetime) -> "Moment":
        words = super().__new__(cls, show(moment, "en"))
        words.moment = moment
        words.show = show
        return words

    def said_in(self, language: str) -> str:
        return self.show(self.moment, language)


class Listed(str):
    """Labels marked for the catalogue, listed as a sentence lists them, lower case and
    between commas ("registered charity, school"): their English words, as any str, that
    remember the labels, so a page in another language says each in its own.

        Words(N_("Open to: %(kinds)s"), kinds=Listed(kind.label for kind in kinds))
    """

    labels: tuple[str, ...]

    def __new__(cls, labels) -> "Listed":
        labels = tuple(labels)
        words = super().__new__(cls, ", ".join(label.lower() for label in labels))
        words.labels = labels
        return words

    def said_in(self, language: str) -> str:
        return ", ".join(gettext(label).lower() for label in self.labels)


class LazyText(LazyString):
    """A form's label, hint or message, said in the language of the page that shows it (as
    Flask-Babel's `lazy_gettext`), and escaped there as any text is: Flask-Babel's own lazy
    string passes for markup, so "organisation's" would reach the page unescaped."""

    def __html__(self) -> str:
        return str(escape(str(self)))


def lazy_text(string: str, **variables: Any) -> LazyText:
    """`lazy_gettext`, escaped where shown: forms import it as `_l` (pybabel finds it by that
    name, README.md "Welsh")."""
    return LazyText(gettext, string, **variables)
