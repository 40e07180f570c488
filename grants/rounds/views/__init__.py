"""Public pages about funding rounds: the open and upcoming rounds, each round's page, and its
"Check if you can apply". Nobody needs to sign in to read them."""

from grants.rounds.views import checking, pages  # noqa: F401
from grants.rounds.views.blueprint import bp

__all__ = ["bp"]
