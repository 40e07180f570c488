"""Rate limits on sign-in, registration, emails asked for (password reset and confirmation
links) and second-factor codes.

Each limited form is counted twice: per account (the email given, or the person part-way
through signing in) and per client address, so neither guessing one account's password from
many places nor many accounts' from one place gets far. The numbers are settings.
"""

import logging
import math
import time
from collections.abc import Callable

from flask import Flask, current_app, request, session
from flask_limiter.util import get_remote_address
from werkzeug.middleware.proxy_fix import ProxyFix

from grants.extensions import limiter

logger = logging.getLogger(__name__)

# The session key naming the person who gave a right password and owes a second-factor code.
PENDING_SIGN_IN = "pending_sign_in"


def init_app(app: Flask) -> None:
    """Start the limiter; behind proxies, count the client's address, not the last proxy's."""
    proxies = app.config["TRUSTED_PROXY_COUNT"]
    if proxies:
        # Only as many X-Forwarded-For entries as there are proxies of ours are believed; a
        # client cannot choose its own address by sending the header itself.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies)
    limiter.init_app(app)


def limits_off() -> bool:
    """True when the limits are switched off by the RATE_LIMITS_APPLY setting."""
    return not current_app.config["RATE_LIMITS_APPLY"]


def submitted_email_key() -> str:
    # Lower-cased and stripped as the services match it, so "A@x" and " a@x" share a count.
    email = (request.form.get("email") or "").strip().lower()
    return f"account:{email}"


def pending_sign_in_key() -> str:
    pending = session.get(PENDING_SIGN_IN) or {}
    return f"pending:{pending.get('user_id', '')}"


def signed_in_user_key() -> str:
    from flask_login import current_user

    return f"user:{current_user.get_id() if current_user.is_authenticated else ''}"


def address_key() -> str:
    return f"address:{get_remote_address()}"


def _setting(name: str) -> Callable[[], str]:
    return lambda: current_app.config[name]


def _form_shown_again(response) -> bool:
    # A refused form is shown again (200); one that worked redirects.
    return response.status_code == 200


def _limited(view: Callable, *, per_account: str, per_address: str, account_key: Callable,
             only_refusals: bool) -> Callable:
    deduct_when = _form_shown_again if only_refusals else None
    for setting, key in ((per_account, account_key), (per_address, address_key)):
        view = limiter.limit(
            _setting(setting), key_func=key, methods=["POST"], exempt_when=limits_off,
            deduct_when=deduct_when, scope=f"{view.__name__}:{setting}",
        )(view)
    return view


def sign_in_limits(view: Callable) -> Callable:
    """Count refused sign-ins per email and per address."""
    return _limited(view, per_account="SIGN_IN_LIMIT_PER_ACCOUNT",
                    per_address="SIGN_IN_LIMIT_PER_ADDRESS", account_key=submitted_email_key,
                    only_refusals=True)


def password_reset_limits(view: Callable) -> Callable:
    """Count every request for a reset link per email and per address."""
    return _limited(view, per_account="PASSWORD_RESET_LIMIT_PER_ACCOUNT",
                    per_address="PASSWORD_RESET_LIMIT_PER_ADDRESS",
                    account_key=submitted_email_key, only_refusals=False)


def registration_limits(view: Callable) -> Callable:
    """Count every registration per email and per address: each can send an email."""
    return _limited(view, per_account="REGISTRATION_LIMIT_PER_ACCOUNT",
                    per_address="REGISTRATION_LIMIT_PER_ADDRESS",
                    account_key=submitted_email_key, only_refusals=False)


def confirmation_email_limits(view: Callable) -> Callable:
    """Count every request for a new confirmation link per account and per address."""
    return _limited(view, per_account="CONFIRMATION_EMAIL_LIMIT_PER_ACCOUNT",
                    per_address="CONFIRMATION_EMAIL_LIMIT_PER_ADDRESS",
                    account_key=signed_in_user_key, only_refusals=False)


def sign_in_code_limits(view: Callable) -> Callable:
    """Count wrong second-factor codes per person signing in and per address."""
    return _limited(view, per_account="SIGN_IN_CODE_LIMIT_PER_ACCOUNT",
                    per_address="SIGN_IN_CODE_LIMIT_PER_ADDRESS",
                    account_key=pending_sign_in_key, only_refusals=True)


def minutes_until_retry() -> int | None:
    """Whole minutes until the limit this request broke lets the next attempt in."""
    current = limiter.current_limit
    if current is None or not current.breached:
        return None
    resets_at = current.window[0]
    return max(1, math.ceil((resets_at - time.time()) / 60))


def first_use(key: str, *, seconds: int) -> bool:
    """True the first time the key is seen within `seconds`, in the rate limits' storage, which
    every worker shares (so a one-time code is refused the second time, whoever serves it)."""
    try:
        return limiter.storage.incr(f"grants:once:{key}", seconds) == 1
    except Exception:  # storage down (e.g. Redis): the code was right, so let the person in
        logger.exception("Could not check whether %s was used before", key)
        return True
