"""Shared fixtures: one app and one migrated database per test run; each test in a transaction
that is rolled back at its end, so tests never see each other's rows."""

import gc
import os

import pytest
from flask import g, request_started
from flask_migrate import upgrade
from hypothesis import settings
from sqlalchemy import MetaData, create_engine, text
from sqlalchemy.engine import make_url

from config import TestingConfig
from grants import create_app
from grants.core import data_version
from grants.extensions import db
from grants.offices.operations.speaking import forget_recent_office

# Property-based tests: bounded and repeatable in CI, more examples on demand
# (HYPOTHESIS_PROFILE=thorough).
settings.register_profile("ci", max_examples=50, derandomize=True, deadline=None,
                          database=None)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

pytest_plugins = ["tests.fixtures.factories", "tests.fixtures.auth", "tests.fixtures.queries",
                  "tests.fixtures.concurrency", "tests.fixtures.object_storage",
                  "tests.fixtures.vacuum"]


def _reset_database() -> None:
    """Start every run from an empty database, then build it with the migrations."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:
        metadata = MetaData()
        metadata.reflect(bind=engine)
        with engine.begin() as conn:
            conn.execute(text("PRAGMA foreign_keys = OFF"))
            metadata.drop_all(bind=conn)
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade()


def _database_of_this_worker(url: str, worker: str) -> str:
    """The PostgreSQL database a pytest-xdist worker uses beside the one it was given: `test`
    becomes `test_gw0`, created when missing, so parallel workers never empty each other's."""
    given = make_url(url)
    name = f"{given.database}_{worker}"
    admin = create_engine(given, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                 {"name": name})
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            # A test database need not outlive a crash: a commit does not wait for its write
            # to reach the disk (the browser tests and the tests that commit make thousands).
            conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    finally:
        admin.dispose()
    return given.set(database=name).render_as_string(hide_password=False)


def _is_browser_test(nodeid: str) -> bool:
    return "e2e" in nodeid.split("::", 1)[0].split("/")


