"""Every page's title starts with its h1, so the tab, the history and a screen reader's first
words name the page as its heading does (GOV.UK: the title and the h1 say the same thing).
The access matrix reads every page it opens, as each kind of person (a page may differ
between them): `<title>` must start with the h1's text, after "Error: " when the page shows
errors."""

import html
import re

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


def wrong_title(page: str) -> str | None:
    """What is wrong with a page's title (no h1, or a title that does not start with it)."""
    read = title_and_heading(page)
    if read is None:
        return "no h1"
    if mismatch(*read):
        return f"title {read[0]!r}, h1 {read[1]!r}"
    return None
