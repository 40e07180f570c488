"""The browser fixtures of tests/e2e, for the security pages' browser tests."""

from tests.e2e.conftest import (  # noqa: F401 (fixtures used by name)
    accessibility_checks,
    axe,
    base_url,
    browser_type_launch_args,
    check_accessibility,
    counting_requests,
    kept_page,
    live_server,
    page,
    save,
    server_idle_before_emptying,
)
