"""Figures that agree: one financial year (2026/27) of the Police Property Act Fund and the
Community Safety Fund, built once through the services, and every figure the ledger, the year
report (page and CSV), the panel paragraphs, the public register and the 360Giving export show
for it, checked against answers worked out by hand.

The year:

- PPAF (its budgets limited by the money paid in): £30,000 paid in on 10 April 2026 and
  £12,000 on 10 June 2026;
- open round PPAF-2026-1, budget £15,000: Reading Street Support asked £5,000 and got it,
  Didcot Youth Trust asked £6,000 and got £4,000 (in part), Slough Night Watch asked £4,000
  and was declined;
- High Sheriff round HSA-2026-1, budget £6,000 (£3,000 a county): Berkshire's High Sheriff
  nominated Slough Night Watch for £2,500, Oxfordshire's Didcot Youth Trust for £2,000; both
  approved;
- a direct award of £1,500 to Reading Street Support (20 May 2026), signed off;
- a Community Foundation allocation of £8,000 to Heart of Bucks (1 June 2026), signed off,
  from which it made onward grants of £3,000 (Reading, key aim P2.2) and £2,500 (the whole
  Thames Valley, priority P2 alone);
- Reading Street Support's £5,000 was paid in full (1 September 2026), and £1,200 of it paid
  back on 15 January 2027 and £300 more on 20 April 2027 (2027/28);
- CSF: £100,000 paid in; allocation round CSF-2026-1, budget £60,000, top-slice 10% (£6,000),
  the £54,000 shared by population 100,000 : 200,000 between two councils.

Rounds' settings (priorities, criteria, allocations) and the applications' answers go through
the services that set them; the applications are written as the section pages would leave
them and given the panel's agreed score (`tests.properties.year_world.screened`).
"""

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from grants.accounts.models import Role, User
from grants.allocations.operations.confirmation import confirm_allocation
from grants.allocations.operations.factors import FactorRow, set_factors
from grants.allocations.operations.inputs import save_inputs
from grants.allocations.operations.listing import recipient_choices
from grants.allocations.operations.proposal import propose_shares
from grants.allocations.operations.recipients import set_recipients
from grants.allocations.operations.top_slice import set_top_slice
from grants.areas.models import County, LocalAuthority
from grants.awards.models import Award
from grants.awards.operations import bank_details, offers, payments
from grants.core import clock
from grants.decisions.models import DecisionOutcome
from grants.decisions.operations.publishing import publish
from grants.decisions.operations.sign_off import sign_off
from grants.direct_awards.models import DecisionMaker, DirectAwardKind
from grants.direct_awards.operations.onward import OnwardGrantEntry, add_onward_grant
from grants.direct_awards.operations.recording import DirectAwardEntry, record_direct_award
from grants.direct_awards.operations.signing_off import sign_off_direct_award
from grants.extensions import db
from grants.funds.models import Fund, RoundKind
from grants.funds.operations import criteria
from grants.funds.operations.funds import FundDetails, update_fund
from grants.funds.operations.settings import RoundSettings, create_round
from grants.funds.operations.setup import (
    set_county_allocations,
    set_organisation_types,
    set_priorities,
)
from grants.funds.operations.status import launch_round, start_assessment
from grants.ledger.operations.figures import fund_ledger, year_of_funds
from grants.ledger.operations.paid_in import PaidInEntry, add_entry
from grants.monitoring.operations.repayments import record_repayment
from grants.nominations.operations.deciding import approve_nomination
from grants.nominations.operations.nominating import NominationInput, nominate
from grants.opendata.operations.export import Selection, export_to
from grants.opendata.operations.threesixty import Publisher
from grants.organisations.models import CharityRegulator, Organisation, OrganisationType
from grants.plans.models import Plan
from grants.reference.operations.seed import seed_reference
from grants.reports.operations import downloads, figures, panel
from grants.reports.operations.selection import year_selection
from tests.assessment.screening_data import words
from tests.fixtures.factories import OrganisationFactory, UserFactory
from tests.opendata.schema import package_errors
from tests.properties.year_bases import PUBLIC_REASON, decide_as
from tests.properties.year_world import People, World, screened, three_charities_in_reading

YEAR = "2026/27"


def at(*moment) -> datetime:
    return datetime(*moment, tzinfo=UTC)


@dataclass(frozen=True)
class Built:
    """The ids of what the tests look up again."""

    ppaf_id: int
    csf_id: int
    staff_id: int
    repaid_award_id: int


