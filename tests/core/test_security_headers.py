"""Every page carries the security headers: a strict content security policy, no framing,
no MIME sniffing, a careful referrer policy, and HSTS over HTTPS in production."""

import re

import pytest

from config import ProductionConfig
from grants import create_app
from grants.core.encryption import new_key
from grants.extensions import limiter, talisman


def directives(policy: str) -> dict[str, str]:
    return {part.split()[0]: " ".join(part.split()[1:])
            for part in (p.strip() for p in policy.split(";")) if part}


@pytest.mark.parametrize("path", ["/", "/sign-in", "/rounds", "/no-such-page"])
def test_pages_carry_a_strict_content_security_policy(client, path):
    policy = directives(client.get(path).headers["Content-Security-Policy"])

    assert policy["default-src"] == "'self'"
    assert re.fullmatch(r"'self' 'sha256-[\w+/=]+'", policy["script-src"])
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    everything = " ".join(policy.values())
    assert "unsafe-inline" not in everything and "unsafe-eval" not in everything
    assert "http" not in everything  # no third-party origin


def test_pages_cannot_be_framed_or_sniffed_and_send_little_referrer(client):
    headers = client.get("/").headers

    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.fixture
def keep_talisman_settings():
    """Talisman is one object for every app: a production app would make the shared test app
    redirect to HTTPS for the rest of the run. Put its settings back afterwards."""
    saved = dict(vars(talisman))
    saved_limiter = dict(vars(limiter))  # the same for the limiter's storage
    yield
    vars(talisman).clear()
    vars(talisman).update(saved)
    vars(limiter).clear()
    vars(limiter).update(saved_limiter)


def test_production_sends_hsts_over_https_and_redirects_plain_http(monkeypatch,
                                                                    keep_talisman_settings):
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///:memory:")
    monkeypatch.setenv("ENCRYPTION_KEYS", new_key())
    monkeypatch.setattr(ProductionConfig, "RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/15")
    client = create_app(ProductionConfig).test_client()

    assert client.get("/accessibility").status_code in (301, 302)
    secure = client.get("/accessibility", base_url="https://grants.example")
    assert "max-age=" in secure.headers["Strict-Transport-Security"]
