"""Steps sent from the browser context's own request client instead of its pages, for browser
tests about what comes after them: signing in, and answering a section the test does not drive.

The client shares the context's cookies, and sends the same forms a page would (with their
CSRF token and version) to the same views, so the server does everything it does for the
page; only Chromium's loading and drawing of the page is left out. Tests about these pages
drive them instead: the year story and the session timeout sign in through the page, and the
year story and the keyboard journey (test_keyboard.py) fill in the sections' pages."""

import re
from urllib.parse import urlencode

from playwright.sync_api import Page

from tests.fixtures.auth import csrf_token_from
from tests.fixtures.factories import TEST_PASSWORD

_VERSION = re.compile(r'<input[^>]*name="version"[^>]*value="(\d+)"')


def sign_in_without_pages(page: Page, email: str, password: str = TEST_PASSWORD) -> None:
    """Sign `page`'s browser context in as `email`; its next page load is signed in."""
    form = page.request.get("/sign-in")
    assert form.ok, f"/sign-in answered {form.status}"
    answer = page.request.post("/sign-in", max_redirects=0, form={
        "csrf_token": csrf_token_from(form.text()), "email": email, "password": password,
        "next": ""})
    # Signed in, the form sends the person on; refused, it shows itself again (200).
    assert answer.status == 302, f"signing in as {email} answered {answer.status}"


def answer_section_without_pages(page: Page, application_id: int, key: str,
                                 answers: dict[str, str | list[str]]) -> None:
    """Send the section's form as "Save and continue" would, for the signed-in person of
    `page`'s context; the section must then be complete."""
    path = f"/applications/{application_id}/sections/{key}"
    shown = page.request.get(path)
    assert shown.ok, f"{path} answered {shown.status}"
    fields = [("csrf_token", csrf_token_from(shown.text())),
              ("version", _VERSION.search(shown.text()).group(1)), ("action", "continue")]
    for name, value in answers.items():
        fields += [(name, one) for one in (value if isinstance(value, list) else [value])]
    answer = page.request.post(path, max_redirects=0, data=urlencode(fields), headers={
        "Content-Type": "application/x-www-form-urlencoded"})
    # Complete, the section goes on to the next; with a mistake, it shows itself again (200).
    assert answer.status == 302 and not answer.headers["location"].endswith(path), (
        f"the {key} section was not completed: {answer.status}")



def signed_out(page: Page) -> None:
    """Nobody is signed in in `page`'s browser. Off the page first: a request it still has
    under way (its icon, answered with the session's cookie renewed) must not land after the
    cookies are gone and sign the last person in again."""
    page.goto("about:blank")
    page.context.clear_cookies()
