"""Moving between the people a staff-side browser test follows, in one browser.

Each person signs in through the form once, going straight on to the page the test wants
(the form's `next`); after that, turning from one to another swaps the session cookies rather
than signing out and in again, which would load three pages to prove nothing the test is
about. Signing in and out themselves are proved by the tests about them (test_accounts_journey,
test_pages_accessibility and the year's story)."""

import re
from urllib.parse import quote

from playwright.sync_api import Page, expect

from tests.e2e.story_applicant import press
from tests.fixtures.factories import TEST_PASSWORD


class People:
    """Who is signed in in `page`'s browser, and the sessions of those who were before."""

    def __init__(self, page: Page) -> None:
        self._page = page
        self._sessions: dict[str, list] = {}
        self._current: str | None = None

    def sign_in(self, email: str, then: str | None = None, *,
                password: str = TEST_PASSWORD) -> None:
        """`email` is signed in, on the page `then` (else where signing in lands them):
        through the form the first time, afterwards with their session."""
        page = self._page
        was_on = page.url
        self._put_away_session()
        self._current = email
        if email in self._sessions:
            page.context.add_cookies(self._sessions[email])
            page.goto(then if then is not None else was_on)
            return
        page.goto("/sign-in" + (f"?next={quote(then)}" if then is not None else ""))
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password", exact=True).fill(password)
        press(page, "Sign in")
        # Signed in, on the page asked for (on a phone the sign-out button is in the menu,
        # hidden until the menu is opened).
        expect(page).not_to_have_url(re.compile(r"/sign-in(\?|$)"))
        expect(page.locator("button", has_text="Sign out")).to_be_attached()

    def nobody(self, then: str | None = None) -> None:
        """No one is signed in, as in a new browser (the sessions are kept); on `then`."""
        was_on = self._page.url
        self._put_away_session()
        self._current = None
        self._page.goto(then if then is not None else was_on)

    def _put_away_session(self) -> None:
        # Off the page first: a request it still has under way (its icon, which answers with
        # the session's cookie renewed) must not land after the swap and put the last
        # person's cookie back.
        self._page.goto("about:blank")
        context = self._page.context
        if self._current is not None:
            self._sessions[self._current] = context.cookies()
        context.clear_cookies()
