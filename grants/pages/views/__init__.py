"""The service's own pages, and the layout's navigation and filters."""

from grants.pages.views import language, service_pages  # noqa: F401  (their routes)
from grants.pages.views.blueprint import bp

__all__ = ["bp"]
