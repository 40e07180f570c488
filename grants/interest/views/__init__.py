"""Expressions of interest: the blueprint, with its routes from each module here."""

from grants.interest.views import (
    applicant,  # noqa: F401
    staff,  # noqa: F401
)
from grants.interest.views.blueprint import bp  # noqa: F401
