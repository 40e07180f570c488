"""The year whose figures must agree, built once through the services; the tests in
tests/reports/test_figures_agree.py check every figure of it against answers worked out by
hand.

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

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

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
from grants.decisions.models import DecisionOutcome
from grants.decisions.operations.publishing import publish
from grants.decisions.operations.sign_off import sign_off
from grants.direct_awards.models import DecisionMaker, DirectAwardKind
from grants.direct_awards.operations.onward import OnwardGrantEntry, add_onward_grant
from grants.direct_awards.operations.recording import DirectAwardEntry, record_direct_award
from grants.direct_awards.operations.signing_off import sign_off_direct_award
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
from grants.ledger.operations.paid_in import PaidInEntry, add_entry
from grants.monitoring.operations.repayments import record_repayment
from grants.nominations.operations.deciding import approve_nomination
from grants.nominations.operations.nominating import NominationInput, nominate
from grants.organisations.models import CharityRegulator, Organisation, OrganisationType
from grants.plans.models import Plan
from grants.reference.operations.seed import seed_reference
from tests.fixtures.factories import OrganisationFactory, UserFactory
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
