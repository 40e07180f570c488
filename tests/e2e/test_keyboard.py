"""The applicant's whole journey in a browser, on a phone (390 by 844), driven by the keyboard
alone: create an account, confirm the email, register the organisation, apply to an open round
section by section (leaving and coming back), upload the documents after a refused attempt,
check the answers and send.

Tab and Shift+Tab to move, Enter to follow links and press buttons, Space to tick boxes, arrow
keys to choose radios and options; a file is given to the file box the keyboard reached (a
test cannot answer the system's file chooser without racing it). At every stop the focused
element must show that it has the focus: its look (or, for radios and boxes, its label's drawn
control) differs from how it looked unfocused. A form sent with a mistake puts the focus on
the error summary, whose links take it to the question.

Every page of the journey, including those showing errors, passes axe-core at WCAG 2.2 AA at
a phone's width; and at a desktop's, those whose title names this round or shows an error only
this journey makes (the year story, test_year_story.py, checks the others at a desktop's width
on its own applications). The organisation's details are confirmed without their page (a Yes
radio, as the year story does on its pages); addresses are typed into the browser's address
bar (the email's link, the list of rounds), as a person would."""

import re
from datetime import date, timedelta

from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.story_applicant import PASSWORD, PDF
from tests.e2e.story_checks import VIEWPORTS
from tests.e2e.story_data import (
    AREA,
    OWN_SECTION,
    POLICIES,
    POLICY_CHOICES,
    WORKS_WITH_CHILDREN,
    open_round,
)
from tests.e2e.story_documents import DOCUMENTS, date_boxes
from tests.e2e.story_email import path_of_latest_link_to
from tests.e2e.without_pages import answer_section_without_pages

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


def retype(keys: Keyboard, field: Locator, text: str) -> None:
    """Tab to a text box, select what it says and type over it."""
    keys.tab_to(field)
    field.page.keyboard.press("Control+A")
    field.page.keyboard.type(text)


