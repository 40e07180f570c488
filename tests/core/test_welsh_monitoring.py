"""Welsh for the recipient's monitoring pages (issue 25, point 5): the reports a grant owes,
its twice-yearly returns (their periods' months in Welsh) and its end-of-grant report, with
the report form's messages and what is flashed. What the recipient typed stays as typed."""

import pytest

from grants.funds.models import MonitoringSchedule
from grants.monitoring.models import ReportKind
from grants.monitoring.operations import schedule
from tests.awards.monitoring_fixtures import (  # noqa: F401  (fixtures)
    PROMISED,
    approver_fixture,
    fixed_clock_fixture,
    member_fixture,
    organisation_fixture,
    paid_award_fixture,
    published_round_fixture,
    report_answers,
    staff_fixture,
)
from tests.core.test_welsh import (  # noqa: F401  (fixtures)
    _assert_welsh,
    _both,
    _in_welsh,
    _office_data,
    compiled_welsh,
    welsh_office,
)
from tests.fixtures.auth import post_form


@pytest.fixture
def reports(welsh_office, db_session, published_round, paid_award):  # noqa: F811
    """The grant's reports: twice-yearly returns and the end-of-grant report."""
    published_round.monitoring = MonitoringSchedule.TWICE_YEARLY
    db_session.commit()
    owed = schedule.ensure_reports(db_session, paid_award)
    db_session.commit()
    data = _office_data(welsh_office) | {
        "Reading Street Support", "Night shelter outreach", "PPAF-2026-1-0001", PROMISED,
        "PPAF-2026-1-0001: Reading Street Support", "£2,500"}
    return paid_award, owed, data


def test_the_grants_reports_are_in_welsh(client, sign_in_as, member, reports):
    award, owed, data = reports
    sign_in_as(member)
    interim = next(r for r in owed if r.kind is ReportKind.INTERIM)
    final = next(r for r in owed if r.kind is ReportKind.END_OF_GRANT)

    for path in (f"/awards/{award.id}/reports", f"/reports/{interim.id}",
                 f"/reports/{final.id}"):
        english, welsh = _both(client, path)
        _assert_welsh(english, welsh, data, path)
    listed = _both(client, f"/awards/{award.id}/reports")[1]
    assert "Ffurflen fonitro: Ebrill – Medi 2027" in listed
    assert "Adroddiad diwedd grant" in listed


def test_a_reports_messages_are_in_welsh(client, sign_in_as, member, reports):
    _, owed, data = reports
    final = next(r for r in owed if r.kind is ReportKind.END_OF_GRANT)
    sign_in_as(member)
    _in_welsh(client)
    path = f"/reports/{final.id}"

    incomplete = post_form(client, path, {"action": "send", "spent": "lots"},
                           content_type="multipart/form-data").get_data(as_text=True)
    missing = post_form(client, path, {"action": "send", "spent": "2000"},
                        content_type="multipart/form-data").get_data(as_text=True)
    sent = post_form(client, path, {**report_answers(), "action": "send"},
                     content_type="multipart/form-data",
                     follow_redirects=True).get_data(as_text=True)

    assert "Rhowch swm mewn punnoedd a cheiniogau yn unig" in incomplete
    assert "Disgrifiwch yr hyn a gyflawnodd y prosiect" in missing
    assert "Rhowch y tanwariant i’w ddychwelyd: £500" in missing
    assert "Rydych chi wedi anfon eich adroddiad diwedd grant." in sent
    english, welsh = _both(client, path)
    _assert_welsh(english, welsh, data | set(report_answers().values()) | {"135"}, "sent")
    assert "Anfonwyd yr adroddiad hwn gennych ar 10 Mawrth 2027" in welsh
