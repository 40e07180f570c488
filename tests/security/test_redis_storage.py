"""With RATELIMIT_STORAGE_URI pointing at Redis, the counts live there, so every worker
process shares them: two separate apps (as two workers would be) count one account together."""

import os
import subprocess
import sys
import uuid

import pytest

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

# Run in its own process: the limiter is one object per process, and the suite's app keeps it
# in memory.
WORKER = """
import os, re, sys
from config import TestingConfig
from grants import create_app
from grants.extensions import db

class Limited(TestingConfig):
    RATE_LIMITS_APPLY = True
    RATELIMIT_STORAGE_URI = os.environ["RATELIMIT_STORAGE_URI"]
    SIGN_IN_LIMIT_PER_ACCOUNT_AND_ADDRESS = "3 per 15 minutes"
    RATELIMIT_KEY_PREFIX = os.environ["PREFIX"]

statuses = []
for worker in range(2):  # two apps, as two gunicorn workers would be
    app = create_app(Limited)
    if worker == 0:
        with app.app_context():
            db.create_all()
    client = app.test_client()
    for _ in range(2):
        page = client.get("/sign-in").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        statuses.append(client.post("/sign-in", data={
            "email": "someone@example.org", "password": "Wrong-Password-1",
            "csrf_token": token}).status_code)
print(statuses)
"""


def _redis_is_up() -> bool:
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def test_two_workers_share_the_sign_in_count_in_redis(tmp_path):
    if not _redis_is_up():
        pytest.skip(f"no Redis at {REDIS_URL}")
    env = {**os.environ, "RATELIMIT_STORAGE_URI": REDIS_URL, "PREFIX": uuid.uuid4().hex,
           "DATABASE_URL": f"sqlite:///{tmp_path / 'redis.sqlite'}", "GRANTS_CONFIG": "testing"}
    done = subprocess.run([sys.executable, "-c", WORKER], env=env, capture_output=True,
                          text=True, timeout=120, cwd=os.getcwd())

    assert done.returncode == 0, done.stderr[-2000:]
    # Three refused sign-ins are allowed in all; the fourth, in the second app, is refused.
    assert done.stdout.strip().splitlines()[-1] == "[200, 200, 200, 429]"