def test_an_applicant_registers_applies_and_sends_using_only_the_keyboard(
        viewport, browser: Browser, live_server, check_accessibility, accessibility_checks,
        save):
    round_ = open_round(own_questions=True)
    save()
    page = browser.new_context(base_url=live_server, viewport=VIEWPORTS[viewport]).new_page()
    keys = Keyboard(page)

    def check_at_both_widths(page: Page) -> None:
        accessibility_checks(page, both_widths=True)

    # An account, its email confirmed through the emailed link.
    page.goto("/register")
    keys.type_into(page.get_by_label("Full name"), "Morgan Volunteer")
    keys.type_into(page.get_by_label("Email address"), "morgan@example.org")
    keys.type_into(page.get_by_label("Create a password"), PASSWORD)
    keys.type_into(page.get_by_label("Confirm your password"), PASSWORD)
    keys.activate(button(page, "Create account"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    page.goto(path_of_latest_link_to("/account/verify/"))
    keys.activate(button(page, "Confirm email address"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Email address confirmed")
    check_accessibility(page)

    # The organisation: radios, a drop-down list and a text area.
    page.goto("/organisations/new")
    keys.type_into(page.get_by_label("Organisation name"), "Reading Street Support")
    kinds = page.locator("input[name=organisation_type]")
    keys.choose(kinds, page.get_by_label("Registered charity", exact=True))
    keys.type_into(page.get_by_label("Charity number"), "1180001")
    keys.type_into(page.get_by_label("Address", exact=True), "Community Centre\nReading")
    keys.type_into(page.get_by_label("Postcode"), "RG1 2AB")
    keys.select(page.get_by_label("Local authority area"), AREA)
    keys.type_into(page.get_by_label("Main contact's name"), "Morgan Volunteer")
    keys.type_into(page.get_by_label("Main contact's email address"), "morgan@example.org")
    keys.activate(button(page, "Register organisation"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Reading Street Support")

    # The round, and the application's task list.
    page.goto("/rounds")
    check_accessibility(page)
    keys.activate(page.get_by_role("link", name=round_.title).first)
    check_at_both_widths(page)
    keys.activate(button(page, "Start an application").or_(
        page.get_by_role("link", name="Start an application")).first)
    check_at_both_widths(page)
    keys.activate(button(page, "Start application"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Apply to {round_.title}")
    check_at_both_widths(page)
    application_id = int(re.search(r"/applications/(\d+)", page.url).group(1))
    answer_section_without_pages(page, application_id, "organisation",
                                 {"details_correct": "yes"})

    # The project, with a mistake first: the summary's link takes the focus to the question.
    # Then left half done and picked up again.
    keys.activate(page.get_by_role("link", name="Your project"))
    keys.type_into(page.get_by_label("Project title"), "Night shelter")
    keys.type_into(page.get_by_label("Summary"), "word " * 101)
    keys.activate(button(page, "Save and continue"))
    expect(page).to_have_title(re.compile("^Error: Your project"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("100 words or fewer")
    check_at_both_widths(page)
    keys.tab_to(summary.get_by_role("link").first)
    page.keyboard.press("Enter")
    expect(page.get_by_label("Summary")).to_be_focused()
    keys.activate(button(page, "Save and come back later"))
    expect(page.get_by_text("In progress")).to_be_visible()
    keys.activate(page.get_by_role("link", name="Your project"))
    expect(page.get_by_label("Project title")).to_have_value("Night shelter")
    retype(keys, page.get_by_label("Summary"),
           "Volunteers meet people sleeping rough and link them to support.")
    # Back up with Shift+Tab to finish the title.
    keys.tab_to(page.get_by_label("Project title"))
    page.keyboard.press("End")
    page.keyboard.type(" outreach")
    keys.type_into(page.get_by_label("Project description"), "Outreach three nights a week.")
    keys.fill_date("planned_start", round_.project_start)
    keys.fill_date("planned_end", round_.project_start + timedelta(days=300))
    keys.activate(button(page, "Save and continue"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Priorities and key aims")
    check_accessibility(page)
    keys.choose(page.locator("input[name=primary_priority]"),
                page.get_by_role("radio", name="P1 Vulnerability"))
    keys.tick(page.get_by_label(re.compile("P1.1")))
    keys.activate(button(page, "Save and continue"))

    # A radio that reveals boxes to tick.
    expect(page.get_by_role("heading", level=1)).to_have_text("Areas served")
    check_accessibility(page)
    keys.choose(page.locator("input[name=serves]"),
                page.get_by_label("Particular local authority areas"))
    keys.tick(page.get_by_label(AREA))
    keys.activate(button(page, "Save and continue"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Budget")
    check_accessibility(page)
    keys.type_into(page.locator("#line_1_description"), "Volunteer expenses")
    keys.type_into(page.locator("#line_1_amount"), "3,000")
    keys.type_into(page.locator("#line_2_description"), "Sleeping bags")
    keys.type_into(page.locator("#line_2_amount"), "2000")
    keys.type_into(page.get_by_label("How much are you asking for?"), "£5,000")
    keys.type_into(page.get_by_label("What is the total cost of the project?"), "5000")
    keys.activate(button(page, "Save and continue"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Outcomes and beneficiaries")
    check_accessibility(page)
    keys.type_into(page.get_by_label("What will change because of your project?"),
                   "Fewer people sleep rough in Reading.")
    keys.type_into(page.get_by_label("How many people will benefit?"), "120")
    keys.type_into(page.get_by_label("Who will benefit?"), "People sleeping rough.")
    keys.activate(button(page, "Save and continue"))

    # The round's own questions: a yes or no, and boxes to tick.
    expect(page.get_by_role("heading", level=1)).to_have_text(OWN_SECTION)
    check_at_both_widths(page)
    children = page.get_by_role("group", name=WORKS_WITH_CHILDREN)
    keys.choose(children.get_by_role("radio"), children.get_by_label("Yes", exact=True))
    policies = page.get_by_role("group", name=POLICIES)
    for choice in POLICY_CHOICES[:2]:
        keys.tick(policies.get_by_label(choice))
    keys.activate(button(page, "Save and continue"))

    # The documents: a wrong file first; then each file goes to its file box once Tab has
    # reached it, and its date is typed.
    expect(page.get_by_role("heading", level=1)).to_have_text("Documents")
    check_accessibility(page)
    give_file(keys, page.get_by_label("Upload your safeguarding policy"),
              {"name": "policy.pdf", "mimeType": "application/pdf", "buffer": b"not a pdf"})
    keys.activate(button(page, "Save and continue"))
    expect(page).to_have_title(re.compile("^Error: Documents"))
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    check_accessibility(page)
    for kind, label, name in DOCUMENTS:
        give_file(keys, page.get_by_label(label),
                  {"name": name, "mimeType": "application/pdf", "buffer": PDF})
        for box, value in date_boxes(page, kind):
            retype(keys, box, str(value))
    keys.activate(button(page, "Save and continue"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Declaration")
    check_accessibility(page)
    for box in page.get_by_role("checkbox").all():
        keys.tick(box)
    keys.type_into(page.get_by_label("Your position in the organisation"), "Chair of trustees")
    keys.activate(button(page, "Save and continue"))

    # Check the answers and send.
    expect(page.get_by_text("You have completed 9 of 9 sections.")).to_be_visible()
    keys.activate(page.get_by_role("link", name="Check your answers"))
    expect(page.get_by_text("Night shelter outreach")).to_be_visible()
    for question, answer in ((WORKS_WITH_CHILDREN, "Yes"), (POLICIES, POLICY_CHOICES[1])):
        expect(page.locator(".govuk-summary-list__row", has=page.get_by_text(
            question, exact=True))).to_contain_text(answer)
    check_accessibility(page)
    keys.activate(button(page, "Accept and send"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Application sent")
    expect(page.locator(".govuk-panel strong")).to_have_text("PPAF-2026-2-0001")
    check_accessibility(page)
    assert keys.stops > 100
    page.context.close()


def give_file(keys: Keyboard, file_box: Locator, file: dict) -> None:
    """Tab to the file box and give it the file there."""
    keys.tab_to(file_box)
    expect(file_box).to_be_focused()
    file_box.page.locator(":focus").set_input_files(file)
