"""Browser tests: Playwright driving Debian's Chromium against the app served on 127.0.0.1.

The server runs in a thread with its own database connections, so these tests commit for real
(marker `committing`) and the database is emptied after each one.
"""

import functools
import hashlib
import json
import threading
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error, Page, expect
from werkzeug.serving import make_server

from grants.extensions import db
from tests.e2e.story_checks import DESKTOP, PHONE, route_of

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


class CountingRequests:
    """WSGI middleware that knows how many requests the server is still answering.

    The browser may leave a request behind when a test ends (a page it was loading, a form sent
    as the test's last step). Emptying the tables while that request holds row locks deadlocks on
    PostgreSQL, so each test waits for the server to be idle before the tables are emptied.
    Flask ends the request's app context (and its database session) before it returns the
    response, so a request counted out here holds no connection.
    """

    def __init__(self, app):
        self.app = app
        self.answering = 0
        self.idle = threading.Condition()

    def __call__(self, environ, start_response):
        with self.idle:
            self.answering += 1
        try:
            response = self.app(environ, start_response)
            try:
                return list(response)
            finally:
                if hasattr(response, "close"):
                    response.close()
        finally:
            with self.idle:
                self.answering -= 1
                self.idle.notify_all()

    def wait_until_idle(self, timeout: float = 60) -> None:
        with self.idle:
            if not self.idle.wait_for(lambda: self.answering == 0, timeout):
                raise AssertionError(
                    f"the server was still answering {self.answering} request(s) "
                    f"{timeout:.0f} s after the test ended")


@pytest.fixture(scope="session")
def counting_requests(app):
    return CountingRequests(app)


@pytest.fixture(scope="session")
def live_server(counting_requests):
    server = make_server("127.0.0.1", 0, counting_requests, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(autouse=True)
def server_idle_before_emptying(counting_requests):
    """Set up after the database fixture and before the browser's, so it is torn down after the
    browser has closed and before the tables are emptied."""
    yield
    counting_requests.wait_until_idle()


class KeptPage:
    """One browser page a test process keeps for the tests that ask for `page`.

    A new page costs Chromium half a second and more of CPU (a renderer process of its own),
    and its first address as much again (nothing cached), on a machine whose two cores the
    suite keeps busy. Between tests the page is left as a new one would be: on a blank page,
    at the default size, with no cookies and nothing stored. A test that changes the page in a
    way that outlives it (a clock, a script run on every page, a handler of dialogs) is marked
    `own_page` and gets a page of its own."""

    def __init__(self, browser, context_args: dict) -> None:
        self._browser = browser
        self._context_args = context_args
        self._page: Page | None = None

    def take(self) -> Page:
        if self._page is None or self._page.is_closed():
            self._page = self._browser.new_context(**self._context_args).new_page()
        return self._page

    def give_back(self, base_url: str) -> None:
        page = self._page
        if page is None or page.is_closed():
            return
        try:
            if page.url.startswith(base_url):
                page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
            page.goto("about:blank")
            page.set_viewport_size(self._context_args.get("viewport")
                                   or {"width": 1280, "height": 720})
            page.context.clear_cookies()
            page.context.clear_permissions()
        except Error:
            # A page the test left broken is not handed on.
            self.close()

    def close(self) -> None:
        if self._page is not None and not self._page.is_closed():
            self._page.context.close()
        self._page = None


@pytest.fixture(scope="session")
def kept_page(browser, browser_context_args):
    kept = KeptPage(browser, browser_context_args)
    yield kept
    kept.close()


@pytest.fixture
def page(request, kept_page, new_context, base_url):
    """The browser page of a test: the process's kept page, or a page of its own for a test
    marked `own_page`."""
    if request.node.get_closest_marker("own_page"):
        yield new_context().new_page()
        return
    yield kept_page.take()
    kept_page.give_back(base_url)


@pytest.fixture(scope="session")
def axe():
    return Axe()


# What tells one kind of page from another: the components it is built from (an error
# summary, a table, a task list, a tag of each colour...). Its title is not part of it: a title
# names the record shown ("Decide: PPAF-2026-5-0001"), and the same page about another record
# is built the same way.
_KIND_OF_PAGE = """() => [...new Set([...document.body.querySelectorAll('[class]')]
  .flatMap(el => [...el.classList]).filter(name => /^(govuk|app)-/.test(name)))].sort()"""


class AccessibilityChecks:
    """axe-core at WCAG 2.2 A and AA on a page, at the width it is shown at.

    axe takes a second or more a page. A page of the same route and components at the same
    width has been checked already in this run (by this test or another, in this test process
    or the other), so it is checked again only when it shows something new: every distinct
    page once a width, whichever test reaches it first. (Tests drive pages at a phone's width
    or a desktop's.) Which pages were checked is kept as one empty file a page in `folder`,
    which every test process of the run shares: making the file claims the page."""

    def __init__(self, axe: Axe, folder: Path) -> None:
        self._axe = axe
        self._folder = folder

    def __call__(self, page, *, both_widths: bool = False) -> None:
        """Check the page at its width; `both_widths`: at a phone's and a desktop's too."""
        # A click that navigates returns once the new document is committed, which can be
        # before it has a body: check the page only once it has loaded.
        page.wait_for_load_state("load")
        seen = (route_of(page.url), *page.evaluate(_KIND_OF_PAGE))
        showing = page.viewport_size
        sizes = [showing]
        if both_widths:
            sizes += [size for size in (PHONE, DESKTOP) if size["width"] != showing["width"]]
        for size in sizes:
            if not self._claim((*seen, size["width"])):
                continue
            if size is not showing:
                page.set_viewport_size(size)
            try:
                self._run(page)
            finally:
                if size is not showing:
                    page.set_viewport_size(showing)

    def _claim(self, kind: tuple) -> bool:
        """Whether this page at this width is still to be checked, claiming it if so."""
        name = hashlib.sha256(json.dumps(kind).encode()).hexdigest()
        try:
            (self._folder / name).open("x").close()
        except FileExistsError:
            return False
        return True

    def _run(self, page) -> None:
        results = self._axe.run(page, options={
            "runOnly": {"type": "tag", "values": WCAG_22_AA},
            "resultTypes": ["violations"],
        })
        assert results.violations_count == 0, (
            f"{page.url} at {page.viewport_size}:\n{results.generate_report()}"
        )


@pytest.fixture
def viewport():
    """The width a journey is driven at (a key of VIEWPORTS): a phone's, the narrower, where
    more goes wrong; marked `both_widths`, its axe checks look at a desktop's width too.
    (Other tests drive their pages at a desktop's width, Playwright's own.)"""
    return "phone"


@pytest.fixture(scope="session")
def accessibility_checks(axe, tmp_path_factory, worker_id):
    # pytest-xdist's test processes share the parent of their temporary folders.
    run_folder = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        run_folder = run_folder.parent
    folder = run_folder / "pages-checked-with-axe"
    folder.mkdir(exist_ok=True)
    return AccessibilityChecks(axe, folder)


@pytest.fixture
def check_accessibility(request, accessibility_checks):
    """Run axe-core on the page as it is now: no WCAG 2.2 A or AA violation. A test marked
    `both_widths` (a journey driven on a phone) has each page checked at a desktop's width too."""
    both_widths = request.node.get_closest_marker("both_widths") is not None
    return functools.partial(accessibility_checks, both_widths=both_widths)


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
