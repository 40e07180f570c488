"""Links: absolute ones for emails, and the one check that a return address stays on this site."""

from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an email, built on BASE_URL and never on the request's Host header
    (which a visitor controls), so it works the same from a request, the CLI or the outbox."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path


def safe_path(target: str | None) -> str | None:
    """The target when it is a path on this site, None otherwise: the one check of every
    `next`, back link and return address, so that none can send people to another site.

    Refused: anything not starting with one "/", a scheme or host ("//evil.example",
    "/\\evil.example": browsers read a backslash as a slash), and control characters, which
    browsers drop ("/\\t/evil.example" is "//evil.example" to them) and no path of ours holds.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(char) < 32 or 127 <= ord(char) < 160 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def path_on(url: str, origin: str) -> str | None:
    """The path of `url` when it is an address on `origin` (the same scheme and host), None
    when it leads anywhere else."""
    parts, home = urlsplit(url), urlsplit(origin)
    if (parts.scheme, parts.netloc) != (home.scheme, home.netloc):
        return None
    return parts.path
