"""With its database unreachable the service keeps answering: 503 from /healthz and a plain
page elsewhere, never a stack trace."""

import os

import pytest

from config import TestingConfig
from grants import create_app
from tests.core.html import count_tags
from tests.fixtures.auth import csrf_token_from


class UnreachableDatabaseConfig(TestingConfig):
    # Nothing listens on port 1; connecting fails at once.
    SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://grants@127.0.0.1:1/grants"
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True,
                                 "connect_args": {"connect_timeout": 2}}
    PROPAGATE_EXCEPTIONS = False


@pytest.fixture(scope="module")
def outage_client():
    saved = os.environ.pop("DATABASE_URL", None)
    try:
        app = create_app(UnreachableDatabaseConfig)
    finally:
        if saved is not None:
            os.environ["DATABASE_URL"] = saved
    return app.test_client()


def _friendly_page(response) -> str:
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    html = response.get_data(as_text=True)
    assert "Sorry, the service is unavailable" in html
    assert count_tags(html, "h1") == 1
    for leak in ("Traceback", "OperationalError", "psycopg", "127.0.0.1:1", "connection"):
        assert leak not in html, leak
    return html


def test_the_health_check_answers_503(outage_client):
    response = outage_client.get("/healthz")

    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable"}


def test_a_page_that_reads_the_database_answers_a_friendly_503(outage_client):
    html = _friendly_page(outage_client.get("/rounds"))

    assert 'href="/accessibility"' in html  # in the service's layout


def test_signing_in_during_an_outage_answers_a_friendly_503(outage_client):
    page = outage_client.get("/sign-in")
    assert page.status_code == 200
    token = csrf_token_from(page.get_data(as_text=True))

    response = outage_client.post("/sign-in", data={
        "email": "person@example.org", "password": "Blue-Lantern-Orchard-47",
        "csrf_token": token})

    _friendly_page(response)
