"""The app of another checkout of this repository, served as close to production as that commit
allows: what bench/compare.py serves and asks for a commit older than the bench it runs.

It runs inside the other checkout's own code: that checkout first on PYTHONPATH and this folder
after it, so that `grants`, `config` and `bench` are the older commit's. It imports nothing of
this checkout's bench, which the other commit may not have.

    gunicorn 'commit_app:served()'                   # BENCH_DATABASE_URL chooses the database
    python bench/commit_app.py targets URL           # the records the key pages open, as JSON
    python bench/commit_app.py staff-code URL EMAIL  # the staff member's authenticator secret
"""

import json
import os
import sys
from typing import Any


def production_like(database_url: str):
    """The commit's own bench.common.production_app when it has one; otherwise its production
    configuration with the three things production_app relaxes on 127.0.0.1 (no HTTPS redirect,
    cookies not marked Secure, rate limits off) and nothing else."""
    from bench import common

    if hasattr(common, "production_app"):
        return common.production_app(database_url)
    from config import ProductionConfig
    from grants import create_app

    os.environ["DATABASE_URL"] = database_url
    os.environ["SECRET_KEY"] = getattr(common, "BENCH_SECRET_KEY", "bench-only-secret-key")

    class BenchProductionConfig(ProductionConfig):
        FORCE_HTTPS = False
        SESSION_COOKIE_SECURE = False
        REMEMBER_COOKIE_SECURE = False
        RATE_LIMITS_APPLY = False

    return create_app(BenchProductionConfig)


def served():
    """What gunicorn serves: the app, and the bare route at /floor/ as bench/wsgi.py has it."""
    from flask import Flask
    from werkzeug.middleware.dispatcher import DispatcherMiddleware

    floor = Flask("floor")
    floor.add_url_rule("/", "fixed_string", lambda: "floor")
    return DispatcherMiddleware(production_like(os.environ["BENCH_DATABASE_URL"]),
                                {"/floor": floor})


def targets(database_url: str) -> dict[str, Any]:
    """The records the key pages open, found by the commit's own bench.queries."""
    from bench import queries
    from bench.common import bench_app

    app = bench_app(database_url)
    with app.app_context():
        from grants.extensions import db

        return queries.targets(db.session)


def staff_code_secret(database_url: str, email: str) -> str:
    """The staff member's authenticator secret: production makes staff set one up before any
    page, so the bench sets one up (as the set-up page would) the first time, and reads it
    back on later runs. Written to the bench's database only, before the server starts. Run
    in whichever checkout's code is first on the path: bench/load.py's own (it imports this),
    or an older commit's whose bench has none (its production asks staff for a code all the
    same)."""
    import pyotp
    from sqlalchemy import select

    from bench.common import bench_app
    from grants import all_models as m
    from grants.accounts.operations import second_factor
    from grants.extensions import db

    app = bench_app(database_url)
    with app.app_context():
        user = db.session.scalars(select(m.User).where(m.User.email == email)).one()
        if not second_factor.uses_second_factor(user):
            secret = second_factor.new_secret()
            second_factor.confirm_setup(db.session, user, secret=secret,
                                        code=pyotp.TOTP(secret).now())
            db.session.commit()
        return user.totp_secret


if __name__ == "__main__":
    command, database_url, *rest = sys.argv[1:]
    if command == "targets":
        print(json.dumps(targets(database_url)))
    elif command == "staff-code":
        print(staff_code_secret(database_url, *rest))
    else:
        raise SystemExit(f"unknown command {command!r}")
