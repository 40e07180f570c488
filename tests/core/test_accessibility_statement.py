"""The accessibility statement says what was tested, how and when, and each kind of testing it
names has a browser test in tests/e2e that does it, so the statement stays true."""

import re
from pathlib import Path

import pytest

E2E = Path(__file__).parents[1] / "e2e"

# What the statement says was tested, and the browser test that does it.
TESTED = [
    ("axe-core checks every page the browser tests visit against the WCAG 2.2 A and AA",
     "conftest.py", "wcag22aa"),
    ("a whole year of a funding round", "test_year_story.py", "def test_a_year_of"),
    ("page title that no other page shares", "story_checks.py", "assert_titles_unique"),
    ("the error summary, which links to each question in error, takes the focus",
     "story_checks.py", "to_be_focused()"),
    ("done with the keyboard alone: Tab, Shift+Tab, Enter, Space and the arrow keys",
     "test_keyboard.py", '"Shift+Tab"'),
    ("at 320 CSS pixels wide and at 200% zoom", "test_reflow.py", '"device_scale_factor": 2'),
    ("the same applicant's journey with JavaScript turned off", "test_without_javascript.py",
     "java_script_enabled=False"),
    ("Debian's Chromium web browser", "conftest.py", '"/usr/bin/chromium"'),
]


def statement_text(client) -> str:
    html = client.get("/accessibility").get_data(as_text=True)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize(("claim", "test_file", "evidence"), TESTED)
def test_the_statement_names_each_kind_of_testing_and_a_browser_test_does_it(
        client, claim, test_file, evidence):
    assert claim in statement_text(client)
    assert evidence in (E2E / test_file).read_text(encoding="utf-8")


def test_the_statement_says_when_it_was_tested_and_lists_known_issues(client):
    text = statement_text(client)

    assert "We last tested the service on 23 November 2026" in text
    assert "Known issues" in text
    assert "we have not yet tested the service with screen readers" in text
