"""Small readers of rendered pages, for the core tests."""

import re
from html.parser import HTMLParser

SERVICE_NAME = "Thames Valley Police and Crime Commissioner — Grants"


def page_title(html: str) -> str:
    match = re.search(r"<title[^>]*>(.*?)</title>", html, re.S)
    assert match, "the page has no <title>"
    return " ".join(match.group(1).split())


def count_tags(html: str, tag: str) -> int:
    return len(re.findall(rf"<{tag}[\s>]", html))


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._open = {**dict(attrs), "text": ""}

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._open is not None:
            self._open["text"] = " ".join(self._open["text"].split())
            self.links.append(self._open)
            self._open = None


def navigation_links(html: str) -> list[dict]:
    """The links in the service navigation, each with its href, text and aria-current."""
    start = html.index('class="govuk-service-navigation')
    end = html.index("</nav>", start)
    parser = _Links()
    parser.feed(html[start:end])
    return parser.links


def navigation_texts(html: str) -> list[str]:
    return [link["text"] for link in navigation_links(html)]
