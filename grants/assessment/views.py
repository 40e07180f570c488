"""Registers every assessment page on the blueprint by importing the modules that hold them."""

from grants.assessment.blueprint import bp

__all__ = ["bp"]

# Each module adds its routes to `bp`.
import grants.assessment.applicant_views  # noqa: E402,F401
import grants.assessment.review_views  # noqa: E402,F401
import grants.assessment.staff_views  # noqa: E402,F401
