"""The nominations blueprint, `bp`: the High Sheriff's pages, staff's, and claiming an
organisation's account from an invitation."""

from grants.nominations.views import claims, high_sheriff, staff  # noqa: F401  (their routes)
from grants.nominations.views.blueprint import bp

__all__ = ["bp"]
