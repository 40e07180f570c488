"""Words said where no language is known yet (an operation's refusal, a constant), marked for
the Welsh catalogue and translated where they are shown (grants.core.refusals); pybabel finds
them by the name `N_` (grants/translations/babel.cfg, README.md "Welsh")."""


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
