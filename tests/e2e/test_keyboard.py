"""The applicant's part of the year driven by the keyboard alone: Tab and Shift+Tab to move,
Enter to follow links and press buttons, Space to tick boxes, arrow keys to choose radios and
options; a file is given to the file box the keyboard reached (a test cannot answer the
system's file chooser without racing it). At every stop the focused element must show that it
has the focus: its look (or, for radios and boxes, its label's drawn control) differs from how
it looked unfocused.

Every kind of control the applicant's pages have is driven at least once: links and buttons,
text boxes and areas, a drop-down list, radios, boxes to tick, date fields, file boxes and the
error summary. The account is made directly; the sections that ask nothing new (the
organisation's details, the areas, the budget and the outcomes) are answered without their
pages."""

import re
from datetime import date

from playwright.sync_api import Locator, Page, expect

from tests.e2e.story_applicant import PDF
from tests.e2e.story_data import AREA, open_round
from tests.e2e.story_documents import DOCUMENTS, date_boxes
from tests.e2e.without_pages import answer_section_without_pages
from tests.fixtures.factories import TEST_PASSWORD

MAX_TAB_STOPS = 80

# The look of an element and of its label's drawn control (GOV.UK draws radios and boxes with
# the label's ::before and ::after), recorded for every focusable element when a page loads.
_LOOKS = """
window.__look = el => {
  const look = (node, pseudo) => {
    if (!node) return '';
    const s = getComputedStyle(node, pseudo);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.backgroundColor,
            s.color, s.textDecorationLine, s.borderColor, s.borderWidth].join('|');
  };
  const label = el.id ? document.querySelector(`label[for="${el.id}"]`) : null;
  return {own: look(el), control: look(label, '::before') + look(label, '::after')};
};
window.__unfocused = new Map();
for (const el of document.querySelectorAll('a[href], button, input, select, textarea, summary')) {
  if (el !== document.activeElement) window.__unfocused.set(el, window.__look(el));
}
"""

_FOCUSED = """() => {
  const el = document.activeElement;
  const box = el.getBoundingClientRect();
  const looks = {now: window.__look(el), before: window.__unfocused.get(el) || null};
  const label = el.labels && el.labels[0] ? el.labels[0].textContent.trim() : '';
  return {tag: el.tagName.toLowerCase(), type: el.type || '', id: el.id,
          name: (el.textContent || label || el.value || '').trim().slice(0, 60) || label,
          visible: box.width > 0 && box.height > 0, ...looks};
}"""


