"""The link in the newest email, which browser tests follow as a person would. (The applicant's
journey, on a phone and by keyboard alone, with every page checked by axe-core, is
test_keyboard.py; with JavaScript turned off, test_without_javascript.py; on a desktop, within
the year, test_year_story.py.)"""

import re

from sqlalchemy import select

from grants.extensions import db
from grants.records.models import OutboxMessage


def path_of_latest_link_to(path_part: str) -> str:
    """The path of the link in the newest queued email, e.g. the email confirmation link."""
    message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    db.session.close()
    return re.search(rf"https?://[^/\s]+({path_part}\S+)", message.body_text).group(1)
