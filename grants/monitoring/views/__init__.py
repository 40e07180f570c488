"""The monitoring blueprint, `bp`: the recipient's pages (views/recipient.py: the reports a
grant owes, filling one in and sending it, its documents) and staff's (views/staff.py: the
overview, reviewing a report, repayments and variations)."""

from grants.monitoring.views import recipient, staff  # noqa: F401  (their routes)
from grants.monitoring.views.blueprint import bp

__all__ = ["bp"]
