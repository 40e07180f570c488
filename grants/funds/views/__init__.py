"""Staff pages for funds and rounds: set up, launch, and the later steps of a round."""

from grants.funds.views import (
    application_questions,  # noqa: F401
    funds,  # noqa: F401
    questions_and_criteria,  # noqa: F401
    rounds,  # noqa: F401
    setup,  # noqa: F401
)
from grants.funds.views.blueprint import bp

__all__ = ["bp"]