def _open_round(session, world: World, staff: User) -> object:
    p1, p2 = world.plan.priorities[:2]
    round_ = create_round(session, world.funds["PPAF"], RoundSettings(
        title="PPAF 2026/27 Round 1", kind=RoundKind.OPEN, opens_at=at(2026, 5, 1, 8),
        closes_at=at(2026, 6, 30, 11), budget_pence=15_000_00, min_award_pence=1_000_00,
        max_award_pence=10_000_00, code="PPAF-2026-1"), actor_id=staff.id)
    set_priorities(session, round_, [p1.id, p2.id], [], actor_id=staff.id)
    set_organisation_types(session, round_, [OrganisationType.REGISTERED_CHARITY],
                           actor_id=staff.id)
    criteria.CRITERIA.add(session, round_, criteria.CriterionDetails(name="Need", max_score=10),
                          actor_id=staff.id)
    return launch_round(session, round_, actor_id=staff.id)


def _nomination_round(session, world: World, staff: User) -> object:
    round_ = create_round(session, world.funds["PPAF"], RoundSettings(
        title="High Sheriff awards 2026/27", kind=RoundKind.NOMINATION,
        opens_at=at(2026, 5, 1, 8), closes_at=at(2026, 7, 31, 11), budget_pence=6_000_00,
        code="HSA-2026-1"), actor_id=staff.id)
    set_priorities(session, round_, [world.plan.priorities[0].id], [], actor_id=staff.id)
    set_county_allocations(session, round_, {
        world.counties["Berkshire"].id: 3_000_00, world.counties["Oxfordshire"].id: 3_000_00},
        actor_id=staff.id)
    return launch_round(session, round_, actor_id=staff.id)


def _allocation_round(session, world: World, staff: User) -> object:
    round_ = create_round(session, world.funds["CSF"], RoundSettings(
        title="CSF 2026/27 allocations", kind=RoundKind.ALLOCATION, opens_at=at(2026, 5, 1, 8),
        closes_at=at(2026, 6, 30, 11), budget_pence=60_000_00, code="CSF-2026-1"),
        actor_id=staff.id)
    round_ = launch_round(session, round_, actor_id=staff.id)
    set_top_slice(session, staff, round_.id, basis_points=1000)
    councils = recipient_choices(session, round_)[:2]
    recipients = set_recipients(session, staff, round_.id, [c.id for c in councils])
    [factor] = set_factors(session, staff, round_.id, [FactorRow("Population", 10000)])
    save_inputs(session, staff, round_.id, {
        (recipient.id, factor.id): Decimal(100_000 * number)
        for number, recipient in enumerate(recipients, start=1)})
    return round_


def _direct(session, world: World, people: People, organisation: Organisation, pounds: int,
            decided_on: date, title: str, **changes):
    p2 = world.plan.priorities[1]
    direct = record_direct_award(session, people.decider, world.funds["PPAF"].id,
                                 DirectAwardEntry(
        organisation_id=organisation.id, amount_pence=pounds * 100, decided_on=decided_on,
        decision_maker=DecisionMaker.COMMISSIONER, delegate_name="", title=title,
        public_reason="An urgent need the rounds could not wait for.",
        priority_id=p2.id, key_aim_ids=[p2.key_aims[0].id], **changes))
    return sign_off_direct_award(session, people.checker, direct.award_id, confirmed=True)


