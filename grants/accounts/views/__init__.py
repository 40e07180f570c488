"""Pages for registering, signing in and out, the account page, email verification, password
reset and the second factor; `sessions` ends idle or old sessions on every request."""

from grants.accounts.views import account, passwords, registration, signing_in  # noqa: F401
from grants.accounts.views.blueprint import bp

__all__ = ["bp"]
