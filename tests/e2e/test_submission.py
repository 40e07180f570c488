"""In the browser: checking answers, sending (with a double click), the application as sent
(and as a PDF), withdrawing it, the session timeout warning and the unsaved-changes question.
Every page passes axe-core, including with the timeout dialog open (check your answers,
"Application sent" and the dashboard are checked at this width by the year story,
test_year_story.py)."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from sqlalchemy import func, select

from grants.accounts.models import Role
from grants.applications.models import Application
from grants.core import clock
from grants.extensions import db
from grants.funds.models import RoundOrganisationType
from grants.organisations.models import OrganisationType
from grants.records.models import OutboxMessage
from tests.applications.completing import complete
from tests.e2e.without_pages import sign_in_without_pages


@pytest.fixture
def application_of_member(user_factory, organisation_factory, membership_factory,
                          round_factory, application_factory):
    """A member and their organisation's application to an open round, complete or not."""
    member = user_factory(roles=[Role.APPLICANT], email="member@example.org", name="Jo Member")
    organisation = organisation_factory(name="Reading Street Support",
                                        contact_email="contact@example.org")
    membership_factory(user=member, organisation=organisation)
    now = datetime.now(UTC)
    round_ = round_factory(code="PPAF-2026-2", title="PPAF 2026/27 Round 2",
                           opens_at=now - timedelta(days=7), closes_at=now + timedelta(days=21),
                           launched_at=now - timedelta(days=10))
    round_.organisation_type_rows = [
        RoundOrganisationType(organisation_type=OrganisationType.COMMUNITY_GROUP)]
    return application_factory(round=round_, organisation=organisation, created_by=member,
                               title="")