def build_the_year(session, hand: list) -> Built:
    seed_reference(session)
    session.flush()
    plan = session.scalars(select(Plan).where(Plan.code == "TVPCC-PCP-2017-21")).one()
    funds = {f.code: f for f in session.scalars(select(Fund))}
    counties = {c.name: c for c in session.scalars(select(County))}
    reading = session.scalars(select(LocalAuthority).where(
        LocalAuthority.gss_code == "E06000038")).one()
    member, organisations = three_charities_in_reading(session)
    reading_org, didcot, slough = organisations
    foundation = OrganisationFactory(
        name="Heart of Bucks", organisation_type=OrganisationType.REGISTERED_CHARITY,
        charity_number="1073861", charity_regulator=CharityRegulator.CCEW,
        local_authority=reading)
    people = People(decider=UserFactory(roles=[Role.STAFF], name="Sam Decider"),
                    checker=UserFactory(roles=[Role.STAFF], name="Alex Checker"),
                    reviewer=UserFactory(roles=[Role.REVIEWER], name="Robin Reviewer"),
                    member=member)
    world = World(people=people, organisations=organisations, councils=[], plan=plan,
                  funds=funds, counties=counties)
    staff = people.decider

    # April: the PPAF's budgets are limited by its money; money paid in; the rounds set up.
    hand[0] = at(2026, 4, 20, 9)
    ppaf = funds["PPAF"]
    update_fund(session, ppaf, FundDetails(
        code=ppaf.code, name=ppaf.name, description=ppaf.description,
        eligible_recipients=ppaf.eligible_recipients, legal_basis=ppaf.legal_basis,
        budgets_limited_by_money_paid_in=True), actor_id=staff.id)
    for fund, pounds, received_on in [(ppaf, 30_000, date(2026, 4, 10)),
                                      (funds["CSF"], 100_000, date(2026, 4, 15))]:
        add_entry(session, fund, PaidInEntry(
            received_on=received_on, amount_pence=pounds * 100, source="Proceeds of property",
            reference=f"{fund.code} {received_on}", financial_year=""), actor_id=staff.id)
    open_round = _open_round(session, world, staff)
    nomination = _nomination_round(session, world, staff)
    allocation = _allocation_round(session, world, staff)
    sheriffs = {name: UserFactory(roles=[Role.HIGH_SHERIFF], county=counties[name],
                                  term_year=2026, name=f"High Sheriff of {name}")
                for name in ("Berkshire", "Oxfordshire")}

    # June: nominations, a direct award and a Community Foundation allocation.
    hand[0] = at(2026, 6, 15, 9)
    nominations = [
        nominate(session, sheriffs[county], nomination.id, NominationInput(
            amount_pence=pounds * 100, priority_id=plan.priorities[0].id,
            purpose="Summer sports programme", reason="Keeps young people safe",
            organisation_id=organisation.id))
        for county, organisation, pounds in [("Berkshire", slough, 2_500),
                                             ("Oxfordshire", didcot, 2_000)]]
    _direct(session, world, people, reading_org, 1_500, date(2026, 5, 20),
            "Emergency repairs after a flood")
    # The allocation needs more than the £7,500 left: more money comes in first.
    add_entry(session, ppaf, PaidInEntry(
        received_on=date(2026, 6, 10), amount_pence=12_000_00, source="Proceeds of property",
        reference="PPAF 2026-06-10", financial_year=""), actor_id=staff.id)
    p1, p2 = plan.priorities[:2]
    delegated = _direct(session, world, people, foundation, 8_000, date(2026, 6, 1),
                        "Small grants", kind=DirectAwardKind.DELEGATED)
    for name, pounds, changes in [
            ("Reading Youth Action", 3_000, {"priority_id": p2.id, "area_ids": [reading.id],
                                             "key_aim_id": p2.key_aims[1].id,
                                             "title": "Peer mentoring"}),
            ("Chiltern Foodbank", 2_500, {"priority_id": p2.id,
                                          "serves_whole_thames_valley": True})]:
        add_onward_grant(session, people.decider, delegated.award_id, OnwardGrantEntry(
            recipient_name=name, amount_pence=pounds * 100, awarded_on=date(2026, 6, 10),
            **changes))

    # August: the open round decided; the nominations approved; the allocation confirmed;
    # each round's decisions signed off and published.
    hand[0] = at(2026, 8, 17, 9)
    start_assessment(session, open_round, actor_id=staff.id)
    applications = [screened(session, world, open_round, number, pounds * 100, score)
                    for number, (pounds, score) in enumerate([(5_000, 800), (6_000, 700),
                                                               (4_000, 400)])]
    for application, outcome, part in [
            (applications[0], DecisionOutcome.AWARD_IN_FULL, None),
            (applications[1], DecisionOutcome.AWARD_IN_PART, 4_000_00),
            (applications[2], DecisionOutcome.DECLINE, None)]:
        decide_as(session, staff, application, outcome, part)
    for nomination_made in nominations:
        approve_nomination(session, staff, nomination_made.id, public_reason=PUBLIC_REASON)
    propose_shares(session, staff, allocation.id)
    confirm_allocation(session, staff, allocation.id, public_reason=PUBLIC_REASON)
    for round_ in (open_round, nomination, allocation):
        sign_off(session, people.checker, round_.id)
        publish(session, staff, round_.id)

    # September: Reading Street Support accepts and is paid its £5,000 ...
    hand[0] = at(2026, 9, 1, 9)
    award = session.scalars(select(Award).where(
        Award.application_id == applications[0].id)).one()
    offers.accept_offer(session, member, award, name="Jo Member", position="Treasurer",
                        accepted_on=date(2026, 9, 1), confirmed=True)
    details = bank_details.save_bank_details(
        session, member, award, account_name=award.organisation.name, sort_code="309430",
        account_number="00733445")
    bank_details.verify_bank_details(session, people.checker, award, details.id)
    payment = payments.record_payment(session, staff, award, paid_on=date(2026, 9, 1),
                                      amount_pence=5_000_00, reference="BACS 1")
    payments.approve_payment(session, people.checker, payment)
    # ... and in January pays back £1,200 it did not spend.
    hand[0] = at(2027, 1, 20, 9)
    record_repayment(session, staff, award, amount_pence=1_200_00,
                     received_on=date(2027, 1, 15), reference="Unspent 1")
    # ... and £300 more in April 2027, the next financial year.
    hand[0] = at(2027, 4, 25, 9)
    record_repayment(session, staff, award, amount_pence=300_00,
                     received_on=date(2027, 4, 20), reference="Unspent 2")
    session.commit()
    return Built(ppaf_id=ppaf.id, csf_id=funds["CSF"].id, staff_id=staff.id,
                 repaid_award_id=award.id)


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
    export_to(db_session, Selection(year=YEAR, fund="PPAF"), Publisher.from_config(app.config),
              "json", out, include_onward=True)
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
