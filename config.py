"""Configuration classes for the Grants service.

Every setting can come from an environment variable. `DATABASE_URL`, when set, chooses the
database in every configuration.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for PostgreSQL URLs written without one."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Config:
    SERVICE_NAME = "Thames Valley Police and Crime Commissioner — Grants"
    # SECRET_KEY and DATABASE_URL are read from the environment when the app is created
    # (grants.create_app), so they win over these defaults in every configuration.
    SECRET_KEY: str | None = None
    # Keys that encrypt bank details, second-factor secrets and backups (Fernet keys, comma-
    # separated, newest first; `flask keys new` makes one). Read when the app is created, like
    # SECRET_KEY. Development and testing derive one from SECRET_KEY when it is unset.
    ENCRYPTION_KEYS: str | None = None
    SQLALCHEMY_DATABASE_URI = ""
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Sessions: a signed-in session ends after this much idle time, and in any case this long
    # after signing in. Both are enforced on the server.
    SESSION_IDLE_TIMEOUT_MINUTES = _int("SESSION_IDLE_TIMEOUT_MINUTES", 30)
    SESSION_ABSOLUTE_TIMEOUT_HOURS = _int("SESSION_ABSOLUTE_TIMEOUT_HOURS", 12)
    # How long before the idle timeout the page warns and offers to stay signed in.
    SESSION_TIMEOUT_WARNING_SECONDS = _int("SESSION_TIMEOUT_WARNING_SECONDS", 120)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session, which has its own limits

    # Password hashing (argon2id). These are argon2-cffi's RFC 9106 "low memory" defaults.
    ARGON2_TIME_COST = _int("ARGON2_TIME_COST", 3)
    ARGON2_MEMORY_COST = _int("ARGON2_MEMORY_COST", 65536)
    ARGON2_PARALLELISM = _int("ARGON2_PARALLELISM", 4)
    PASSWORD_MIN_LENGTH = 10
    # zxcvbn score (0-4) a password must reach.
    PASSWORD_MIN_STRENGTH = _int("PASSWORD_MIN_STRENGTH", 3)

    EMAIL_VERIFICATION_MAX_AGE_HOURS = _int("EMAIL_VERIFICATION_MAX_AGE_HOURS", 72)
    # The link inviting a nominated organisation's contact to claim its account works this long.
    CLAIM_INVITATION_MAX_AGE_DAYS = _int("CLAIM_INVITATION_MAX_AGE_DAYS", 30)
    # A member's invitation to join their organisation works once, for this long.
    INVITATION_MAX_AGE_DAYS = _int("INVITATION_MAX_AGE_DAYS", 14)
    # A password reset link works once, for this long.
    PASSWORD_RESET_MAX_AGE_MINUTES = _int("PASSWORD_RESET_MAX_AGE_MINUTES", 60)

    # Rate limits (Flask-Limiter). Storage is shared by every worker: "memory://" suits one
    # process; use e.g. "redis://127.0.0.1:6379" when several serve the site. Production
    # refuses to start without Redis (each worker would keep its own counts in memory).
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = False
    # How many proxies of ours (load balancer, nginx) stand before the app: the client address
    # the per-address limits count is read from that many X-Forwarded-For entries. 0: none.
    TRUSTED_PROXY_COUNT = _int("TRUSTED_PROXY_COUNT", 0)
    # Off switch for the limits below (tests turn them on only where they test them).
    RATE_LIMITS_APPLY = _bool("RATE_LIMITS_APPLY", True)
    # Figures worked out from the data (reports, the register) kept until the data changes
    # (grants.core.data_version). Off, every page works them out afresh: what the first page
    # after any change costs, as the bench measures it.
    KEEP_FIGURES = _bool("KEEP_FIGURES", True)
    # Refused sign-ins counted per account at one client address (so an attacker's tries lock
    # out only their own address, never the owner signing in elsewhere), and per address
    # across every account. Each is counted before the password is checked.
    SIGN_IN_LIMIT_PER_ACCOUNT_AND_ADDRESS = os.environ.get(
        "SIGN_IN_LIMIT_PER_ACCOUNT_AND_ADDRESS", "10 per 15 minutes")
    SIGN_IN_LIMIT_PER_ADDRESS = os.environ.get("SIGN_IN_LIMIT_PER_ADDRESS", "50 per 15 minutes")
    # Requests for a password reset link, per account and per address.
    PASSWORD_RESET_LIMIT_PER_ACCOUNT = os.environ.get("PASSWORD_RESET_LIMIT_PER_ACCOUNT",
                                                      "5 per hour")
    PASSWORD_RESET_LIMIT_PER_ADDRESS = os.environ.get("PASSWORD_RESET_LIMIT_PER_ADDRESS",
                                                      "20 per hour")
    # Registrations, per email given and per address; requests for a new confirmation link,
    # per account and per address. Each sends an email, so each is limited.
    REGISTRATION_LIMIT_PER_ACCOUNT = os.environ.get("REGISTRATION_LIMIT_PER_ACCOUNT",
                                                    "3 per hour")
    REGISTRATION_LIMIT_PER_ADDRESS = os.environ.get("REGISTRATION_LIMIT_PER_ADDRESS",
                                                    "10 per hour")
    CONFIRMATION_EMAIL_LIMIT_PER_ACCOUNT = os.environ.get("CONFIRMATION_EMAIL_LIMIT_PER_ACCOUNT",
                                                          "3 per hour")
    CONFIRMATION_EMAIL_LIMIT_PER_ADDRESS = os.environ.get("CONFIRMATION_EMAIL_LIMIT_PER_ADDRESS",
                                                          "20 per hour")
    # Requests to join an organisation by its number, per account and per address: each
    # looks a number up and sends email. Registering an organisation looks its numbers up too.
    JOIN_REQUEST_LIMIT_PER_ACCOUNT = os.environ.get("JOIN_REQUEST_LIMIT_PER_ACCOUNT",
                                                    "5 per hour")
    JOIN_REQUEST_LIMIT_PER_ADDRESS = os.environ.get("JOIN_REQUEST_LIMIT_PER_ADDRESS",
                                                    "20 per hour")
    ORGANISATION_REGISTRATION_LIMIT_PER_ACCOUNT = os.environ.get(
        "ORGANISATION_REGISTRATION_LIMIT_PER_ACCOUNT", "20 per hour")
    ORGANISATION_REGISTRATION_LIMIT_PER_ADDRESS = os.environ.get(
        "ORGANISATION_REGISTRATION_LIMIT_PER_ADDRESS", "50 per hour")
    # Invitations to join an organisation a member sends, per account and per address.
    INVITATION_LIMIT_PER_ACCOUNT = os.environ.get("INVITATION_LIMIT_PER_ACCOUNT", "10 per hour")
    INVITATION_LIMIT_PER_ADDRESS = os.environ.get("INVITATION_LIMIT_PER_ADDRESS", "30 per hour")
    # Wrong second-factor codes, per person signing in and per address.
    SIGN_IN_CODE_LIMIT_PER_ACCOUNT = os.environ.get("SIGN_IN_CODE_LIMIT_PER_ACCOUNT",
                                                    "5 per 15 minutes")
    SIGN_IN_CODE_LIMIT_PER_ADDRESS = os.environ.get("SIGN_IN_CODE_LIMIT_PER_ADDRESS",
                                                    "50 per 15 minutes")

    # Staff and admins must set up a second factor (an authenticator app) before staff pages.
    REQUIRE_TOTP_FOR_STAFF = _bool("REQUIRE_TOTP_FOR_STAFF", False)
    TOTP_ISSUER = os.environ.get("TOTP_ISSUER", "Thames Valley PCC Grants")

    # Retention: unsuccessful applications of rounds closed this long ago, and accounts unused
    # this long, are anonymised by `flask retention run`.
    RETENTION_YEARS = _int("RETENTION_YEARS", 6)

    # Email: sent from the outbox by SMTP when SMTP_HOST is set, written to the log otherwise.
    MAIL_FROM = os.environ.get("MAIL_FROM", "grants@thamesvalley-pcc.example")
    SMTP_HOST = os.environ.get("SMTP_HOST", "")
    SMTP_PORT = _int("SMTP_PORT", 587)
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    SMTP_STARTTLS = _bool("SMTP_STARTTLS", True)

    # The grants team's address: on pages for questions, and told when a report arrives.
    CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "grants@thamesvalley.pcc.police.uk")
    # The address pages give for data protection questions (the privacy notice).
    DATA_PROTECTION_EMAIL = os.environ.get("DATA_PROTECTION_EMAIL",
                                           "dataprotection@thamesvalley.pcc.police.uk")

    # Address used to build links in emails sent outside a request (CLI, outbox).
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")

    # Documents uploaded with applications: a folder outside the web root (grants/static).
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(INSTANCE_DIR / "uploads"))
    # Or an S3-compatible bucket, which every server shares: s3://BUCKET[/PREFIX], with
    # ?endpoint_url=… (and &region=…) for a server other than AWS's. Credentials come from
    # AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the server's role. Unset: UPLOAD_FOLDER.
    STORAGE_URL = os.environ.get("STORAGE_URL", "")
    # A request may carry one 10MB file and its form fields; a bigger one gets the 413 page.
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024 + 64 * 1024

    # 360Giving open data: grant identifiers are "{GRANT_ID_PREFIX}-{application reference}"
    # (the prefix 360Giving registers for the publisher, with its "360G-" part), and the
    # funder's org-id and name (check the org-id at https://org-id.guide before publishing).
    GRANT_ID_PREFIX = os.environ.get("GRANT_ID_PREFIX", "360G-tvopcc")
    FUNDER_ORG_ID = os.environ.get("FUNDER_ORG_ID", "GB-GOR-PC000117")
    FUNDER_NAME = os.environ.get(
        "FUNDER_NAME", "Office of the Police and Crime Commissioner for Thames Valley")
    # The Commissioner in office, whom the awards ceremony's certificates name.
    COMMISSIONER_NAME = os.environ.get("COMMISSIONER_NAME", "Matthew Barber")
    COMMISSIONER_TITLE = os.environ.get(
        "COMMISSIONER_TITLE", "Police and Crime Commissioner for Thames Valley")

    # Logs: "text" to read in a terminal, "json" (one object a line, with the request id) for
    # a log service. Errors go to Sentry when SENTRY_DSN is set; nothing personal is sent.
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
    SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
    SENTRY_ENVIRONMENT = os.environ.get("SENTRY_ENVIRONMENT", "production")

    # Production and tests send the outbox from `flask outbox send` (cron) or the worker.
    SEND_EMAILS_AFTER_EACH_REQUEST = False
    # SQLite (development) lets one writer in at a time; another waits this long for it.
    SQLITE_BUSY_TIMEOUT_MS = _int("SQLITE_BUSY_TIMEOUT_MS", 5000)
    # Each SQLite transaction takes the write lock as it begins (see grants.db).
    SQLITE_IMMEDIATE_TRANSACTIONS = False

    FORCE_HTTPS = False
    DEMO_DATA_ALLOWED = True

    @classmethod
    def check(cls, settings: dict) -> None:
        """Refuse to start with settings that are unsafe for this configuration."""


class DevelopmentConfig(Config):
    SECRET_KEY = "development-only-secret-key-not-for-production"
    # Emails go out (to the log, without SMTP_HOST) after the request that queued them.
    SEND_EMAILS_AFTER_EACH_REQUEST = _bool("SEND_EMAILS_AFTER_EACH_REQUEST", True)
    # Two requests at once wait their turn instead of one answering 503.
    SQLITE_IMMEDIATE_TRANSACTIONS = True
    SQLALCHEMY_DATABASE_URI = f"sqlite:///{INSTANCE_DIR / 'grants.sqlite'}"


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-key"
    SQLALCHEMY_DATABASE_URI = f"sqlite:///{INSTANCE_DIR / 'test.sqlite'}"
    # Cheap hashing keeps the suite fast on two cores; production keeps the defaults above.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    ARGON2_PARALLELISM = 1
    MAIL_FROM = "grants@test.example"
    SMTP_HOST = ""
    # Tests point this at pytest's tmp_path; this is only the fallback.
    UPLOAD_FOLDER = str(INSTANCE_DIR / "test-uploads")
    STORAGE_URL = ""
    # Rate limits would refuse the many sign-ins of the suite; their own tests turn them on.
    RATE_LIMITS_APPLY = False
    RATELIMIT_STORAGE_URI = "memory://"
    REQUIRE_TOTP_FOR_STAFF = False


# Rate-limit storage every worker and server shares (Flask-Limiter's Redis schemes).
SHARED_LIMIT_STORAGE = ("redis://", "rediss://", "redis+unix://", "redis+sentinel://",
                        "redis+cluster://")


class ProductionConfig(Config):
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = True
    REQUIRE_TOTP_FOR_STAFF = _bool("REQUIRE_TOTP_FOR_STAFF", True)
    FORCE_HTTPS = _bool("FORCE_HTTPS", True)
    DEMO_DATA_ALLOWED = False

    @classmethod
    def check(cls, settings: dict) -> None:
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL", "ENCRYPTION_KEYS")
                   if not os.environ.get(name)]
        if missing:
            raise RuntimeError(
                "Production configuration refuses to start without " + " and ".join(missing)
            )
        storage = settings.get("RATELIMIT_STORAGE_URI") or ""
        if not storage.startswith(SHARED_LIMIT_STORAGE):
            raise RuntimeError(
                "Production configuration refuses to start without shared rate-limit storage: "
                "set RATELIMIT_STORAGE_URI to Redis (redis://HOST:6379 or rediss://…), not "
                f"{storage.partition(':')[0] or 'nothing'}"
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_environment() -> type[Config]:
    """The configuration class named by GRANTS_CONFIG (development when unset)."""
    name = os.environ.get("GRANTS_CONFIG", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(
            f"GRANTS_CONFIG must be one of {', '.join(CONFIGS)}, not {name!r}"
        ) from None