# The files that take longest (half a minute to a minute and more each on two cores), longest
# first: started before the others, none of them runs alone at the end while the other test
# process waits. (Each test process takes the next file when it is free.)
LONGEST_FILES = (
    "tests/hostile/test_every_form.py",
    "tests/e2e/test_year_story.py",
    "tests/access/test_matrix.py",
    "tests/e2e/test_keyboard.py",
    "tests/properties/test_year_machine.py",
    "tests/hostile/test_legends.py",
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The longest files first; then browser test files spread evenly among the others: a
    browser test waits on Chromium and the server much of the time, so the other test process
    does other work meanwhile, rather than run a second browser beside it. (After
    pytest-randomly has shuffled: the order within each kind is otherwise theirs.)"""
    files: dict[str, list] = {}
    for item in items:
        files.setdefault(item.nodeid.split("::", 1)[0], []).append(item)
    first = [name for name in LONGEST_FILES if name in files]
    browser = [name for name in files if _is_browser_test(name) and name not in first]
    others = [name for name in files if not _is_browser_test(name) and name not in first]
    # One browser file in every `every` files.
    every = (len(browser) + len(others)) / max(len(browser), 1)
    order: list[str] = list(first)
    placed = 0
    for name in others:
        while placed < len(browser) and placed * every <= len(order) - len(first):
            order.append(browser[placed])
            placed += 1
        order.append(name)
    order.extend(browser[placed:])
    items[:] = [item for name in order for item in files[name]]


# Python's collector of reference cycles looks, at intervals, at every object that has lived
# long enough, taking longer each time as a test process holds more: the parsed modules of the
# code-shape tests, the app's compiled queries and templates, a module's data set... 1.4 million
# objects by the end of a pass, 12 s of the SQLite pass's 70 in each test process. Whatever
# outlives the tests that made it is put out of its sight instead: every few tests the cycles
# left are collected and what remains frozen (gc.freeze), and the collector's own full
# collections are turned off. Young objects are collected as usual.
COLLECT_CYCLES_EVERY = 50


def pytest_collection_finish(session):
    gc.collect()
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, 1_000_000)


def pytest_runtest_logfinish(nodeid, location):
    global _finished
    _finished += 1
    if _finished % COLLECT_CYCLES_EVERY == 0:
        gc.collect()
        gc.freeze()


_finished = 0


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config, log):
    """Share the tests between test processes (`pytest -n`) a file at a time, so a file's
    module fixtures are built once, in the order of the collection (the longest files first,
    each process with a Chromium of its own), not largest first by number of tests. (pytest-xdist's
    `--dist loadfile` with its reordering turned off.)"""
    from xdist.scheduler import LoadScopeScheduling

    class FileScheduling(LoadScopeScheduling):
        def __init__(self, config, log=None):
            super().__init__(config, log)
            config.option.loadscopereorder = False

        def _split_scope(self, nodeid: str) -> str:
            return nodeid.split("::", 1)[0]

    return FileScheduling(config, log)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    os.environ.setdefault("GRANTS_CONFIG", "testing")
    # Without DATABASE_URL each run (and each xdist worker, whose tmp_path_factory is its own)
    # has its own SQLite file, so that two runs at once (two terminals, or a run beside the
    # browser suite) never empty each other's database.
    os.environ.setdefault("DATABASE_URL",
                          f"sqlite:///{tmp_path_factory.mktemp('database') / 'test.sqlite'}")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and os.environ["DATABASE_URL"].startswith("postgresql"):
        os.environ["DATABASE_URL"] = _database_of_this_worker(os.environ["DATABASE_URL"], worker)
    app = create_app(TestingConfig)

    def start_with_an_empty_g(sender, **extra):
        # Each test holds one app context open, which the test client's requests reuse, so
        # Flask's `g` would outlive a request. Flask-Login caches the user and Flask-WTF the
        # CSRF token there: empty it as each request starts (before the app's own
        # before_request hooks), so every request starts from its own cookie, as in
        # production.
        for name in list(g):
            g.pop(name)
        # Requests share the test's session too, which holds what the test made, still
        # loaded (the factories commit without expiring it: tests/fixtures/factories.py). A
        # request in production starts with nothing loaded: what the test has not yet
        # written is written, and every object the request reads costs the query it would
        # there.
        session = db.session()
        session.flush()
        session.expire_all()

    request_started.connect(start_with_an_empty_g, app, weak=False)

    with app.app_context():
        _reset_database()
    return app


@pytest.fixture(scope="module")
def module_connection(app):
    """One connection for all of a module's tests, in an outer transaction rolled back when the
    module ends: what a module fixture taking it builds (a data set that costs seconds) is
    built once, and each test runs in a savepoint of it, rolled back at the test's end."""
    with app.app_context(), pytest.MonkeyPatch.context() as patch:
        conn = db.engine.connect()
        outer = conn.begin()
        patch.setitem(db.engines, None, conn)
        db.session.remove()
        db.session.configure(join_transaction_mode="create_savepoint")
        try:
            yield conn
        finally:
            db.session.remove()
            db.session.configure(join_transaction_mode="conditional_savepoint")
            outer.rollback()
            conn.close()


@pytest.fixture(autouse=True)
def db_session(request, app, monkeypatch):
    """Run the test inside one outer transaction that is rolled back at the end.

    Tests marked `committing` (concurrency and browser tests) opt out: they commit for real and
    the database is emptied afterwards. A test of a module that builds its data once
    (`module_connection`) runs in a savepoint of the module's transaction instead.
    """
    # Each test has a database of its own making: no office read by an earlier one stands.
    forget_recent_office()
    if request.node.get_closest_marker("own_database"):
        yield None
        return
    if "module_connection" in request.fixturenames:
        conn = request.getfixturevalue("module_connection")
        with app.app_context():
            db.session.remove()
            test_savepoint = conn.begin_nested()
            try:
                yield db.session
            finally:
                db.session.remove()
                if test_savepoint.is_active:
                    test_savepoint.rollback()
        return
    if request.node.get_closest_marker("committing"):
        with app.app_context():
            yield db.session
            db.session.remove()
            truncate_all_tables()
        return
    with app.app_context():
        conn = db.engine.connect()
        outer = conn.begin()
        monkeypatch.setitem(db.engines, None, conn)
        db.session.remove()
        db.session.configure(join_transaction_mode="create_savepoint")
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session.configure(join_transaction_mode="conditional_savepoint")
            outer.rollback()
            conn.close()


def truncate_all_tables() -> None:
    """Empty every table, children first. (DELETE, not PostgreSQL's TRUNCATE: that makes new
    files for every table and index, half a second a test; the tables here hold a few rows.)"""
    tables = [table.name for table in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        for table in tables:
            conn.execute(text(f'DELETE FROM "{table}"'))
        # As migrations leave it: a token for the figures kept until the data changes.
        data_version.replace_token(conn)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
