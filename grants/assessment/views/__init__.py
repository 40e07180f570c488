"""Assessment's pages: staff's application list and screening, the applicant's questions, staff's
reviewer panel, reviewers' own pages, and the ranking with moderation."""

from grants.assessment.views import (
    applicant,  # noqa: F401
    panel,  # noqa: F401
    ranking,  # noqa: F401
    reviewer,  # noqa: F401
    staff,  # noqa: F401
)
from grants.assessment.views.blueprint import bp

__all__ = ["bp"]
