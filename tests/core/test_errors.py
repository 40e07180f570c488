import re

import pytest
from flask import Blueprint, abort
from sqlalchemy.exc import IntegrityError, NoResultFound, OperationalError

from config import TestingConfig
from grants import create_app
from grants.core.errors import Conflict, NotFound, Refusal, only_if_visible
from grants.extensions import db
from tests.core.html import SERVICE_NAME, count_tags, page_title

CSRF_MESSAGE = (
    "Your form expired or was sent from elsewhere. Go back, reload the page and try again."
)


def _database_down(*args, **kwargs):
    raise OperationalError("SELECT 1", {}, Exception("connection refused"))


@pytest.fixture(scope="module")
def error_app():
    """An app of its own with pages that fail in each way (the shared app is already serving)."""
    app = create_app(TestingConfig)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # let the 500 handler answer, as in production
    failing = Blueprint("failing", __name__)

    @failing.get("/failing/database-down")
    def database_down():
        _database_down()

    @failing.get("/failing/integrity")
    def integrity():
        raise IntegrityError("INSERT", {}, Exception("duplicate"))

    @failing.get("/failing/bug")
    def bug():
        raise RuntimeError("a bug")

    @failing.get("/failing/conflict")
    def conflict():
        raise Conflict("Someone else changed this application while you were editing it.")

    @failing.get("/failing/not-found")
    def not_found():
        raise NotFound("There is no such application.")

    @failing.get("/failing/no-result")
    def no_result():
        raise NoResultFound("No row was found")

    @failing.route("/failing/form", methods=["GET", "POST"])
    def form():
        return "sent"

    @failing.get("/failing/<int:code>")
    def http_error(code):
        abort(code)

    app.register_blueprint(failing)
    return app


@pytest.fixture
def error_client(error_app):
    return error_app.test_client()


def _page(response) -> str:
    html = response.get_data(as_text=True)
    assert count_tags(html, "h1") == 1
    assert "Traceback" not in html
    return html


@pytest.mark.parametrize(("code", "heading"), [
    (400, "Sorry, there is a problem with your request"),
    (401, "You need to sign in to see this page"),
    (403, "You do not have permission to see this page"),
    (404, "Page not found"),
    (413, "The file you sent is too big"),
    (429, "Sorry, there have been too many attempts"),
])
def test_http_errors_answer_with_a_page_in_the_services_layout(error_client, code, heading):
    response = error_client.get(f"/failing/{code}")

    assert response.status_code == code
    html = _page(response)
    assert page_title(html) == f"{heading} — {SERVICE_NAME}"
    assert 'href="/accessibility"' in html


def test_an_unknown_address_answers_page_not_found(client):
    response = client.get("/no-such-page")

    assert response.status_code == 404
    assert page_title(_page(response)) == f"Page not found — {SERVICE_NAME}"


def test_a_method_the_page_does_not_take_answers_405_and_says_which_it_does(client):
    response = client.delete("/accessibility")

    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert "Sorry, you cannot do that on this page" in _page(response)


def test_a_form_without_a_csrf_token_answers_400_with_a_plain_explanation(error_client):
    response = error_client.post("/failing/form", data={"name": "x"})

    assert response.status_code == 400
    assert CSRF_MESSAGE in _page(response)


def test_the_csrf_error_page_can_still_run_its_scripts(error_client):
    response = error_client.post("/failing/form")

    assert re.search(r'<script type="module" src="/static/js/application\.mjs\?v=\w+">',
                     response.get_data(as_text=True))
    assert "'sha256-" in response.headers["Content-Security-Policy"]


def test_an_unexpected_error_answers_500_without_a_stack_trace(error_client):
    response = error_client.get("/failing/bug")

    assert response.status_code == 500
    html = _page(response)
    assert "Sorry, there is a problem with the service" in html
    assert "a bug" not in html


def test_a_database_integrity_error_is_a_fault_not_an_outage(error_client):
    response = error_client.get("/failing/integrity")

    assert response.status_code == 500
    assert "duplicate" not in _page(response)


def test_a_database_that_is_down_answers_503_service_unavailable(error_client):
    response = error_client.get("/failing/database-down")

    assert response.status_code == 503
    html = _page(response)
    assert page_title(html) == f"Sorry, the service is unavailable — {SERVICE_NAME}"
    assert "connection refused" not in html
    assert response.headers["Retry-After"]


def test_a_signed_in_page_answers_503_when_the_database_cannot_load_the_user(
    client, user_factory, sign_in_as, monkeypatch
):
    sign_in_as(user_factory())
    for read in ("get", "execute", "scalar", "scalars"):
        monkeypatch.setattr(db.session, read, _database_down)

    response = client.get("/accessibility")

    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in _page(response)


def test_a_domain_error_answers_with_its_status_and_message(error_client):
    response = error_client.get("/failing/conflict")

    assert response.status_code == 409
    html = _page(response)
    assert "Someone else changed this application while you were editing it." in html
    assert page_title(html) == f"This has changed since you opened it — {SERVICE_NAME}"


def test_a_domain_not_found_error_answers_404(error_client):
    response = error_client.get("/failing/not-found")

    assert response.status_code == 404
    html = _page(response)
    assert page_title(html) == f"Page not found — {SERVICE_NAME}"
    assert "There is no such application." not in html


def test_a_missing_row_answers_404(error_client):
    response = error_client.get("/failing/no-result")

    assert response.status_code == 404
    assert page_title(_page(response)) == f"Page not found — {SERVICE_NAME}"


def test_a_record_someone_may_not_see_is_not_found_like_no_record():
    record = object()
    assert only_if_visible(record, True, "There is no such award") is record
    with pytest.raises(NotFound) as hidden:
        only_if_visible(record, False, "There is no such award")
    assert (hidden.value.status_code, hidden.value.message) == (404, "There is no such award")


def test_a_why_not_check_with_a_reason_is_raised_as_the_refusal_and_without_one_is_not():
    class RoundRefused(Refusal):
        pass

    RoundRefused.raise_if(None)
    RoundRefused.raise_if("")
    with pytest.raises(RoundRefused, match="The round has closed"):
        RoundRefused.raise_if("The round has closed")
