"""In the browser: anyone reads each award's purpose, conditions and reason in the register;
staff publish last month's 360Giving file, and anyone lists and downloads it, with no WCAG 2.2
A or AA failures."""

import json
from datetime import UTC, datetime

from playwright.sync_api import Page, expect
from sqlalchemy import select

from grants.accounts.models import Role
from grants.awards.models import Award
from grants.core import clock
from grants.core.months import month_before, month_name
from grants.demo.operations.history import load_history
from grants.extensions import db
from grants.funds.models import Round
from grants.reference.operations.seed import seed_reference
from tests.e2e.story_applicant import sign_out
from tests.e2e.test_pages_accessibility import sign_in


def test_staff_publish_last_months_file_and_anyone_downloads_it(
        page: Page, check_accessibility, save, user_factory):
    seed_reference(db.session)
    load_history(db.session)
    user_factory(roles=[Role.STAFF], email="officer@example.org", name="Olu Officer")
    last = month_before(clock.today_in_london().replace(day=1))
    name = month_name(f"{last:%Y-%m}")
    # The register's first three awards, published in the middle of last month.
    awards = db.session.scalars(select(Award).join(Award.round).order_by(
        Round.closes_at.desc(), Award.awarded_on.desc(), Award.id.desc()).limit(3)).all()
    for award in awards:
        award.offered_at = datetime(last.year, last.month, 15, 12, tzinfo=UTC)
    awards[0].conditions = "Send a report each term"
    awards[0].public_reason = "Youth work the estate has lacked for years"
    save()

    page.goto("/awards")
    page.get_by_text("Purpose, conditions and reason").first.click()
    expect(page.get_by_text("Youth work the estate has lacked for years")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("link", name="a file for each month").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grants published each month")
    expect(page.get_by_text("No monthly files have been published yet.")).to_be_visible()
    expect(page.get_by_role("button", name=f"Publish {name}")).to_have_count(0)
    check_accessibility(page)

    sign_in(page, "officer@example.org")
    page.goto("/awards/monthly")
    page.get_by_role("button", name=f"Publish {name}").click()
    expect(page.get_by_text(f"{name} published: version 1, 3 grants.")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name=f"Publish {name}").click()
    expect(page.get_by_text("so no new file was published")).to_be_visible()
    sign_out(page)

    page.goto("/awards/monthly")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=f"Version 1 of {name} (JSON)").click()
    package = json.loads(open(download_info.value.path(), encoding="utf-8").read())
    assert len(package["grants"]) == 3
    assert [grant["additional_data"]["reason"] for grant in package["grants"]
            if "additional_data" in grant] == ["Youth work the estate has lacked for years"]
