"""An operator can follow one request through the logs, read them as JSON, and hear of errors."""

import io
import json
import logging

import pytest
import sentry_sdk
from flask import Blueprint
from sentry_sdk.transport import Transport

from config import TestingConfig
from grants import create_app
from grants.core.observability import REQUEST_ID_HEADER, log_handler


def test_every_response_carries_a_request_id(client):
    first, second = client.get("/"), client.get("/no-such-page")
    ids = [first.headers[REQUEST_ID_HEADER], second.headers[REQUEST_ID_HEADER]]
    assert all(len(value) == 32 for value in ids) and ids[0] != ids[1]


@pytest.mark.parametrize(("sent", "kept"), [
    ("proxy-4f2a-9c1e-77", True), ("abc", False), ("bad id; with spaces", False),
    ("x" * 65, False),
])
def test_the_proxys_request_id_is_kept_when_it_is_sane(client, sent, kept):
    answered = client.get("/", headers={REQUEST_ID_HEADER: sent}).headers[REQUEST_ID_HEADER]
    assert (answered == sent) is kept


@pytest.mark.parametrize("log_format", ["json", "text"])
def test_log_lines_carry_the_request_id(app, log_format):
    stream = io.StringIO()
    handler = log_handler(log_format)
    handler.setStream(stream)
    logger = logging.getLogger("grants.test_observability")
    logger.addHandler(handler)
    try:
        with app.test_request_context("/"):
            app.preprocess_request()
            from flask import g
            logger.warning("award %s paid", 42)
            expected = g.request_id
        logger.warning("from the command line")
    finally:
        logger.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    if log_format == "json":
        records = [json.loads(line) for line in lines]
        assert {k: records[0][k] for k in ("level", "logger", "message", "request_id")} == {
            "level": "WARNING", "logger": "grants.test_observability",
            "message": "award 42 paid", "request_id": expected}
        assert records[1]["request_id"] == "-"
    else:
        assert f"[{expected}]: award 42 paid" in lines[0]
        assert "[-]: from the command line" in lines[1]


class _Kept(Transport):
    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)


def test_errors_are_reported_without_personal_data_when_sentry_dsn_is_set(monkeypatch):
    transport = _Kept()
    real_init = sentry_sdk.init
    monkeypatch.setattr(sentry_sdk, "init", lambda **options: real_init(transport=transport,
                                                                          **options))

    class WithSentry(TestingConfig):
        SENTRY_DSN = "https://public@127.0.0.1:9/1"

    app = create_app(WithSentry)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    failing = Blueprint("failing_for_sentry", __name__)

    @failing.post("/failing-for-sentry")
    def fail():
        raise RuntimeError("a bug")

    app.register_blueprint(failing)
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        response = app.test_client().post("/failing-for-sentry",
                                          data={"account_number": "12345678"},
                                          headers={"Cookie": "session=secret"})
        sentry_sdk.flush()
        assert response.status_code == 500
        events = [item.payload.json for envelope in transport.envelopes
                  for item in envelope.items if item.type == "event"]
        assert [e["exception"]["values"][-1]["value"] for e in events] == ["a bug"]
        sent = json.dumps(events)
        assert "12345678" not in sent and "secret" not in sent
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.get_global_scope().set_client(None)
