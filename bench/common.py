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


def bench_app(database_url: str):
    """The app as production runs it (hashing costs and all) on `database_url`, with a fixed
    secret key because bench runs are local."""
    from config import DevelopmentConfig
    from grants import create_app

    os.environ["DATABASE_URL"] = database_url

    class BenchConfig(DevelopmentConfig):
        SECRET_KEY = "bench-only-secret-key"
        # Measure the pages, not the sign-in limiter.
        RATE_LIMITS_APPLY = False

    return create_app(BenchConfig)


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
