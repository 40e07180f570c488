"""Checks the browser tests make on the pages they visit: axe-core, the title, the headings,
status tags in words, the error summary taking focus, and nothing wider than the screen."""

import re

from playwright.sync_api import Page, expect

# The two widths pages are driven at: a phone's (journeys, unless they have a reason to choose)
# and a desktop's (Playwright's own, 1280 wide).
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}

# The page's title, its h1 elements, the levels of all its headings in document order, and how
# many status tags say nothing in words (a colour alone would carry their meaning).
_STRUCTURE = """() => ({
  title: document.title,
  h1s: [...document.querySelectorAll('h1')].map(h => h.textContent.trim()),
  levels: [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
    .filter(h => h.getClientRects().length > 0)
    .map(h => Number(h.tagName[1])),
  tagsWithoutWords: [...document.querySelectorAll('.govuk-tag')]
    .filter(tag => !tag.textContent.trim()).length,
})"""

# Elements wider than the viewport (or reaching past its right edge), other than those inside
# a data table's scrollable region: what forces a reader to scroll sideways.
_TOO_WIDE = """() => {
  const width = document.documentElement.clientWidth;
  const inScrollRegion = el => el.closest('.app-table-scroll') !== null;
  const offenders = [], outermost = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (inScrollRegion(el) || el.getClientRects().length === 0) continue;
    if (outermost.some(wide => wide.contains(el))) continue;  // named once, by its container
    const box = el.getBoundingClientRect();
    if (box.width > width + 1 || box.right > width + 1) {
      outermost.push(el);
      offenders.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}` +
        `.${[...el.classList].join('.')} (${Math.round(box.width)}px, right ` +
        `${Math.round(box.right)}px)`);
    }
  }
  return {width, scrollWidth: document.documentElement.scrollWidth, offenders};
}"""

class PageChecks:
    """Runs on each page visited: axe-core at WCAG 2.2 A and AA, one h1, headings in order,
    a descriptive title that no other kind of page shares, and status tags in words."""

    def __init__(self, check_accessibility, service_name: str) -> None:
        self._axe = check_accessibility
        self._suffix = f" — {service_name}"
        self.routes_by_title: dict[str, set[str]] = {}
        self.pages_checked = 0

    def __call__(self, page: Page) -> None:
        # A click on a link returns once the next page has started loading, not finished.
        page.wait_for_load_state("load")
        structure = page.evaluate(_STRUCTURE)
        title, url = structure["title"], page.url
        self._axe(page)  # each distinct page once in a run (tests/e2e/conftest.py)
        assert len(structure["h1s"]) == 1, f"{url}: h1 elements {structure['h1s']}"
        assert title.endswith(self._suffix), f"{url}: title {title!r}"
        own = title.removeprefix("Error: ").removesuffix(self._suffix).strip()
        assert len(own) > 3 and own != self._suffix, f"{url}: title {title!r}"
        previous = 1
        for level in structure["levels"]:
            assert level <= previous + 1, f"{url}: heading levels {structure['levels']}"
            previous = level
        assert structure["tagsWithoutWords"] == 0, f"{url}: a status tag with no words"
        self.routes_by_title.setdefault(own, set()).add(route_of(url))
        self.pages_checked += 1

    def assert_titles_unique(self) -> None:
        shared = {title: routes for title, routes in self.routes_by_title.items()
                  if len(routes) > 1}
        assert not shared, f"titles shared by different pages: {shared}"


def route_of(url: str) -> str:
    """The kind of page an address is: the path with its numbers written as <id> and its
    signed tokens (long, with dots) as <token>."""
    path = re.sub(r"^https?://[^/]+", "", url).split("?")[0].split("#")[0]
    path = re.sub(r"/[\w-]{8,}\.[\w.-]+(?=/|$)", "/<token>", path)
    return re.sub(r"/\d+(?=/|$)", "/<id>", path)


def expect_error_summary(page: Page, message: str, *, focused: bool = True) -> None:
    """The form was sent with a mistake: the title says so, the summary names the mistake
    and (where the page's scripts run) has the focus."""
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(message)
    if focused:
        expect(summary).to_be_focused()


def expect_error_summary_focused(page: Page, message: str) -> None:
    expect_error_summary(page, message, focused=True)


def too_wide(page: Page) -> dict:
    return page.evaluate(_TOO_WIDE)
