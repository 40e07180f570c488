"""The monthly publication: a month's 360Giving file of the grants published that month, kept
as published, a correction being the month's next version; published by staff on the page, by
the command or by the worker, and downloaded by anyone."""

import json
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from grants.accounts.models import Role
from grants.awards.models import AwardStatus
from grants.core import clock
from grants.extensions import db
from grants.jobs.cli import publish_last_month
from grants.opendata.models import MonthlyPublication
from grants.opendata.operations.monthly import MonthRefused, publish_month
from grants.records.models import AuditEvent
from tests.fixtures.auth import post_form
from tests.opendata.schema import package_errors
from tests.opendata.test_export import PUBLISHER

# The history's August round published its decisions on 31 July 2019 (its two public awards);
# the High Sheriff awards on 30 November 2019.
JULY = "2019-07"


@pytest.fixture
def early_august(monkeypatch):
    """A few days after July 2019 ended: the month staff publish next is July."""
    now = datetime(2019, 8, 5, 9, 0, tzinfo=UTC)
    monkeypatch.setattr(clock, "utcnow", lambda: now)
    return now


def files(month: str = JULY) -> list[MonthlyPublication]:
    return list(db.session.scalars(select(MonthlyPublication).where(
        MonthlyPublication.month == month).order_by(MonthlyPublication.version)))


def grant_ids(file: MonthlyPublication) -> list[str]:
    return [grant["id"] for grant in json.loads(file.content)["grants"]]


def test_a_month_is_kept_as_published_and_a_correction_is_its_next_version(history):
    first = publish_month(db.session, JULY, PUBLISHER, actor_id=None)
    first_content = first.file.content
    unchanged = publish_month(db.session, JULY, PUBLISHER, actor_id=None)

    history.company_award.status = AwardStatus.WITHDRAWN  # withdrawn after publication
    db.session.flush()
    corrected = publish_month(db.session, JULY, PUBLISHER, actor_id=None)

    assert (first.created, first.file.version, first.file.grant_count) == (True, 1, 2)
    assert first.file.amount_pence == 450_050 + 300_000
    assert package_errors(json.loads(first_content)) == []
    assert unchanged.created is False and unchanged.file.id == first.file.id
    assert (corrected.created, corrected.file.version, corrected.file.grant_count) == (
        True, 2, 1)
    versions = files()
    assert [f.version for f in versions] == [1, 2]
    assert versions[0].content == first_content  # never overwritten
    assert grant_ids(versions[0]) == ["360G-tvopcc-PPAF-2019-08-0001",
                                      "360G-tvopcc-PPAF-2019-08-0002"]
    assert grant_ids(versions[1]) == ["360G-tvopcc-PPAF-2019-08-0001"]


def test_a_month_holds_only_the_grants_published_in_it(history):
    november = publish_month(db.session, "2019-11", PUBLISHER, actor_id=None).file

    assert [g["title"] for g in json.loads(november.content)["grants"]] == [
        "Night-time economy volunteers"]


def test_a_month_not_over_or_with_no_grants_is_refused_and_nothing_is_kept(history,
                                                                            early_august):
    with pytest.raises(MonthRefused, match="August 2019 has not ended yet"):
        publish_month(db.session, "2019-08", PUBLISHER, actor_id=None)
    with pytest.raises(MonthRefused, match="No grants were published in June 2019"):
        publish_month(db.session, "2019-06", PUBLISHER, actor_id=None)
    with pytest.raises(MonthRefused, match="Give the month like 2026-11"):
        publish_month(db.session, "2019-13", PUBLISHER, actor_id=None)

    assert db.session.scalars(select(MonthlyPublication)).all() == []


def test_the_export_command_publishes_a_month_and_writes_its_file(history, runner, tmp_path):
    db.session.commit()  # inside the test's outer transaction, seen by the command's session
    target = tmp_path / "july.json"

    published = runner.invoke(args=["export-360giving", "--month", JULY, "-o", str(target)])
    again = runner.invoke(args=["export-360giving", "--month", JULY])
    mixed = runner.invoke(args=["export-360giving", "--month", JULY, "--fund", "PPAF"])

    assert published.exit_code == 0, published.output
    assert "Published July 2019 version 1: 2 grants" in published.output
    package = json.loads(target.read_text(encoding="utf-8"))
    assert package_errors(package) == [] and len(package["grants"]) == 2
    assert again.exit_code == 0 and "Nothing has changed since" in again.output
    assert [f.version for f in files()] == [1]
    assert mixed.exit_code != 0 and "give it alone" in mixed.output


def test_anyone_lists_and_downloads_every_version_without_signing_in(client, history,
                                                                     early_august):
    publish_month(db.session, JULY, PUBLISHER, actor_id=None)
    history.company_award.status = AwardStatus.WITHDRAWN
    db.session.flush()
    publish_month(db.session, JULY, PUBLISHER, actor_id=None)
    first = files()[0]

    page = client.get("/awards/monthly")
    download = client.get("/awards/monthly/2019-07/v1.json")
    missing = client.get("/awards/monthly/2019-07/v3.json")

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "July 2019" in html and "Version 1" in html and "Version 2" in html
    assert "A correction of version 1" in html
    assert "Publish July 2019" not in html  # the button is staff's
    assert download.status_code == 200
    assert download.headers["Content-Disposition"] == (
        'attachment; filename="360giving-2019-07-v1.json"')
    assert download.get_data(as_text=True) == first.content
    assert missing.status_code == 404


def test_staff_publish_last_month_from_the_page_and_it_is_audited(client, history, sign_in_as,
                                                                  user_factory, new_client,
                                                                  early_august):
    staff = user_factory(roles=[Role.STAFF])
    applicant = user_factory(roles=[Role.APPLICANT])
    officer = sign_in_as(staff)

    page = officer.get("/awards/monthly").get_data(as_text=True)
    refused = post_form(sign_in_as(applicant, on=new_client()), "/staff/awards/monthly",
                        {"month": JULY}, form_page="/awards/monthly")
    response = post_form(officer, "/staff/awards/monthly", {"month": JULY},
                         form_page="/awards/monthly", follow_redirects=True)
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "opendata.month_published")).one()

    assert "Publish July 2019" in page
    assert refused.status_code == 403
    assert "July 2019 published: version 1, 2 grants." in response.get_data(as_text=True)
    [file] = files()
    assert file.published_by_id == staff.id
    assert (event.actor_id, event.entity_id) == (staff.id, file.id)
    assert event.after["month"] == JULY and event.after["version"] == 1


def test_the_worker_publishes_last_months_first_file_once(app, history, early_august):
    db.session.commit()
    context = SimpleNamespace(additional_context={"flask_app": app})

    publish_last_month(context)
    history.company_award.status = AwardStatus.WITHDRAWN
    db.session.commit()
    publish_last_month(context)  # a correction is staff's to publish, not the worker's

    assert [(f.version, f.grant_count, f.published_by_id) for f in files()] == [(1, 2, None)]
