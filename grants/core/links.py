"""Absolute links for emails."""

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an email, built on BASE_URL and never on the request's Host header
    (which a visitor controls), so it works the same from a request, the CLI or the outbox."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path
