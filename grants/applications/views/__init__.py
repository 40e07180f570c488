"""Applying for a grant: the applications blueprint, with its routes from each module here."""

from grants.applications.views import (
    documents,  # noqa: F401
    sections,  # noqa: F401
    sessions,  # noqa: F401
    starting,  # noqa: F401
    submission,  # noqa: F401
)
from grants.applications.views.blueprint import bp  # noqa: F401
