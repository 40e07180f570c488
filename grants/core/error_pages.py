"""Error pages in the service's layout, and the mapping from exceptions to them.

No page shows a stack trace; unexpected errors are logged with theirs.
"""

import logging

from flask import Flask, current_app, g, jsonify, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import (
    DBAPIError,
    InterfaceError,
    NoResultFound,
    OperationalError,
    SQLAlchemyError,
)
from werkzeug.exceptions import HTTPException, InternalServerError

from grants.core.errors import AccessError, Refusal
from grants.core.limits import minutes_until_retry
from grants.core.refusals import in_page_language
from grants.core.translatable import lazy_text as _l
from grants.extensions import db

logger = logging.getLogger(__name__)

HTTP_ERROR_CODES = (400, 401, 403, 404, 405, 413, 429)
CSRF_MESSAGE = _l(
    "Your form expired or was sent from elsewhere. Go back, reload the page and try again."
)
HEALTH_CHECK_ENDPOINT = "pages.healthz"


def register_error_handlers(app: Flask) -> None:
    for code in HTTP_ERROR_CODES:
        app.register_error_handler(code, http_error)
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(Refusal, refusal)
    app.register_error_handler(AccessError, access_error)
    app.register_error_handler(NoResultFound, no_result_found)
    app.register_error_handler(DBAPIError, database_error)
    app.register_error_handler(InternalServerError, internal_server_error)


def http_error(error: HTTPException):
    # Keep the headers the error carries, such as Allow (405) and Retry-After (429).
    headers = [(name, value) for name, value in error.get_headers()
               if name.lower() != "content-type"]
    context = {}
    if error.code == 401:
        context["sign_in_url"] = url_for("accounts.sign_in")
    if error.code == 413:
        context["max_megabytes"] = _max_upload_megabytes()
    if error.code == 429:
        wait = minutes_until_retry()
        context["wait_minutes"] = wait
        if wait is not None and not any(name.lower() == "retry-after" for name, _ in headers):
            headers.append(("Retry-After", str(wait * 60)))
    return _render(f"errors/{error.code}.html", error.code, headers, **context)


def csrf_error(error: CSRFError):
    logger.info("Refused a form without a valid CSRF token: %s", error.description)
    return _render("errors/400.html", 400, message=CSRF_MESSAGE)


def refusal(error: Refusal):
    """A business rule said no to a request that no form could show the answer on."""
    rollback_quietly()
    logger.info("Refused a request: %s (%s)", type(error).__name__, error.status_code)
    return _render("errors/refusal.html", error.status_code,
                   status_code=error.status_code, message=in_page_language(error.message))


def access_error(error: AccessError):
    """Not found or forbidden: the same pages as any other 404 or 403, with nothing more said."""
    rollback_quietly()
    return _render(f"errors/{error.status_code}.html", error.status_code)


def no_result_found(error: NoResultFound):
    rollback_quietly()
    return _render("errors/404.html", 404)


def database_error(error: DBAPIError):
    """The database is down or unreachable: say so (503) instead of failing with a 500."""
    if not _is_database_unavailable(error):
        # Integrity and data errors are faults in the service, not an outage.
        logger.error("Unexpected database error", exc_info=error)
        return internal_server_error(InternalServerError(original_exception=error))
    logger.error("The database is unavailable", exc_info=error)
    rollback_quietly()
    _forget_user()
    if request.endpoint == HEALTH_CHECK_ENDPOINT:
        return jsonify(status="unavailable"), 503
    return _render("errors/503.html", 503, [("Retry-After", "60")], hide_navigation=True)


def internal_server_error(error: InternalServerError):
    # Flask has already logged the exception with its traceback.
    rollback_quietly()
    return _render("errors/500.html", 500)


def rollback_quietly() -> None:
    """Roll back the request's session; a broken connection must not hide the first error."""
    try:
        db.session.rollback()
    except SQLAlchemyError:
        logger.warning("Could not roll back the session", exc_info=True)


def _is_database_unavailable(error: DBAPIError) -> bool:
    return isinstance(error, OperationalError | InterfaceError) or error.connection_invalidated


def _forget_user() -> None:
    """Treat the request as signed out, so the error page does not ask the database who it is.

    Flask-Login keeps the loaded user in `g._login_user` and loads it again when it is missing.
    """
    g._login_user = current_app.login_manager.anonymous_user()


def _render(template: str, status: int, headers=None, **context):
    try:
        body = render_template(template, **context)
    except SQLAlchemyError:
        # The layout asks who is signed in, which needs the database; show the page without.
        logger.warning("Rendering %s needed the database, which failed", template, exc_info=True)
        rollback_quietly()
        _forget_user()
        body = render_template(template, **{**context, "hide_navigation": True})
    return body, status, headers or []


def _max_upload_megabytes() -> int | None:
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    return limit // (1024 * 1024) if limit else None
