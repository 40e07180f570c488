"""Reports of a year with a Community Foundation allocation: the allocation counts once, as
the PPAF's award to the foundation; its onward grants show beneath it, by priority, key aim and
area, with the same figures the allocation's own page shows; and the panel paragraph says what
was allocated through the foundation and what it granted."""

import csv
import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook

from grants.direct_awards.models import DirectAwardKind
from grants.direct_awards.operations.onward import OnwardGrantEntry, add_onward_grant
from grants.direct_awards.operations.onward_figures import onward_summaries
from grants.reports.operations import delegated, figures, panel
from grants.reports.operations.selection import year_selection
from tests.assessment.screening_data import words
from tests.direct_awards.conftest import (  # noqa: F401  (fixtures used by name)
    charity,
    entry,
    pay_in,
    plan,
    ppaf,
    record,
    recorder,
    signed_off,
    signer,
)
from tests.funds.conftest import now  # noqa: F401

pytestmark = pytest.mark.usefixtures("now")  # 1 June 2026: 2026/27


@pytest.fixture
def foundation(organisation_factory):
    return organisation_factory(name="Heart of Bucks")


@pytest.fixture
def year_with_allocation(db_session, signed_off, pay_in, plan,  # noqa: F811
                         foundation, recorder, local_authority_factory):  # noqa: F811
    """A direct award of £2,500 and an allocation of £20,000 to Heart of Bucks, which made
    two grants: £6,000 towards P1.2 in Wycombe, £4,000 towards P2 across Thames Valley."""
    pay_in(50_000)
    p1, p2 = plan.priorities
    signed_off()
    allocation = signed_off(organisation_id=foundation.id, amount_pence=20_000_00,
                            kind=DirectAwardKind.DELEGATED, decided_on=date(2026, 5, 1),
                            title="Small grants", priority_id=p2.id,
                            key_aim_ids=[p2.key_aims[0].id, p1.key_aims[1].id])
    wycombe = local_authority_factory(name="Wycombe", gss_code="E07000007")
    for name, pounds, changes in [
            ("Wycombe Youth Action", 6_000, {"key_aim_id": p1.key_aims[1].id,
                                             "area_ids": [wycombe.id]}),
            ("Chiltern Foodbank", 4_000, {"priority_id": p2.id,
                                          "serves_whole_thames_valley": True})]:
        add_onward_grant(db_session, recorder, allocation.award_id, OnwardGrantEntry(
            recipient_name=name, amount_pence=pounds * 100, awarded_on=date(2026, 5, 20),
            **changes))
    return allocation


def test_the_allocation_counts_once_and_its_onward_grants_add_nothing(
        db_session, year_with_allocation):
    selection = year_selection(db_session, "2026/27", "PPAF")

    report = figures.report_figures(db_session, selection)

    assert (report.awards, report.amount_awarded_pence) == (2, 22_500_00)


def test_the_report_and_the_allocations_page_read_one_summary(
        db_session, year_with_allocation):
    selection = year_selection(db_session, "2026/27", "PPAF")
    award_id = year_with_allocation.award_id

    [summary] = delegated.delegated_summaries(db_session, selection)

    assert summary == onward_summaries(db_session, [award_id])[award_id]
    assert (summary.allocated_pence, summary.grants, summary.amount_pence) == (
        20_000_00, 2, 10_000_00)
    assert [(row.code, row.amount_pence) for row in summary.by_priority] == [
        ("P1", 6_000_00), ("P2", 4_000_00)]
    assert [(row.name, row.amount_pence) for row in summary.by_area] == [
        ("Wycombe", 6_000_00), ("The whole of Thames Valley", 4_000_00)]


def test_the_panel_paragraph_says_what_was_allocated_through_the_foundation(
        db_session, year_with_allocation):
    report = panel.panel_report(db_session, year_selection(db_session, "2026/27", "PPAF"))

    assert report.round_paragraphs == (
        "In May 2026, £20,000 was allocated through Heart of Bucks, which made 2 grants to "
        "Chiltern Foodbank and Wycombe Youth Action, £10,000 in all, in relation to "
        "'vulnerability' and/or 'prevention and early intervention'.",
        "In May 2026, a direct award of £2,500 was made to Reading Street Support for "
        "emergency repairs after a flood.")


def test_an_allocation_with_no_grants_yet_says_so(db_session, signed_off,  # noqa: F811
                                                  pay_in, foundation):  # noqa: F811
    pay_in(50_000)
    signed_off(organisation_id=foundation.id, amount_pence=20_000_00,
               kind=DirectAwardKind.DELEGATED)
    [summary] = delegated.delegated_summaries(db_session,
                                              year_selection(db_session, "2026/27", "PPAF"))

    assert panel.delegated_paragraph(summary) == (
        "In May 2026, £20,000 was allocated through Heart of Bucks, which has made no grants "
        "from it yet.")


def test_the_year_page_and_json_show_the_onward_grants_beneath_the_allocation(
        runner, staff_client, year_with_allocation):
    page = words(staff_client.get("/staff/reports/years/2026-27?fund=PPAF").text)
    result = runner.invoke(args=["report", "year", "2026/27", "--fund", "PPAF"])

    assert ("Heart of Bucks: £20,000 Small grants. 2 onward grants, £10,000, to 2 "
            "organisations; £10,000 not yet reported as granted.") in page
    [allocation] = json.loads(result.output)["community_foundation_allocations"]
    assert (allocation["intermediary"], allocation["onward_amount_pence"],
            allocation["by_key_aim"][0]["code"]) == ("Heart of Bucks", 10_000_00, "P1.2")


def test_the_downloads_keep_an_onward_grants_typed_names_as_text(
        db_session, staff_client, signed_off, pay_in, foundation, recorder):  # noqa: F811
    pay_in(50_000)
    foundation.name = "=HYPERLINK(\"http://evil.example\",\"Heart of Bucks\")"
    allocation = signed_off(organisation_id=foundation.id, amount_pence=5_000_00,
                            kind=DirectAwardKind.DELEGATED, title="+Small grants")
    add_onward_grant(db_session, recorder, allocation.award_id, OnwardGrantEntry(
        recipient_name="Chiltern Foodbank", amount_pence=1_000_00,
        awarded_on=date(2026, 5, 20)))
    download = staff_client.get("/staff/reports/years/2026-27.csv?fund=PPAF").text
    workbook = load_workbook(io.BytesIO(
        staff_client.get("/staff/reports/years/2026-27.xlsx?fund=PPAF").data))

    [row] = [row for row in csv.reader(io.StringIO(download.lstrip("\ufeff")))
             if row[0] == "community_foundation_allocation"]
    assert row[2] == "'" + foundation.name + ": +Small grants"
    label = workbook["Community Foundations"]["A3"]
    assert (label.value, label.data_type) == (foundation.name + ": +Small grants", "s")
