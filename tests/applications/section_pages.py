"""Opening and saving a section page as a browser would: its CSRF token, its version, a button."""

import html
import re

from tests.fixtures.auth import csrf_token_from

_VERSION = re.compile(r'<input[^>]*name="version"[^>]*value="(\d+)"')


def section_path(application, key: str) -> str:
    return f"/applications/{application.id}/sections/{key}"


def open_section(client, application, key: str) -> str:
    response = client.get(section_path(application, key))
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def save_section(client, application, key: str, data: dict, action: str = "continue"):
    """Open the section page, then post `data` with its token and version and a button."""
    page = open_section(client, application, key)
    return client.post(section_path(application, key), data={
        **data, "csrf_token": csrf_token_from(page), "version": _VERSION.search(page).group(1),
        "action": action})


def error_for(page: str, name: str) -> str | None:
    """The error message shown on the field (or group of radios or checkboxes) `name`."""
    match = re.search(rf'<p id="{re.escape(name)}-error" class="govuk-error-message">(.*?)</p>',
                      page, re.S)
    if match is None:
        return None
    text = re.sub(r"<span[^>]*>Error:</span>", "", match.group(1))
    return html.unescape(text).strip()


def text_of(page: str) -> str:
    """The page's text with its entities decoded, for looking for messages in it."""
    return html.unescape(page)


def section_row(application, key: str):
    return next((row for row in application.sections if row.key == key), None)


def checked(page: str, name: str) -> set[str]:
    """The values of the radios or checkboxes called `name` that are ticked on the page."""
    return set(re.findall(
        rf'<input [^>]*name="{re.escape(name)}" type="(?:radio|checkbox)" value="([^"]*)" checked',
        page))


def value_of(page: str, name: str) -> str | None:
    """The value the text input called `name` shows, decoded."""
    tag = re.search(rf'<input [^>]*name="{re.escape(name)}"[^>]*>', page)
    if tag is None:
        return None
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else None
