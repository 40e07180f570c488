"""Figures that agree: one financial year (2026/27) of the Police Property Act Fund and the
Community Safety Fund, built once through the services, and every figure the ledger, the year
report (page and CSV), the panel paragraphs, the public register and the 360Giving export show
for it, checked against answers worked out by hand.

The year, and how it is built, is described in tests/reports/agreed_year.py.
"""

import csv
import io
import json
import re

import pytest
from openpyxl import load_workbook

from grants.accounts.models import User
from grants.core import clock
from grants.extensions import db
from grants.funds.models import Fund
from grants.ledger.operations.figures import fund_ledger, year_of_funds
from grants.offices.operations.speaking import office_of_request
from grants.opendata.operations.export import Selection, export_to
from grants.opendata.operations.threesixty import Publisher
from grants.reports.operations import downloads, figures, panel
from grants.reports.operations.selection import year_selection
from tests.assessment.screening_data import words
from tests.opendata.schema import package_errors
from tests.reports.agreed_year import YEAR, at, build_the_year


@pytest.fixture(scope="module")
def year(app, module_connection):
    hand = [at(2026, 4, 20, 9)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(clock, "utcnow", lambda: hand[0])
        built = build_the_year(db.session, hand)
        db.session.remove()
        yield built


@pytest.fixture
def staff_client(year, sign_in_as, db_session):
    return sign_in_as(db_session.get(User, year.staff_id))


def pounds(whole: int) -> int:
    return whole * 100


def ledger_row(year: str, brought_forward: int, paid_in: int, returned: int, committed: int,
               paid_out: int, available: int) -> tuple:
    """A year of a ledger as (year, figures in pence...), from figures in pounds."""
    return (year, *(pounds(value) for value in (brought_forward, paid_in, returned, committed,
                                                paid_out, available)))


def as_row(row) -> tuple:
    return (row.year, row.brought_forward_pence, row.paid_in_pence, row.returned_pence,
            row.committed_pence, row.paid_out_pence, row.available_pence)


# The PPAF's ledger. 2026/27: paid in 30,000 + 12,000; returned 1,200 (the January repayment);
# committed 15,000 + 6,000 + 1,500 + 8,000 = 30,500 (the open and High Sheriff rounds'
# budgets and the direct awards, the Community Foundation's allocation among them, once);
# paid out 5,000; available 42,000 + 1,200 - 30,500 = 12,700. 2027/28: brought forward
# 12,700, returned 300 (the April repayment), available 12,700 + 300 = 13,000.
PPAF_LEDGER = [ledger_row("2026/27", 0, 42_000, 1_200, 30_500, 5_000, 12_700),
               ledger_row("2027/28", 12_700, 0, 300, 0, 0, 13_000)]
# The CSF's: paid in 100,000; committed the allocation round's budget, 60,000; available
# 100,000 - 60,000 = 40,000.
CSF_LEDGER = [ledger_row("2026/27", 0, 100_000, 0, 60_000, 0, 40_000)]

# The panel paragraphs of the PPAF's year, in order of decision.
PPAF_PARAGRAPHS = (
    "In May 2026, a direct award of £1,500 was made to Reading Street Support for emergency "
    "repairs after a flood.",
    # 3,000 + 2,500 = 5,500 granted onward of the 8,000.
    "In June 2026, £8,000 was allocated through Heart of Bucks, which made 2 grants to "
    "Chiltern Foodbank and Reading Youth Action, £5,500 in all, in relation to 'prevention "
    "and early intervention'.",
    # 5,000 + 4,000: the declined application adds nothing.
    "In August 2026, £9,000 was awarded to 2 charities and community groups across the Thames "
    "Valley who each made a significant contribution to support my strategic priorities in "
    "relation to 'vulnerability' and/or 'prevention and early intervention'.")
# 2,500 + 2,000.
HIGH_SHERIFF_PARAGRAPH = ("In addition, the two county High Sheriffs identified a further 2 "
                          "organisations worthy of support who have received £4,500, in total.")
# 18,000 + 36,000: the £60,000 less its 10% top-slice, shared 1 : 2 by population.
CSF_PARAGRAPH = ("£54,000 was allocated by formula to the 2 councils and community safety "
                 "partnerships.")


def test_the_ledgers_hold_the_hand_worked_figures(db_session, year):
    ppaf, csf = db_session.get(Fund, year.ppaf_id), db_session.get(Fund, year.csf_id)

    assert [as_row(row) for row in fund_ledger(db_session, ppaf).years] == PPAF_LEDGER
    assert [as_row(row) for row in fund_ledger(db_session, csf).years] == CSF_LEDGER
    assert [(fund.code, as_row(row)) for fund, row in year_of_funds(db_session, YEAR)] == [
        ("CSF", CSF_LEDGER[0]), ("PPAF", PPAF_LEDGER[0])]


def test_the_ledgers_page_and_csv_show_the_same_figures(db_session, year, staff_client):
    page = words(staff_client.get(f"/staff/funds/{year.ppaf_id}/money").text)
    download = staff_client.get(f"/staff/funds/{year.ppaf_id}/money.csv").text

    assert ("2026/27 £0 £42,000 £1,200 £30,500 £5,000 £12,700 "
            "2027/28 £12,700 £0 £300 £0 £0 £13,000") in page
    assert list(csv.reader(io.StringIO(download.lstrip("\ufeff"))))[1:] == [
        ["2026/27", "0.00", "42000.00", "1200.00", "30500.00", "5000.00", "12700.00"],
        ["2027/28", "12700.00", "0.00", "300.00", "0.00", "0.00", "13000.00"]]


def test_the_year_reports_budget_is_the_ledgers_committed_money_fund_by_fund(
        db_session, year):
    for code, committed in [("PPAF", 30_500), ("CSF", 60_000),
                            (None, 90_500)]:  # 30,500 + 60,000
        report = figures.report_figures(db_session, year_selection(db_session, YEAR, code))
        ledgers = [row for fund, row in year_of_funds(db_session, YEAR)
                   if code in (None, fund.code)]

        assert report.budget_pence == sum(row.committed_pence for row in ledgers) == pounds(
            committed)


def test_the_ppaf_years_report_counts_the_allocation_once_and_nets_off_the_repayments(
        db_session, year):
    report = figures.report_figures(db_session, year_selection(db_session, YEAR, "PPAF"))

    assert (report.applications, report.amount_requested_pence) == (
        3, pounds(15_000))  # 5,000 + 6,000 + 4,000
    # 5,000 + 4,000 + 2,500 + 2,000 + 1,500 + 8,000: the onward grants add nothing.
    assert (report.awards, report.amount_awarded_pence) == (6, pounds(23_000))
    # Repaid on the year's awards, whenever received: 1,200 + 300; 23,000 - 1,500.
    assert (report.repaid_pence, report.net_awarded_pence) == (pounds(1_500), pounds(21_500))
    # Reading Street Support, Didcot Youth Trust, Slough Night Watch and Heart of Bucks.
    assert report.organisations_funded == 4
    assert report.success_rate == 0.6667  # 2 of 3 applications
    assert report.remaining_pence == pounds(7_500)  # 30,500 - 23,000
    assert [(row.code, row.awards, row.amount_awarded_pence) for row in report.by_round] == [
        ("PPAF-2026-1", 2, pounds(9_000)),  # 5,000 + 4,000
        ("HSA-2026-1", 2, pounds(4_500)),  # 2,500 + 2,000
        ("PPAF-DIRECT-2026", 2, pounds(9_500))]  # 1,500 + 8,000
    assert [(row.code, row.awards, row.amount_awarded_pence) for row in report.by_priority] == [
        ("P1", 4, pounds(13_500)),  # 5,000 + 4,000 + 2,500 + 2,000
        ("P2", 2, pounds(9_500))]  # 1,500 + 8,000
    assert [(row.code, row.amount_awarded_pence)
            for row in report.by_high_sheriff_county] == [
        ("Berkshire", pounds(2_500)), ("Oxfordshire", pounds(2_000))]


def test_the_csf_and_all_funds_years_reports(db_session, year):
    csf = figures.report_figures(db_session, year_selection(db_session, YEAR, "CSF"))
    every = figures.report_figures(db_session, year_selection(db_session, YEAR))

    # 18,000 + 36,000; 60,000 - 54,000 left: the top-slice, not yet awarded.
    assert (csf.awards, csf.amount_awarded_pence, csf.organisations_funded,
            csf.remaining_pence, csf.repaid_pence) == (2, pounds(54_000), 2, pounds(6_000), 0)
    # 23,000 + 54,000; 4 + 2 organisations; 7,500 + 6,000.
    assert (every.awards, every.amount_awarded_pence, every.organisations_funded,
            every.remaining_pence, every.repaid_pence, every.net_awarded_pence) == (
        8, pounds(77_000), 6, pounds(13_500), pounds(1_500), pounds(75_500))


def test_the_year_report_page_and_csv_show_the_same_figures(year, staff_client):
    page = words(staff_client.get("/staff/reports/years/2026-27?fund=PPAF").text)
    download = staff_client.get("/staff/reports/years/2026-27.csv?fund=PPAF").text

    # The two "repaid" figures are named apart: £1,500 repaid on the year's awards (1,200 in
    # January, 300 in April 2027), £1,200 returned to the fund in 2026/27 (the ledger's).
    for shown in ("Applications received 3", "Amount requested £15,000", "Awards 6",
                  "Amount awarded £23,000",
                  "Repaid on this year's awards, whenever received £1,500",
                  "Returned to the fund in the year Committed by rounds",
                  "the first counts every repayment on this year's awards, whenever it came "
                  "in; the second counts the money paid back in 2026/27, on any year's awards",
                  "Amount awarded less repaid £21,500", "Organisations funded 4",
                  "Success rate 66.7%", "Budget £30,500", "Remaining £7,500",
                  "Police Property Act Fund £0 £42,000 £1,200 £30,500 £5,000 £12,700",
                  "Heart of Bucks: £8,000 Small grants. 2 onward grants, £5,500, to 2 "
                  "organisations; £2,500 not yet reported as granted."):  # 8,000 - 5,500
        assert shown in page
    rows = {(row[0], row[1]): row for row in csv.reader(io.StringIO(download.lstrip("\ufeff")))}
    assert rows[("breakdown", "code")][11] == "repaid_on_these_awards_whenever_received_pounds"
    assert rows[("total", "")][3:] == ["6", "23000.00", "4", "3", "15000.00", "0.6667",
                                       "30500.00", "7500.00", "1500.00", "21500.00"]
    assert [rows[("by_round", code)][3:5] for code in
            ("PPAF-2026-1", "HSA-2026-1", "PPAF-DIRECT-2026")] == [
        ["2", "9000.00"], ["2", "4500.00"], ["2", "9500.00"]]


# The allocation beneath the figures, as the year page shows it: 2 onward grants, £5,500 (3,000
# + 2,500), to 2 organisations, of the £8,000; £2,500 not yet reported as granted. Then by
# priority (both P2), key aim (Reading Youth Action's P2.2; Chiltern Foodbank's none) and area
# (Reading; the whole Thames Valley).
ONWARD_CSV_ROWS = [
    ["community_foundation_allocation", "Heart of Bucks: Small grants", "2", "5500.00", "2",
     "", "", "", "8000.00", "2500.00", "", ""],
    ["onward_by_priority", "Prevention and Early Intervention", "2", "5500.00", "",
     "", "", "", "", "", "", ""],
    ["onward_by_key_aim", "Increased focus by all agencies on preventing and tackling 'peer on "
     "peer' abuse.", "1", "3000.00", "", "", "", "", "", "", "", ""],
    ["onward_by_key_aim", "No key aim recorded", "1", "2500.00", "", "", "", "", "", "", "",
     ""],
    ["onward_by_area", "Reading", "1", "3000.00", "", "", "", "", "", "", "", ""],
    ["onward_by_area", "The whole of Thames Valley", "1", "2500.00", "", "", "", "", "", "",
     "", ""]]


def test_the_year_reports_csv_and_xlsx_show_the_onward_grants_beneath_the_allocation(
        year, staff_client):
    download = staff_client.get("/staff/reports/years/2026-27.csv?fund=PPAF").text
    workbook = load_workbook(io.BytesIO(
        staff_client.get("/staff/reports/years/2026-27.xlsx?fund=PPAF").data))

    rows = list(csv.reader(io.StringIO(download.lstrip("\ufeff"))))
    first = next(n for n, row in enumerate(rows) if row[0] == "community_foundation_allocation")
    # Beneath the figures' breakdowns, the allocation, then its onward grants; the code column
    # names the allocation (A and its award id), then each row's priority, key aim or area.
    assert [row[:1] + row[2:] for row in rows[first:]] == ONWARD_CSV_ROWS
    assert [row[1] for row in rows[first + 1:]] == ["P2", "P2.2", "none", "E06000038",
                                                    "thames-valley"]
    assert ["Repaid on this year's awards, whenever received", 1500] in [
        list(row) for row in workbook["Summary"].iter_rows(values_only=True)]
    sheet = workbook["Community Foundations"]
    cells = [[cell for cell in row if cell is not None]
             for row in sheet.iter_rows(values_only=True)]
    assert cells[2:9] == [
        ["Heart of Bucks: Small grants"], ["Allocated", 8000], ["Onward grants", 2],
        ["Granted onward", 5500], ["Organisations funded", 2],
        ["Not yet reported as granted", 2500], ["By priority", "Grants", "Amount", "Code"]]
    assert ["Reading", 1, 3000, "E06000038"] in cells
    assert sheet["B4"].number_format == downloads.CURRENCY_FORMAT


def test_the_panel_paragraphs_say_the_same_sums(db_session, year, staff_client):
    ppaf = panel.panel_report(db_session, year_selection(db_session, YEAR, "PPAF"))
    csf = panel.panel_report(db_session, year_selection(db_session, YEAR, "CSF"))
    page = words(staff_client.get("/staff/reports/years/2026-27/panel?fund=PPAF").text)

    assert ppaf.round_paragraphs == PPAF_PARAGRAPHS
    assert ppaf.high_sheriff_paragraph == HIGH_SHERIFF_PARAGRAPH
    assert csf.round_paragraphs == (CSF_PARAGRAPH,)
    for paragraph in (*PPAF_PARAGRAPHS, HIGH_SHERIFF_PARAGRAPH):
        assert paragraph in page


# The PPAF's progress by key aim under P2: the direct award and the allocation (its key aim
# P2.1) in the fund's group, once; the foundation's onward grants beneath, in a group of their
# own under their own key aims, never among the fund's initiatives.
PPAF_P2_SECTIONS = [
    ("P2.1 Coordinated efforts by police and partner agencies to improve public awareness of "
     "measures to protect themselves from cybercrime, particularly targeting those most at risk "
     "(such as those at either end of the age spectrum).",
     [("Police Property Act Fund initiatives (including High Sheriff awards)",
       ("Heart of Bucks: Small grants", "Reading Street Support: Emergency repairs after a "
        "flood"))]),
    ("P2.2 Increased focus by all agencies on preventing and tackling 'peer on peer' abuse.",
     [("Grants made by Heart of Bucks from the Police Property Act Fund's allocation",
       ("Reading Youth Action: Peer mentoring",))]),
    ("Supporting the priority as a whole",
     [("Grants made by Heart of Bucks from the Police Property Act Fund's allocation",
       ("Chiltern Foodbank",))])]


def test_the_progress_by_key_aim_lists_the_onward_grants_beneath_the_allocation(
        db_session, year, staff_client):
    ppaf = panel.panel_report(db_session, year_selection(db_session, YEAR, "PPAF"))
    by_key_aim = panel.to_text(ppaf).split(panel.PROGRESS_HEADING)[1]

    [p2] = [section for section in ppaf.priorities if section.code == "P2"]
    assert [(aim.heading, [(group.heading, group.items) for group in aim.groups])
            for aim in p2.aims] == PPAF_P2_SECTIONS
    # Each organisation listed once: the allocation's money is not listed again beneath it.
    assert by_key_aim.count("Heart of Bucks: Small grants") == 1
    assert by_key_aim.count("Reading Youth Action") == by_key_aim.count("Chiltern Foodbank") == 1
    page = words(staff_client.get("/staff/reports/years/2026-27/panel?fund=PPAF").text)
    assert ("Grants made by Heart of Bucks from the Police Property Act Fund's allocation "
            "Reading Youth Action: Peer mentoring") in page


def test_the_public_register_lists_each_public_award_once(year, client):
    every = words(client.get("/awards?year=2026/27").text)
    ppaf = words(client.get("/awards?year=2026/27&fund=PPAF").text)

    amounts = re.findall(r"£[0-9,]+ [0-9]+ \w+ 2026", every)
    assert "8 grants" in every and "6 grants" in ppaf
    assert sorted(amount.split()[0] for amount in amounts) == sorted([
        "£5,000", "£4,000", "£2,500", "£2,000", "£1,500", "£8,000", "£18,000", "£36,000"])
    # The allocation's onward grants are the Community Foundation's, not the PPAF's.
    assert "Chiltern Foodbank" not in every and "Reading Youth Action" not in every


def test_the_360giving_export_has_the_reports_amounts_and_marks_the_regrant(
        app, db_session, year, client):
    package = json.loads(client.get("/awards/360giving.json?year=2026/27&fund=PPAF").text)
    out = io.BytesIO()
    publisher = Publisher.of_office(office_of_request(db.session))
    export_to(db_session, Selection(year=YEAR, fund="PPAF"), publisher, "json", out,
              include_onward=True)
    with_onward = json.loads(out.getvalue())

    assert package_errors(package) == [] and package_errors(with_onward) == []
    grants = sorted((grant["recipientOrganization"][0]["name"], grant["amountAwarded"],
                     grant.get("regrantType")) for grant in package["grants"])
    assert grants == [("Didcot Youth Trust", 2000, None), ("Didcot Youth Trust", 4000, None),
                      ("Heart of Bucks", 8000, "FRG010"),
                      ("Reading Street Support", 1500, None),
                      ("Reading Street Support", 5000, None),
                      ("Slough Night Watch", 2500, None)]
    assert sum(amount for _, amount, _ in grants) == 23_000  # the report's amount awarded
    onward = sorted((grant["fundingOrganization"][0]["name"],
                     grant["recipientOrganization"][0]["name"], grant["amountAwarded"])
                    for grant in with_onward["grants"] if grant not in package["grants"])
    assert onward == [("Heart of Bucks", "Chiltern Foodbank", 2500),
                      ("Heart of Bucks", "Reading Youth Action", 3000)]
