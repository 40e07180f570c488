"""Configuration: production refuses unsafe settings; DATABASE_URL chooses the database."""

import pytest

from config import (
    DevelopmentConfig,
    ProductionConfig,
    TestingConfig,
    config_from_environment,
    normalise_database_url,
)
from grants import create_app
from grants.core.encryption import new_key
from grants.extensions import limiter

PRODUCTION_SECRETS = {"SECRET_KEY": "a-long-random-production-secret",
                      "DATABASE_URL": "postgresql://grants@db.internal/grants",
                      "ENCRYPTION_KEYS": new_key()}


@pytest.fixture
def production_environment(monkeypatch):
    """The environment production starts with. The rate limiter is one object for every app:
    put its storage back afterwards, so the suite's app keeps counting in memory."""
    for name, value in PRODUCTION_SECRETS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(ProductionConfig, "RATELIMIT_STORAGE_URI", "redis://redis.internal:6379")
    saved = dict(vars(limiter))
    yield
    vars(limiter).clear()
    vars(limiter).update(saved)


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "ENCRYPTION_KEYS"])
def test_production_refuses_to_start_without_its_secrets(missing, production_environment,
                                                         monkeypatch):
    monkeypatch.delenv(missing)

    with pytest.raises(RuntimeError, match=missing):
        create_app(ProductionConfig)


@pytest.mark.parametrize("storage", ["memory://", "", "memcached://cache.internal:11211"])
def test_production_refuses_to_start_without_shared_rate_limit_storage(
    storage, production_environment, monkeypatch
):
    # With counts in each worker's memory, every worker (and every server) would allow the
    # whole limit again.
    monkeypatch.setattr(ProductionConfig, "RATELIMIT_STORAGE_URI", storage)

    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI to Redis"):
        create_app(ProductionConfig)


@pytest.mark.parametrize("storage", ["redis://redis.internal:6379/0",
                                     "rediss://user:secret@redis.internal:6380"])
def test_production_starts_with_its_limits_counted_in_redis(storage, production_environment,
                                                           monkeypatch):
    monkeypatch.setattr(ProductionConfig, "RATELIMIT_STORAGE_URI", storage)

    create_app(ProductionConfig)

    assert type(limiter.storage).__name__ == "RedisStorage"


def test_production_starts_with_its_secrets_and_secure_cookies(production_environment):
    app = create_app(ProductionConfig)

    assert app.config["SQLALCHEMY_DATABASE_URI"] == (
        "postgresql+psycopg://grants@db.internal/grants")
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert not app.config["DEMO_DATA_ALLOWED"]


@pytest.mark.parametrize("config_class", [DevelopmentConfig, TestingConfig])
def test_database_url_chooses_the_database_in_every_configuration(config_class, monkeypatch,
                                                                  tmp_path):
    url = f"sqlite:///{tmp_path / 'chosen.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)

    assert create_app(config_class).config["SQLALCHEMY_DATABASE_URI"] == url


def test_development_uses_a_sqlite_file_under_instance_by_default(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)

    uri = create_app(DevelopmentConfig).config["SQLALCHEMY_DATABASE_URI"]

    assert uri.startswith("sqlite:///") and uri.endswith("/instance/grants.sqlite")


@pytest.mark.parametrize("given,expected", [
    ("postgres://u@h/d", "postgresql+psycopg://u@h/d"),
    ("postgresql://u@h/d", "postgresql+psycopg://u@h/d"),
    ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
    ("sqlite:////srv/grants.sqlite", "sqlite:////srv/grants.sqlite"),
])
def test_postgresql_urls_use_the_psycopg_3_driver(given, expected):
    assert normalise_database_url(given) == expected


def test_grants_config_names_the_configuration(monkeypatch):
    monkeypatch.setenv("GRANTS_CONFIG", "production")
    assert config_from_environment() is ProductionConfig
    monkeypatch.setenv("GRANTS_CONFIG", "staging")
    with pytest.raises(RuntimeError, match="GRANTS_CONFIG"):
        config_from_environment()


def test_an_encryption_key_that_is_not_a_key_stops_the_start(monkeypatch):
    monkeypatch.setenv("ENCRYPTION_KEYS", f"{new_key()},not-a-key")

    with pytest.raises(RuntimeError, match="Key 2 of ENCRYPTION_KEYS is not a Fernet key"):
        create_app(TestingConfig)
