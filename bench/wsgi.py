"""What bench/load.py serves with gunicorn: the app in the production configuration (see
bench.common.production_app for the three things relaxed on 127.0.0.1), and beside it in the
same processes a bare Flask app whose one route returns a fixed string: the floor every page is
compared with, with the app's own layout page (/privacy)."""

import os
import sys
from pathlib import Path

from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import production_app  # noqa: E402

floor = Flask("floor")


@floor.get("/")
def fixed_string() -> str:
    return "floor"


grants = production_app(os.environ["BENCH_DATABASE_URL"])
app = DispatcherMiddleware(grants, {"/floor": floor})
