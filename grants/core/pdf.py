"""A page of the service as a PDF document, drawn by WeasyPrint with the page's print styles.

WeasyPrint fetches what a page refers to (stylesheets, images). Here it reads only the service's
own stylesheets, from disk, and is refused everything else: a PDF never waits on the network,
and nothing in a page (an address someone typed into an answer, say) can make the server ask
another machine for anything."""

import logging
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from grants.core.links import path_on

logger = logging.getLogger(__name__)

# Page size, margins, and a footer with page numbers: for paper only, so not in the site's
# stylesheet.
PAGE_STYLE = """
@page {
  size: A4;
  margin: 18mm 15mm 20mm;
  @bottom-left { content: %(footer)s; font: 9pt arial, sans-serif; }
  @bottom-right {
    content: "Page " counter(page) " of " counter(pages); font: 9pt arial, sans-serif;
  }
}
"""


class RefusedFetch(ValueError):
    """WeasyPrint asked for something other than one of the service's stylesheets."""


class OwnStylesheetsOnly(URLFetcher):
    """Answers requests for `{origin}{prefix}/css/*.css` from `folder`/css; refuses the rest."""

    def __init__(self, *, origin: str, static_url_path: str, static_folder: str):
        super().__init__(allowed_protocols=())
        self._origin = origin
        self._prefix = static_url_path.rstrip("/") + "/css/"
        self._folder = Path(static_folder, "css").resolve()

    def fetch(self, url, headers=None):
        path = self._stylesheet_path(url)
        if path is None:
            logger.info("PDF: refused to fetch %s", url[:200])
            raise RefusedFetch(f"not one of the service's stylesheets: {url[:200]}")
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": "text/css"})

    def _stylesheet_path(self, url: str) -> Path | None:
        on_this_site = path_on(url, self._origin)
        if (on_this_site is None or not on_this_site.startswith(self._prefix)
                or not on_this_site.endswith(".css")):
            return None
        path = (self._folder / on_this_site.removeprefix(self._prefix)).resolve()
        if not path.is_relative_to(self._folder) or not path.is_file():
            return None
        return path


def css_string(text: str) -> str:
    """`text` as a CSS string, every character but ASCII letters and digits escaped. Each
    escape has six hex digits and no space follows one, so nothing after it is read as part of
    it."""
    return '"' + "".join(char if char.isascii() and char.isalnum() else f"\\{ord(char):06x}"
                         for char in text) + '"'


def html_to_pdf(html: str, *, base_url: str, static_url_path: str, static_folder: str,
                footer: str) -> bytes:
    """The page `html` (served at `base_url`) as an A4 PDF document, in its print styles, with
    `footer` and the page numbers at the foot of each page."""
    # WeasyPrint warns of every rule of the GOV.UK stylesheet it does not draw (screen-width
    # media queries, @supports, browser-only selectors): hundreds a document, none of them a
    # fault. Its errors still reach the log; refused fetches are logged above.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    fetcher = OwnStylesheetsOnly(origin=base_url, static_url_path=static_url_path,
                                 static_folder=static_folder)
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher, media_type="print")
    page_style = CSS(string=PAGE_STYLE % {"footer": css_string(footer)}, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[page_style])
