"""What browsers and caches may keep.

Nothing shown to a signed-in person, and nothing that depends on a visitor's session (a form's
CSRF token, a message after a redirect), may be kept: `Cache-Control: no-store`, so a shared
computer's back button or disk cache cannot show bank details to the next person. A public
page seen without a session may be kept for a minute by anyone, with an ETag so that a
browser asking again gets "not modified" (304) when nothing has changed.

The stylesheet, scripts and images are named in pages with a fingerprint of their content
(`?v=…`), so a browser keeps them for a year and never asks again until they change; asked for
without the fingerprint (a font named by the stylesheet), a file is revalidated each time.
"""

import hashlib
from pathlib import Path

from flask import Flask, Response, current_app, request, session

# A minute: long enough for a proxy or CDN in front to serve a rush on the public pages
# (the rounds list, a round's page, the register), short enough that a round opening or a
# decision published shows within it.
PUBLIC_MAX_AGE_SECONDS = 60
FINGERPRINTED_MAX_AGE_SECONDS = 365 * 24 * 3600
FINGERPRINT = "v"
# What asks a cacheable page "has it changed?": only then is it worth comparing (a page asked for
# plainly is sent whole, with its ETag).
_CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MATCH", "HTTP_IF_MODIFIED_SINCE",
                        "HTTP_IF_UNMODIFIED_SINCE")
_PUBLIC = f"public, max-age={PUBLIC_MAX_AGE_SECONDS}"


def install(app: Flask) -> None:
    app.url_defaults(_fingerprint_static_files)
    app.after_request(cache_headers)


_fingerprints: dict[tuple[str, int, int], str] = {}
# A served file's fingerprint by its folder and name, for a process whose files do not change
# while it runs (everything but the development server, whose assets are rebuilt under it).
_served: dict[tuple[str, str], str | None] = {}


def fingerprint(static_folder: str, filename: str) -> str | None:
    """A short digest of a static file's content (None when there is no such file), computed once
    for each version of the file (its size and time of change name the version). A page names
    its stylesheet, scripts and icon by it: outside debug mode it is looked up without asking
    the file system each time."""
    if current_app.debug:
        return _read_fingerprint(static_folder, filename)
    key = (static_folder, filename)
    if key not in _served:
        _served[key] = _read_fingerprint(static_folder, filename)
    return _served[key]


def _read_fingerprint(static_folder: str, filename: str) -> str | None:
    path = Path(static_folder, filename)
    try:
        stat = path.stat()
    except (OSError, ValueError):
        return None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _fingerprints:
        _fingerprints[key] = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return _fingerprints[key]


def _fingerprint_static_files(endpoint: str, values: dict) -> None:
    if endpoint != "static" or FINGERPRINT in values or current_app.static_folder is None:
        return
    version = fingerprint(current_app.static_folder, values.get("filename", ""))
    if version:
        values[FINGERPRINT] = version


def cache_headers(response: Response) -> Response:
    if request.endpoint == "static":
        # Kept for a year when asked for under the fingerprint of the file as it is now.
        asked = request.args.get(FINGERPRINT)
        filename = (request.view_args or {}).get("filename", "")
        if (response.status_code == 200 and asked and current_app.static_folder is not None
                and asked == fingerprint(current_app.static_folder, filename)):
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = FINGERPRINTED_MAX_AGE_SECONDS
            response.cache_control.immutable = True
        return response
    # A signed-in person's session holds who they are; a "remember me" cookie makes one.
    # (Read from the session, not the user: the user's row is expired after the commit.)
    remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    personal = bool(session) or remembered in request.cookies
    # An answer that sets a cookie (the language switch's) is that visitor's alone.
    sets_cookie = "Set-Cookie" in response.headers
    if personal or sets_cookie or request.method not in {"GET", "HEAD"}:
        response.headers["Cache-Control"] = "no-store"
        return response
    response.vary.add("Cookie")
    if response.status_code != 200 or "Cache-Control" in response.headers:
        return response
    response.headers["Cache-Control"] = _PUBLIC
    if not response.is_streamed:
        response.add_etag()
        if any(header in request.environ for header in _CONDITIONAL_HEADERS):
            response.make_conditional(request)
    return response
