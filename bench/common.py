"""What every bench script shares: the app on a chosen database, the machine, the results."""

import json
import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
# Every user the scale seeder makes signs in with this password.
BENCH_PASSWORD = "Bench-Lantern-Orchard-2019"
BENCH_SECRET_KEY = "bench-only-secret-key"


def bench_app(database_url: str):
    """The app as production runs it (hashing costs and all) on `database_url`, with a fixed
    secret key because bench runs are local."""
    from config import DevelopmentConfig
    from grants import create_app

    os.environ["DATABASE_URL"] = database_url

    class BenchConfig(DevelopmentConfig):
        SECRET_KEY = BENCH_SECRET_KEY
        # Measure the pages, not the sign-in limiter.
        RATE_LIMITS_APPLY = False
        # The work itself: figures worked out every time (queries counted, the year report's
        # service timed), never read back from what an earlier call kept.
        KEEP_FIGURES = False

    return create_app(BenchConfig)


def production_app(database_url: str):
    """The app in the production configuration, as bench/load.py serves it on 127.0.0.1, with
    three things relaxed and nothing else (and, asked for, figures not kept):

    - no redirect to HTTPS (and no HSTS): the bench speaks plain HTTP to 127.0.0.1, where a
      TLS proxy would stand in production;
    - session and remember-me cookies not marked Secure, for the same reason: a client keeps
      Secure cookies for HTTPS only;
    - rate limits off (and so no shared Redis storage for them), or the bench's own sign-ins
      and thousands of requests from one address would be refused.

    Secrets come from the environment as in production: the bench's fixed secret key, and as
    the encryption key the one development derives from it, which the seeder wrote with."""
    from config import SHARED_LIMIT_STORAGE, ProductionConfig
    from grants import create_app
    from grants.core.encryption import _derived_key

    os.environ["DATABASE_URL"] = database_url
    os.environ["SECRET_KEY"] = BENCH_SECRET_KEY
    os.environ["ENCRYPTION_KEYS"] = _derived_key(BENCH_SECRET_KEY).decode()

    class BenchProductionConfig(ProductionConfig):
        FORCE_HTTPS = False
        SESSION_COOKIE_SECURE = False
        REMEMBER_COOKIE_SECURE = False
        # The app's own switch (as bench_app): Flask-Limiter's RATELIMIT_ENABLED would leave
        # the sign-in guess count asking a limiter with no storage.
        RATE_LIMITS_APPLY = False
        # bench/load.py --fresh-figures: every page works out its figures afresh, as the first
        # page after any change does (grants.core.data_version).
        KEEP_FIGURES = os.environ.get("BENCH_FRESH_FIGURES") != "1"

        @classmethod
        def check(cls, settings: dict) -> None:
            # Production's own refusals, but for shared limit storage: the limits are off.
            super().check({**settings, "RATELIMIT_STORAGE_URI": SHARED_LIMIT_STORAGE[0]})

    return create_app(BenchProductionConfig)


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True, cwd=RESULTS.parent).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine() -> dict[str, Any]:
    return {"cpus": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "machine": platform.machine()}


def write_result(name: str, data: dict[str, Any]) -> Path:
    """Write bench/results/<name>.json stamped with the commit, the machine and the date."""
    RESULTS.mkdir(exist_ok=True)
    stamped = {"commit": git_commit(), "date": datetime.now(UTC).isoformat(timespec="seconds"),
               "machine": machine(), **data}
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(stamped, indent=2, default=str) + "\n")
    return path
