"""`N_` marks words for the Welsh catalogue where no language is known yet (an operation's
refusal, a constant): they are translated where they are shown (grants.core.refusals), and
pybabel finds them by this name (babel.cfg)."""


def N_(text: str) -> str:  # noqa: N802  (gettext's own name for it)
    """The text as it is: marked only, for pybabel to extract."""
    return text
