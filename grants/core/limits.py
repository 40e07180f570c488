"""Rate limits on sign-in, registration, emails asked for (password reset and confirmation
links), second-factor codes, and finding or inviting people to organisations.

Each limited form is counted twice: per account (the email given, or the person part-way
through signing in) and per client address, so neither guessing one account's password from
many places nor many accounts' from one place gets far. The numbers are settings.

Passwords and second-factor codes are guesses, so each attempt is counted *before* it is
checked, in one atomic step of the shared storage, and given back when it worked: however many
arrive at once, no more are checked than the limit allows. Wrong passwords are counted per
account *at one address* (and, generously, per address across accounts), so an attacker who
runs out of tries locks only their own address out, never the account's owner elsewhere.
"""

import functools
import ipaddress
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app, g, request, session
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse
from limits.strategies import FixedWindowRateLimiter
from werkzeug.exceptions import TooManyRequests
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
    return f"address:{_client_network()}"


def account_at_address_key() -> str:
    return f"{submitted_email_key()}|{address_key()}"


def _client_network() -> str:
    """The client's IPv4 address, or the /64 network of its IPv6 one: one household or
    server is given a whole /64, so counting single IPv6 addresses would give it billions."""
    address = get_remote_address()
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _setting(name: str) -> Callable[[], str]:
    return lambda: current_app.config[name]


def _form_shown_again(response) -> bool:
    # A refused form is shown again (200); one that worked redirects.
    return response.status_code == 200


def _limited(view: Callable, *, per_account: str, per_address: str,
             account_key: Callable) -> Callable:
    """Every POST counts (atomically, before the view runs), whatever its answer."""
    for setting, key in ((per_account, account_key), (per_address, address_key)):
        view = limiter.limit(
            _setting(setting), key_func=key, methods=["POST"], exempt_when=limits_off,
            scope=f"{view.__name__}:{setting}",
        )(view)
    return view


@dataclass(frozen=True)
class Counted:
    """One count of guesses: the setting that gives its limit, and whose guesses they are."""
    setting: str
    key: Callable[[], str]


SIGN_IN_ATTEMPTS = (
    Counted("SIGN_IN_LIMIT_PER_ACCOUNT_AND_ADDRESS", account_at_address_key),
    Counted("SIGN_IN_LIMIT_PER_ADDRESS", address_key),
)
SIGN_IN_CODE_ATTEMPTS = (
    Counted("SIGN_IN_CODE_LIMIT_PER_ACCOUNT", pending_sign_in_key),
    Counted("SIGN_IN_CODE_LIMIT_PER_ADDRESS", address_key),
)
# The key of `g` holding when the limit a refused guess broke lets the next one in.
_RETRY_AT = "grants_retry_at"


def _window() -> FixedWindowRateLimiter:
    # A fixed window whatever RATELIMIT_STRATEGY says: a guess is given back by counting -1.
    return FixedWindowRateLimiter(limiter.storage)


def _identifiers(counted: Counted) -> tuple[RateLimitItem, tuple[str, ...]]:
    item = parse(current_app.config[counted.setting])
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX", "")
    return item, (prefix, "guesses", counted.setting, counted.key())


def take_guess(counts: tuple[Counted, ...]) -> Callable[[], None]:
    """Count one guess in each count, atomically, before it is checked; 429 when any count is
    used up (the guess is then not checked at all). Returns what gives the guess back."""
    if limits_off():
        return lambda: None
    taken = []
    for counted in counts:
        item, identifiers = _identifiers(counted)
        taken.append((item, identifiers))
        if not _window().hit(item, *identifiers):
            g.setdefault(_RETRY_AT, _window().get_window_stats(item, *identifiers).reset_time)
            logger.warning("Too many guesses: %s used up", counted.setting)
            raise TooManyRequests()

    def give_back() -> None:
        # The count can only go down within its window: a window that ended meanwhile starts
        # the next one from nothing either way.
        for item, identifiers in taken:
            key = item.key_for(*identifiers)
            if limiter.storage.get(key) > 0:
                limiter.storage.incr(key, item.get_expiry(), amount=-1)

    return give_back


def _guesses_limited(counts: tuple[Counted, ...]) -> Callable[[Callable], Callable]:
    """Each POST to the view is a guess counted before the view checks it, and given back when
    the view's answer says it was right (a redirect; a refused form is shown again)."""
    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def limited(*args, **kwargs):
            if request.method != "POST":
                return view(*args, **kwargs)
            give_back = take_guess(counts)
            response = current_app.make_response(view(*args, **kwargs))
            if not _form_shown_again(response):
                give_back()
            return response
        return limited
    return decorate


def sign_in_limits(view: Callable) -> Callable:
    """Count sign-ins per email at one address and per address, before the password is
    checked; the ones that work are given back."""
    return _guesses_limited(SIGN_IN_ATTEMPTS)(view)


def password_reset_limits(view: Callable) -> Callable:
    """Count every request for a reset link per email and per address."""
    return _limited(view, per_account="PASSWORD_RESET_LIMIT_PER_ACCOUNT",
                    per_address="PASSWORD_RESET_LIMIT_PER_ADDRESS",
                    account_key=submitted_email_key)


def registration_limits(view: Callable) -> Callable:
    """Count every registration per email and per address: each can send an email."""
    return _limited(view, per_account="REGISTRATION_LIMIT_PER_ACCOUNT",
                    per_address="REGISTRATION_LIMIT_PER_ADDRESS",
                    account_key=submitted_email_key)


def confirmation_email_limits(view: Callable) -> Callable:
    """Count every request for a new confirmation link per account and per address."""
    return _limited(view, per_account="CONFIRMATION_EMAIL_LIMIT_PER_ACCOUNT",
                    per_address="CONFIRMATION_EMAIL_LIMIT_PER_ADDRESS",
                    account_key=signed_in_user_key)


def join_request_limits(view: Callable) -> Callable:
    """Count every request to join an organisation by its number, per account and per address,
    whether or not an organisation has the number: the count, like the answer, must not tell."""
    return _limited(view, per_account="JOIN_REQUEST_LIMIT_PER_ACCOUNT",
                    per_address="JOIN_REQUEST_LIMIT_PER_ADDRESS",
                    account_key=signed_in_user_key)


def organisation_registration_limits(view: Callable) -> Callable:
    """Count every registration of an organisation per account and per address: each finds
    whether its numbers are registered already, so trying number after number is slowed."""
    return _limited(view, per_account="ORGANISATION_REGISTRATION_LIMIT_PER_ACCOUNT",
                    per_address="ORGANISATION_REGISTRATION_LIMIT_PER_ADDRESS",
                    account_key=signed_in_user_key)


def invitation_limits(view: Callable) -> Callable:
    """Count every invitation to join an organisation per account and per address: each sends
    an email to an address the member types."""
    return _limited(view, per_account="INVITATION_LIMIT_PER_ACCOUNT",
                    per_address="INVITATION_LIMIT_PER_ADDRESS",
                    account_key=signed_in_user_key)


def sign_in_code_limits(view: Callable) -> Callable:
    """Count second-factor codes per person signing in and per address, before the code is
    checked; the ones that work are given back."""
    return _guesses_limited(SIGN_IN_CODE_ATTEMPTS)(view)


def minutes_until_retry() -> int | None:
    """Whole minutes until the limit this request broke lets the next attempt in."""
    resets_at = g.get(_RETRY_AT)
    if resets_at is None:
        current = limiter.current_limit
        if current is None or not current.breached:
            return None
        resets_at = current.window[0]
    return max(1, math.ceil((resets_at - time.time()) / 60))
