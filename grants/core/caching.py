"""What browsers and caches may keep.

Nothing shown to a signed-in person, and nothing that depends on a visitor's session (a form's
CSRF token, a message after a redirect), may be kept: `Cache-Control: no-store`, so a shared
computer's back button or disk cache cannot show bank details to the next person. A public
page seen without a session may be kept for a few minutes by anyone, with an ETag so that a
browser asking again gets "not modified" (304) when nothing has changed.
"""

from flask import Flask, Response, current_app, request, session

PUBLIC_MAX_AGE_SECONDS = 300


def install(app: Flask) -> None:
    app.after_request(cache_headers)


def cache_headers(response: Response) -> Response:
    if request.endpoint == "static":
        return response  # fingerprinted files: Flask's own caching
    # A signed-in person's session holds who they are; a "remember me" cookie makes one.
    # (Read from the session, not the user: the user's row is expired after the commit.)
    remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    personal = bool(session) or remembered in request.cookies
    if personal or request.method not in {"GET", "HEAD"}:
        response.headers["Cache-Control"] = "no-store"
        return response
    response.vary.add("Cookie")
    if response.status_code != 200 or "Cache-Control" in response.headers:
        return response
    response.cache_control.public = True
    response.cache_control.max_age = PUBLIC_MAX_AGE_SECONDS
    if not response.is_streamed:
        response.add_etag()
        response.make_conditional(request)
    return response
