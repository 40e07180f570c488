"""How the access matrix reads a page's title against its h1 (tests/access/titles.py); the
matrix (tests/access/test_matrix.py) reads every page it opens that way."""

import pytest

from tests.access.titles import mismatch, wrong_title


@pytest.mark.parametrize("title,heading,matches", [
    ("Budget — Grants", "Budget", True),
    ("Error: Budget — Grants", "Budget", True),
    ("Task list — Grants", "Apply to PPAF 2026/27 Round 2", False),
])
def test_a_title_matches_when_it_starts_with_the_heading(title, heading, matches):
    assert mismatch(title, heading) is not matches


@pytest.mark.parametrize("page,wrong", [
    ("<title>Budget — Grants</title><h1 class=x>Budget</h1>", None),
    ("<title>Budget — Grants</title><p>Budget</p>", "no h1"),
    ("<title>Grants</title><h1>Your <b>budget</b></h1>", "title 'Grants', h1 'Your budget'"),
])
def test_a_page_with_no_h1_or_another_title_is_named(page, wrong):
    assert wrong_title(page) == wrong
