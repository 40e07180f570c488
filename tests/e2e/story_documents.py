"""The documents an applicant gives in the browser tests: each kind's file box and date."""

from datetime import date, timedelta

from playwright.sync_api import Page

from grants.core import clock

# Each document an application needs: its kind, the label of its file box, and the file.
DOCUMENTS = (("safeguarding_policy", "Upload your safeguarding policy", "safeguarding.pdf"),
             ("latest_accounts", "Upload your latest accounts", "accounts.pdf"),
             ("governing_document", "Upload your governing document", "constitution.pdf"))


def document_date() -> date:
    """A date every kind of document is good on: a month ago (the policy reviewed, the
    accounts' year ended, the governing document last changed)."""
    return clock.today_in_london() - timedelta(days=30)


def date_boxes(page: Page, kind: str) -> list:
    """A kind's date boxes (day, month, year) and what each is to say."""
    day = document_date()
    return [(page.locator(f"#{kind}_date"), day.day), (page.locator(f"#{kind}_date-month"),
                                                       day.month),
            (page.locator(f"#{kind}_date-year"), day.year)]