def test_a_member_checks_their_answers_sends_the_application_and_withdraws_it(
    page: Page, check_accessibility, save, application_of_member
):
    """Sent with a double click (once), read as sent and downloaded as a PDF, then
    withdrawn."""
    application_id = complete(application_of_member).id
    save()

    sign_in_without_pages(page, "member@example.org")
    page.goto(f"/applications/{application_id}/check")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before sending your application")
    expect(page.get_by_role("link", name="Change project title")).to_have_attribute(
        "href", f"/applications/{application_id}/sections/project")

    page.get_by_role("button", name="Accept and send").dblclick()
    expect(page.get_by_role("heading", level=1)).to_have_text("Application sent")
    expect(page.get_by_text("PPAF-2026-2-0001")).to_be_visible()
    with db.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Application).where(
            Application.reference.is_not(None))) == 1
        assert conn.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.idempotency_key.like("application-submitted:%"))) == 2

    page.get_by_role("link", name="View or print your application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Night shelter outreach")
    expect(page.get_by_role("button", name="Print this page")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Change"))).to_have_count(0)
    check_accessibility(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as PDF").click()
    download = download_info.value
    assert download.suggested_filename == "TVOPCC-PPAF-2026-2-0001.pdf"
    text = " ".join(sheet.extract_text() for sheet in PdfReader(download.path()).pages)
    assert "Night shelter outreach" in text and "Chair of trustees" in text

    page.get_by_role("link", name="Withdraw this application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw your application")
    check_accessibility(page)
    page.get_by_role("button", name="Withdraw application").click()
    expect(page).to_have_title(re.compile(r"^Error: Withdraw your application"))
    expect(page.get_by_role("alert")).to_contain_text(
        "Enter why you are withdrawing the application")
    check_accessibility(page)
    page.get_by_label("Why are you withdrawing the application?").fill(
        "Our funding came through elsewhere.")
    page.get_by_role("button", name="Withdraw application").click()
    expect(page.get_by_text("You withdrew application PPAF-2026-2-0001.")).to_be_visible()
    expect(page.locator(".govuk-tag")).to_have_text("Withdrawn")

    page.goto("/dashboard")
    expect(page.get_by_role("link", name="Night shelter outreach")).to_have_attribute(
        "href", f"/applications/{application_id}/view")


@pytest.mark.own_page  # a clock, a handler of dialogs
def test_the_timeout_warning_lets_people_stay_signed_in_and_brings_them_back_after(
    page: Page, check_accessibility, save, app, monkeypatch, user_factory
):
    """"Stay signed in" and Escape both keep the session; unanswered, the warning ends it and
    signing in again comes back to the page."""
    user_factory(roles=[Role.APPLICANT], email="member@example.org")
    save()
    # Signed out after 3 minutes idle; warned 2 minutes before. The browser's clock is
    # Playwright's and the server's is moved by hand, so nothing waits for real minutes.
    monkeypatch.setitem(app.config, "SESSION_IDLE_TIMEOUT_MINUTES", 3)
    start = datetime.now(UTC)
    offset = [timedelta(0)]
    monkeypatch.setattr(clock, "utcnow", lambda: start + offset[0])
    page.clock.install()

    sign_in_without_pages(page, "member@example.org")
    page.goto("/dashboard")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    page.wait_for_load_state()  # the scripts have started their timers
    dialog = page.get_by_role("alertdialog", name="You will be signed out soon")
    expect(dialog).to_be_hidden()

    page.clock.fast_forward("01:01")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("we will sign you out in 2 minutes")
    expect(dialog.get_by_role("button", name="Stay signed in")).to_be_focused()
    check_accessibility(page)

    offset[0] = timedelta(minutes=2, seconds=30)
    with page.expect_response("**/session/keep-alive") as keep_alive:
        dialog.get_by_role("button", name="Stay signed in").click()
    assert keep_alive.value.status == 204
    expect(dialog).to_be_hidden()

    # 5 minutes after the page loaded, but only 2½ after "Stay signed in": still signed in.
    offset[0] = timedelta(minutes=5)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    page.wait_for_load_state()

    # Escape in the warning means "stay signed in" too.
    page.clock.fast_forward("01:01")
    expect(dialog).to_be_visible()
    offset[0] = timedelta(minutes=6)
    with page.expect_response("**/session/keep-alive") as keep_alive:
        page.keyboard.press("Escape")
    assert keep_alive.value.status == 204
    expect(dialog).to_be_hidden()

    # This time nobody answers: at zero the page goes to sign in, and back afterwards.
    offset[0] = timedelta(minutes=10)
    page.clock.fast_forward("01:01")
    expect(dialog).to_be_visible()
    page.clock.fast_forward("02:00")
    expect(page).to_have_url(re.compile(r"/sign-in\?next=%2Fdashboard$"))
    expect(page.get_by_text("You were signed out because you were inactive for 3 minutes"))\
        .to_be_visible()
    page.get_by_label("Email address").fill("member@example.org")
    page.get_by_label("Password", exact=True).fill("Blue-Lantern-Orchard-47")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")


@pytest.mark.own_page  # a handler of dialogs
def test_leaving_a_section_with_unsaved_changes_asks_first(
    page: Page, save, application_of_member
):
    application_id = application_of_member.id
    save()
    sign_in_without_pages(page, "member@example.org")
    section = f"/applications/{application_id}/sections/project"
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    page.goto(section)
    page.get_by_role("link", name="Back to the task list").click()
    expect(page).to_have_url(re.compile(rf"/applications/{application_id}$"))
    assert asked == []  # nothing changed, nothing asked

    page.goto(section)
    page.get_by_label("Project title").fill("Night shelter outreach")
    page.get_by_role("link", name="Back to the task list").click()
    expect(page).to_have_url(re.compile(rf"{section}$"))
    assert asked == ["beforeunload"]

    page.get_by_role("button", name="Save and come back later").click()
    expect(page).to_have_url(re.compile(rf"/applications/{application_id}$"))
    assert asked == ["beforeunload"]  # sending the form is not leaving it
