"""Every page's title starts with its h1, so the tab, the history and a screen reader's first
words name the page as its heading does (GOV.UK: the title and the h1 say the same thing).

Every page the access matrix opens is read, as each kind of person it is shown to (a page may
differ between them): `<title>` must start with the h1's text, after "Error: " when the page
shows errors.
"""

import html
import re

import pytest

from tests.access.table import ALLOWED, TABLE
from tests.access.test_matrix import ask, browser_for, routes_of

# One of each role; the others see the same pages about other records.
READERS = ("anonymous", "applicant_a", "reviewer_assigned", "staff", "admin",
           "sheriff_berkshire")
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title>", re.S)
_TAG = re.compile(r"<[^>]+>")


def words(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def title_and_heading(page: str) -> tuple[str, str] | None:
    """The page's title and h1, as a person reads them; None for a page with no h1."""
    title, heading = _TITLE.search(page), _H1.search(page)
    if title is None or heading is None:
        return None
    return words(title.group(1)), words(heading.group(1))


def mismatch(title: str, heading: str) -> bool:
    return not title.removeprefix("Error: ").startswith(heading)


@pytest.mark.parametrize("kind", READERS)
def test_every_pages_title_starts_with_its_h1(app, world, kind):
    browser = browser_for(app, world, kind)
    wrong = []
    for route in routes_of(app):
        if route.method != "GET" or TABLE[route.endpoint]["GET"][kind] != ALLOWED:
            continue
        path, got, text = ask(browser, world, route)
        if not got == ALLOWED or "<html" not in text:
            continue
        read = title_and_heading(text)
        if read is None:
            wrong.append(f"{route.endpoint} {path}: no h1")
        elif mismatch(*read):
            wrong.append(f"{route.endpoint} {path}: title {read[0]!r}, h1 {read[1]!r}")

    assert not wrong, f"pages whose title does not start with their h1, as {kind}:\n  " + (
        "\n  ".join(wrong))


@pytest.mark.parametrize("title,heading,matches", [
    ("Budget — Grants", "Budget", True),
    ("Error: Budget — Grants", "Budget", True),
    ("Task list — Grants", "Apply to PPAF 2026/27 Round 2", False),
])
def test_a_title_matches_when_it_starts_with_the_heading(title, heading, matches):
    assert mismatch(title, heading) is not matches
