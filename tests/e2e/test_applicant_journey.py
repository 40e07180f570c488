"""What the browser tests of the applicant's journey share: the link in the newest email, and
pressing a button by its name. The journey itself, on a phone and by keyboard alone, with
every page checked by axe-core, is test_keyboard.py; with JavaScript turned off,
test_without_javascript.py; on a desktop, within the year, test_year_story.py."""

import re

from playwright.sync_api import Page
from sqlalchemy import select

from grants.extensions import db
from grants.records.models import OutboxMessage


def path_of_latest_link_to(path_part: str) -> str:
    """The path of the link in the newest queued email, e.g. the email confirmation link."""
    message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    db.session.close()
    return re.search(rf"https?://[^/\s]+({path_part}\S+)", message.body_text).group(1)


def press(page: Page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
