"""No `next`, back link or return address can send a person to another site."""

from urllib.parse import urljoin, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grants.core.links import safe_path
from tests.fixtures import source

SITE = "https://grants.example/"


@pytest.mark.parametrize("target", [
    "/", "/dashboard", "/staff/rounds/3/ranking?page=2#top", "/awards?q=a%2F%2Fb",
])
def test_paths_on_this_site_are_kept(target):
    assert safe_path(target) == target


@pytest.mark.parametrize("target", [
    None, "", "dashboard", "https://evil.example/", "//evil.example", "///evil.example",
    "/\\evil.example", "\\\\evil.example", "/%09/evil.example".replace("%09", "\t"),
    "/\n/evil.example", "/\r\n/evil.example", "/\x00", "/\x7f/evil.example",
    "/\u0085/evil.example", "javascript:alert(1)", " /dashboard", "http:/evil.example",
])
def test_anything_that_could_leave_the_site_is_refused(target):
    assert safe_path(target) is None


def _where_a_browser_goes(target: str) -> str:
    """The host a browser reaches following `Location: target` from this site: it drops tabs
    and newlines and reads backslashes as slashes (the WHATWG URL standard)."""
    cleaned = "".join(char for char in target if char not in "\t\n\r").replace("\\", "/")
    return urlsplit(urljoin(SITE, cleaned)).netloc


@given(st.lists(st.sampled_from(list("/\\:.?#@%\t\n\r abcevil-x0\x00") + ["//", "http:"]),
                max_size=20).map("".join))
def test_a_kept_target_never_takes_a_browser_to_another_host(target):
    if safe_path(target) is not None:
        assert _where_a_browser_goes(target) == "grants.example"


@given(st.from_regex(r"\A/[a-z0-9/_\-?=&]{0,40}\Z"))
def test_ordinary_paths_of_this_site_are_always_kept(target):
    if not target.startswith("//"):
        assert safe_path(target) == target


def test_no_other_code_judges_where_an_address_leads():
    judging = sorted(source.modules_matching(r"urlsplit|urlparse|startswith\(\"//\"\)"))
    assert judging == ["core/links.py"]