class Keyboard:
    """Moves the focus with Tab and Shift+Tab, checking at every stop that it can be seen."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.stops = 0

    def _prepare(self) -> None:
        if not self.page.evaluate("() => window.__unfocused !== undefined"):
            self.page.evaluate(_LOOKS)

    def _check_focus_visible(self) -> dict:
        focused = self.page.evaluate(_FOCUSED)
        self.stops += 1
        where = f"{self.page.url}: {focused['tag']}#{focused['id']} {focused['name']!r}"
        assert focused["visible"], f"{where} has the focus but cannot be seen"
        before = focused["before"]
        if before is not None:
            if focused["type"] in ("radio", "checkbox"):
                assert focused["now"]["control"] != before["control"], \
                    f"{where}: no visible focus on the radio or box"
            else:
                assert focused["now"]["own"] != before["own"], f"{where}: no visible focus"
        return focused

    def _is_focused(self, target: Locator) -> bool:
        return target.evaluate_all("els => els.includes(document.activeElement)")

    def tab_to(self, target: Locator) -> None:
        """Tab (or Shift+Tab, when the target comes before the focus) until the target, or
        one of the targets, has the focus."""
        self._prepare()
        expect(target.first).to_be_attached()
        backwards = target.first.evaluate(
            "el => document.activeElement !== document.body && "
            "!!(el.compareDocumentPosition(document.activeElement) & "
            "Node.DOCUMENT_POSITION_FOLLOWING)")
        for _ in range(MAX_TAB_STOPS):
            self.page.keyboard.press("Shift+Tab" if backwards else "Tab")
            self._check_focus_visible()
            if self._is_focused(target):
                return
        raise AssertionError(f"{self.page.url}: Tab never reached {target}")

    def type_into(self, target: Locator, text: str) -> None:
        self.tab_to(target)
        self.page.keyboard.type(text)

    def tick(self, target: Locator) -> None:
        self.tab_to(target)
        self.page.keyboard.press("Space")
        expect(target).to_be_checked()

    def choose(self, group: Locator, wanted: Locator) -> None:
        """Tab into a radio group, then arrow keys until the wanted radio is chosen."""
        self.tab_to(group)
        if self._is_focused(wanted):
            self.page.keyboard.press("Space")
        for _ in range(group.count()):
            if wanted.is_checked():
                break
            self.page.keyboard.press("ArrowDown")
            self._check_focus_visible()
        expect(wanted).to_be_checked()

    def select(self, target: Locator, label: str) -> None:
        """A drop-down list, changed with the arrow keys until it shows the option."""
        self.tab_to(target)
        options = target.locator("option").all_text_contents()
        for _ in range(len(options)):
            if target.evaluate("el => el.options[el.selectedIndex].text") == label:
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"option {label!r} not reached in {options}")

    def activate(self, target: Locator) -> None:
        """Enter on a link or button that goes to another page."""
        self.tab_to(target)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def fill_date(self, field: str, day: date) -> None:
        for part, value in (("day", day.day), ("month", day.month), ("year", day.year)):
            self.type_into(self.page.locator(f"#{field}-{part}"), str(value))


def button(page: Page, name: str) -> Locator:
    return page.get_by_role("button", name=name, exact=True)


def answer_the_sections_with_nothing_new(page: Page, application_id: int) -> None:
    """The sections whose controls the keyboard meets elsewhere, answered without their
    pages: a Yes radio, radios revealing boxes to tick, text boxes."""
    answer_section_without_pages(page, application_id, "organisation",
                                 {"details_correct": "yes"})
    answer_section_without_pages(page, application_id, "areas", {"serves": "whole"})
    answer_section_without_pages(page, application_id, "budget", {
        "line_1_description": "Volunteer expenses", "line_1_amount": "2,500",
        "amount_requested": "£2,500", "total_cost": "2500"})
    answer_section_without_pages(page, application_id, "outcomes", {
        "outcomes": "People get home safely.", "beneficiaries_count": "300",
        "beneficiary_groups": "People out late at night."})


def test_an_applicant_registers_applies_and_sends_using_only_the_keyboard(
        page: Page, save, user_factory):
    round_ = open_round()
    user_factory(name="Kim Keys", email="kim@example.org")
    save()
    keys = Keyboard(page)

    # Sign in from the home page: a wrong password first, the error summary takes the focus.
    page.goto("/")
    keys.activate(page.get_by_role("link", name="Sign in").first)
    keys.type_into(page.get_by_label("Email address"), "kim@example.org")
    keys.type_into(page.get_by_label("Password", exact=True), "not the password")
    keys.activate(button(page, "Sign in"))
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    keys.type_into(page.get_by_label("Email address"), "kim@example.org")
    keys.type_into(page.get_by_label("Password", exact=True), TEST_PASSWORD)
    keys.activate(button(page, "Sign in"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")

    # The organisation.
    keys.activate(page.get_by_role("link", name="Register an organisation"))
    keys.type_into(page.get_by_label("Organisation name"), "Keyboard Community Trust")
    kinds = page.locator("input[name=organisation_type]")
    keys.choose(kinds, page.get_by_label("Registered charity", exact=True))
    keys.type_into(page.get_by_label("Charity number"), "1180007")
    keys.type_into(page.get_by_label("Address", exact=True), "Community Centre\nReading")
    keys.type_into(page.get_by_label("Postcode"), "RG1 2AB")
    keys.select(page.get_by_label("Local authority area"), AREA)
    keys.type_into(page.get_by_label("Main contact's name"), "Kim Keys")
    keys.type_into(page.get_by_label("Main contact's email address"), "kim@example.org")
    keys.activate(button(page, "Register organisation"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Keyboard Community Trust")

    # The round, and a new application.
    keys.activate(page.get_by_role("link", name="Funding rounds").first)
    keys.activate(page.get_by_role("link", name=round_.title).first)
    keys.activate(button(page, "Start an application").or_(
        page.get_by_role("link", name="Start an application")).first)
    keys.activate(button(page, "Start application"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Apply to {round_.title}")
    application_id = int(re.search(r"/applications/(\d+)", page.url).group(1))
    answer_the_sections_with_nothing_new(page, application_id)

    # The project: sent empty first; the summary's link takes the focus to the question.
    keys.activate(page.get_by_role("link", name="Your project"))
    keys.activate(button(page, "Save and continue"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    keys.tab_to(summary.get_by_role("link").first)
    page.keyboard.press("Enter")
    expect(page.get_by_label("Project title")).to_be_focused()
    page.keyboard.type("Night buses")
    keys.type_into(page.get_by_label("Summary"), "Volunteers help people home safely.")
    # Back up with Shift+Tab to finish the title.
    keys.tab_to(page.get_by_label("Project title"))
    page.keyboard.press("End")
    page.keyboard.type(" home")
    keys.type_into(page.get_by_label("Project description"), "Three nights a week.")
    keys.fill_date("planned_start", round_.project_start)
    keys.fill_date("planned_end", round_.project_start.replace(year=round_.project_start.year
                                                                + 1))
    keys.activate(button(page, "Save and continue"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Priorities and key aims")
    keys.choose(page.locator("input[name=primary_priority]"),
                page.get_by_role("radio", name="P1 Vulnerability"))
    keys.tick(page.get_by_label(re.compile("P1.1")))
    keys.activate(button(page, "Save and continue"))

    # The areas, budget and outcomes are answered: back to the task list for the documents.
    expect(page.get_by_role("heading", level=1)).to_have_text("Areas served")
    keys.activate(page.get_by_role("link", name="Back to the task list"))
    expect(page.get_by_text("You have completed 6 of 8 sections.")).to_be_visible()
    keys.activate(page.get_by_role("link", name="Documents"))

    # The documents: each file goes to its file box once Tab has reached it, then its date.
    expect(page.get_by_role("heading", level=1)).to_have_text("Documents")
    for kind, label, name in DOCUMENTS:
        file_box = page.get_by_label(label)
        keys.tab_to(file_box)
        expect(file_box).to_be_focused()
        page.locator(":focus").set_input_files(
            {"name": name, "mimeType": "application/pdf", "buffer": PDF})
        for box, value in date_boxes(page, kind):
            keys.type_into(box, str(value))
    keys.activate(button(page, "Save and continue"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Declaration")
    for box in page.get_by_role("checkbox").all():
        keys.tick(box)
    keys.type_into(page.get_by_label("Your position in the organisation"), "Chair")
    keys.activate(button(page, "Save and continue"))

    # Check the answers and send.
    expect(page.get_by_text("You have completed 8 of 8 sections.")).to_be_visible()
    keys.activate(page.get_by_role("link", name="Check your answers"))
    expect(page.get_by_text("Night buses home")).to_be_visible()
    keys.activate(button(page, "Accept and send"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Application sent")
    expect(page.locator(".govuk-panel strong")).to_have_text("PPAF-2026-2-0001")
    assert keys.stops > 100
