"""The service's own pages, and the layout's navigation and filters."""

from grants.pages.views import service_pages  # noqa: F401  (its routes)
from grants.pages.views.blueprint import bp

__all__ = ["bp"]
