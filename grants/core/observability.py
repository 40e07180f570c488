"""What an operator sees: a request id on every log line and response, logs as JSON lines in
production, and errors reported to Sentry when SENTRY_DSN is set.

The request id comes from the proxy's `X-Request-Id` when it sends a sane one (so a line in the
proxy's log finds the app's), and is made here otherwise; it goes back as `X-Request-Id`.
"""

import logging
import re
import sys
import uuid

from flask import Flask, Response, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

REQUEST_ID_HEADER = "X-Request-Id"
_SANE_ID = re.compile(r"\A[A-Za-z0-9._-]{8,64}\Z")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s"


def install(app: Flask) -> None:
    app.before_request(_take_request_id)
    app.after_request(_send_request_id)
    _configure_logging(app.config.get("LOG_FORMAT", "text"))
    if app.config.get("SENTRY_DSN"):
        _start_error_reporting(app)


def request_id() -> str:
    """This request's id; "-" outside a request (the CLI, the worker)."""
    if has_request_context():
        return g.get("request_id") or "-"
    return "-"


def _take_request_id() -> None:
    sent = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = sent if _SANE_ID.match(sent) else uuid.uuid4().hex


def _send_request_id(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = request_id()
    return response


class RequestIdFilter(logging.Filter):
    """Puts the request id on every record, for the formats above."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id()
        return True


def log_handler(log_format: str) -> logging.Handler:
    """A handler to standard error: one JSON object a line (`json`) or readable text, each
    record with its request id."""
    handler = logging.StreamHandler(sys.stderr)
    handler.grants_handler = True
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(
        JsonFormatter(JSON_FIELDS, rename_fields={"levelname": "level", "asctime": "time",
                                                  "name": "logger"})
        if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    return handler


def _configure_logging(log_format: str) -> None:
    """The service logs at INFO (money movements, emails written to the log in development).
    A host that set up logging already (pytest) keeps its own handlers; otherwise the root
    logger gets ours, so other libraries' lines (werkzeug, SQLAlchemy) carry the id too."""
    logging.getLogger("grants").setLevel(logging.INFO)
    root = logging.getLogger()
    ours = [h for h in root.handlers if getattr(h, "grants_handler", False)]
    for handler in ours:
        root.removeHandler(handler)
    if root.handlers:
        return
    root.addHandler(log_handler(log_format))


def _start_error_reporting(app: Flask) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.flask import FlaskIntegration

    sentry_sdk.init(
        dsn=app.config["SENTRY_DSN"],
        integrations=[FlaskIntegration()],
        environment=app.config.get("SENTRY_ENVIRONMENT", "production"),
        # Bank details, names and emails never leave the service: no request bodies are sent
        # with an error, and (Sentry's default, left as it is) no cookies or user details.
        max_request_body_size="never",
        traces_sample_rate=0,
    )
