"""Reflow and zoom (WCAG 1.4.10 and 1.4.4): the task list, a form showing errors, the ranking
and a report, at 320 CSS pixels wide and at 200 % zoom.

200 % zoom is a 1280-pixel-wide window zoomed to 200 %: the page then lays out in 640 CSS
pixels, each drawn with 2 device pixels, which is what a viewport of 640 by 400 with a device
scale factor of 2 gives. 320 CSS pixels is the same window zoomed to 400 %: each page, loaded
once, is laid out at both widths in turn (the stylesheets ask nothing of the pixel ratio, so
the layout is the one a 320-pixel screen gets). A script checks that nothing is wider than the
viewport or reaches past its right edge, except inside a data table's scrollable region, and a
screenshot of each page at each width is saved under the test's tmp_path for a person to look
at."""

from datetime import UTC, datetime, timedelta

from playwright.sync_api import Browser, Page, expect

from grants.accounts.models import Role
from grants.applications.models import ApplicationStatus
from grants.funds.models import ScoringCriterion
from tests.assessment.reviewing import submitted
from tests.e2e.story_checks import too_wide
from tests.e2e.without_pages import sign_in_without_pages, signed_out
from tests.reports.report_data import build_report_data

ZOOMS = {
    "200%": {"width": 640, "height": 400},
    "320px": {"width": 320, "height": 640},
}


def ranked_round(staff, user_factory, organisation_factory, round_factory,
                 application_factory) -> int:
    """A round being assessed whose three applications two reviewers have scored."""
    now = datetime.now(UTC)
    round_ = round_factory(code="PPAF-2026-7", title="PPAF 2026/27 Round 7",
                           opens_at=now - timedelta(days=60), closes_at=now - timedelta(days=10),
                           launched_at=now - timedelta(days=70),
                           assessing_at=now - timedelta(days=5))
    round_.scoring_criteria = [
        ScoringCriterion(position=1, name="Need for the project", weight=2, max_score=5),
        ScoringCriterion(position=2, name="Ability to deliver", weight=1, max_score=10)]
    reviewers = [user_factory(roles=[Role.REVIEWER], name=f"{name} Reviewer")
                 for name in ("Riley", "Quinn")]
    for number, name, scores in ((1, "Thames Valley Independent Domestic Abuse Advocacy", (5, 9)),
                                 (2, "Banbury and District Youth Mentoring Partnership", (3, 6)),
                                 (3, "Slough Community Night Shelter Association", (1, 3))):
        application = application_factory(
            round=round_, organisation=organisation_factory(name=name), title=f"Project {number}",
            reference=f"PPAF-2026-7-{number:04d}", sequence=number,
            status=ApplicationStatus.ELIGIBLE, amount_requested_pence=500_000 * number,
            submitted_at=now - timedelta(days=20, minutes=-number))
        for reviewer in reviewers:
            submitted(staff, application, reviewer, list(scores))
    return round_.id


def zoomed_page(browser: Browser, live_server: str) -> Page:
    """A 1280-pixel window at 200 % zoom; `fits` narrows it to 320 CSS pixels and back."""
    context = browser.new_context(base_url=live_server, **{
        "viewport": ZOOMS["200%"], "device_scale_factor": 2})
    return context.new_page()


def fits(page: Page, name: str, tmp_path) -> None:
    """At each zoom, no sideways scrolling and nothing cut off; the screenshots kept for
    people to see. The page is left at 200 % zoom."""
    for zoom, viewport in ZOOMS.items():
        page.set_viewport_size(viewport)
        page.screenshot(path=tmp_path / f"{name}-{zoom}.png", full_page=True)
        result = too_wide(page)
        assert result["width"] == viewport["width"], f"{page.url}: {result}"
        assert result["offenders"] == [], f"{page.url} at {zoom}: {result}"
        assert result["scrollWidth"] <= result["width"], (
            f"{page.url} scrolls sideways at {zoom}: {result}")
    page.set_viewport_size(ZOOMS["200%"])


def test_the_task_list_a_form_with_errors_the_ranking_and_a_report_reflow(
    browser: Browser, live_server, tmp_path, save, user_factory, organisation_factory,
    membership_factory, round_factory, application_factory
):
    data = build_report_data()
    staff = user_factory(roles=[Role.STAFF], email="staff@example.org")
    scoring_round_id = ranked_round(staff, user_factory, organisation_factory, round_factory,
                                    application_factory)
    applicant = user_factory(roles=[Role.APPLICANT], email="applicant@example.org")
    organisation = organisation_factory(name="Reading Street Support and Night Shelter Trust")
    membership_factory(user=applicant, organisation=organisation)
    now = datetime.now(UTC)
    open_round = round_factory(code="PPAF-2026-2", title="PPAF 2026/27 Round 2",
                               opens_at=now - timedelta(days=7),
                               closes_at=now + timedelta(days=21),
                               launched_at=now - timedelta(days=20))
    application_id = application_factory(organisation=organisation, round=open_round,
                                         created_by=applicant).id
    save()
    page = zoomed_page(browser, live_server)

    sign_in_without_pages(page, "applicant@example.org")
    page.goto(f"/applications/{application_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Apply to PPAF 2026/27 Round 2")
    fits(page, "task-list", tmp_path)

    page.goto(f"/applications/{application_id}/sections/project")
    page.get_by_label("Summary").fill("word " * 101)
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("100 words or fewer")
    fits(page, "form-with-errors", tmp_path)
    page.goto("/dashboard")
    fits(page, "dashboard", tmp_path)
    signed_out(page)  # now the staff member

    sign_in_without_pages(page, "staff@example.org")
    page.goto(f"/staff/rounds/{scoring_round_id}/ranking")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ranking")
    expect(page.get_by_role("row")).to_have_count(4)
    fits(page, "ranking", tmp_path)

    page.goto(f"/staff/reports/rounds/{data.round_a_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Report: PPAF 2019/20 Round 1")
    fits(page, "round-report", tmp_path)

    # Other pages built around tables.
    for name, path in (("applications", f"/staff/rounds/{scoring_round_id}/applications"),
                       ("reviewers", f"/staff/rounds/{scoring_round_id}/reviewers"),
                       ("decisions", f"/staff/rounds/{scoring_round_id}/decisions"),
                       ("payments", "/staff/payments"),
                       ("staff-home", "/staff/"),
                       ("register", "/awards")):
        page.goto(path)
        fits(page, name, tmp_path)
    page.context.close()


LONG_ADDRESS = "morgan.volunteer.treasurer.and.safeguarding.lead@reading-street-support.example.org"


def test_check_your_email_fits_a_long_address(browser: Browser, live_server, tmp_path):
    """The page naming the address a link went to wraps a long one instead of scrolling
    sideways."""
    page = zoomed_page(browser, live_server)
    page.goto("/register")
    page.get_by_label("Full name").fill("Morgan Volunteer")
    page.get_by_label("Email address").fill(LONG_ADDRESS)
    page.get_by_label("Create a password").fill("Quiet-Harbour-Lantern-58")
    page.get_by_label("Confirm your password").fill("Quiet-Harbour-Lantern-58")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_text(LONG_ADDRESS)).to_be_visible()
    fits(page, "check-your-email", tmp_path)
    page.context.close()
