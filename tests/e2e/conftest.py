"""Browser tests: Playwright driving Debian's Chromium against the app served on 127.0.0.1.

The server runs in a thread with its own database connections, so these tests commit for real
(marker `committing`) and the database is emptied after each one.
"""

import threading

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from werkzeug.serving import make_server

from grants.extensions import db

CHROMIUM = "/usr/bin/chromium"
# Tests wait on what the page shows, never on time; a busy machine (CI runs two test processes
# beside the browsers) can take seconds to answer, so a state may take longer than the default
# five seconds to appear.
expect.set_options(timeout=15_000)

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.committing)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def check_accessibility(axe):
    """Run axe-core on the page as it is now: no WCAG 2.2 A or AA violation."""

    def check(page):
        results = axe.run(page, options={
            "runOnly": {"type": "tag", "values": WCAG_22_AA},
            "resultTypes": ["violations"],
        })
        assert results.violations_count == 0, (
            f"{page.url}:\n{results.generate_report()}"
        )

    return check


@pytest.fixture(scope="session")
def base_url(live_server):
    """pytest-playwright resolves relative page.goto() paths against this."""
    return live_server


@pytest.fixture
def save():
    """Commit the test's data for the server thread to see, and end the test's transaction so
    that it holds no lock (SQLite allows one writer). Read what you need from the objects
    before calling it: they are detached afterwards."""

    def _save():
        db.session.commit()
        db.session.close()

    return _save
