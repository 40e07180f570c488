"""A demo Community Safety Fund allocation round in the style of 2019/20: a top-slice kept for
targeted priorities, the rest shared among the Community Safety Partnerships by population,
recorded crime and non-crime demand, the shares confirmed as awards, and an award from the
top-slice for cybercrime awareness; a second member of staff signs the decisions off and they
are published, so the awards are public. The figures are illustrative. Never in production."""

import logging
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.allocations.operations.confirmation import confirm_allocation
from grants.allocations.operations.factors import FactorRow, set_factors
from grants.allocations.operations.inputs import save_inputs
from grants.allocations.operations.proposal import propose_shares
from grants.allocations.operations.recipients import set_recipients
from grants.allocations.operations.top_slice import set_top_slice
from grants.allocations.operations.top_slice_awards import TopSliceAward, record_top_slice_award
from grants.decisions.operations.publishing import publish
from grants.decisions.operations.sign_off import sign_off
from grants.funds.models import Fund, MonitoringSchedule, Round, RoundKind
from grants.organisations.models import Organisation
from grants.plans.models import Plan
from grants.reference.operations.seed import shipped_office

logger = logging.getLogger(__name__)

CODE = "CSF-2019-1"
BUDGET_PENCE = 110_000_000  # £1,100,000
TOP_SLICE_BASIS_POINTS = 1000  # 10 %: £110,000
FACTORS = (("Population", 5000), ("Recorded crime", 2500), ("Non-crime demand", 2500))
# Illustrative inputs by partnership: population, recorded crimes, non-crime incidents.
INPUTS = {
    "Bracknell Forest Community Safety Partnership": (122_000, 7_400, 6_100),
    "Reading Community Safety Partnership": (163_000, 16_900, 11_800),
    "Safer Slough Partnership": (149_000, 15_800, 10_200),
    "West Berkshire Building Communities Together Partnership": (158_000, 8_900, 7_300),
    "Windsor and Maidenhead Community Safety Partnership": (151_000, 9_600, 7_900),
    "Wokingham Community Safety Partnership": (168_000, 7_100, 6_400),
    "Safer MK": (268_000, 27_300, 18_600),
    "Aylesbury Vale Community Safety Partnership": (199_000, 11_900, 9_100),
    "Chiltern and South Bucks Community Safety Partnership": (166_000, 8_200, 6_700),
    "Wycombe Community Safety Partnership": (174_000, 11_300, 8_800),
    "Cherwell Community Safety Partnership": (149_000, 10_400, 7_600),
    "Oxford Safer Communities Partnership": (152_000, 17_800, 12_100),
    "South and Vale Community Safety Partnership": (276_000, 12_600, 10_400),
    "West Oxfordshire Community Safety Partnership": (110_000, 5_300, 4_500),
}
SHARES_REASON = ("The Community Safety Fund is shared among the Community Safety Partnerships "
                 "by population, recorded crime and demand, so each can fund its local plan.")
TOP_SLICE_REASON = ("Online fraud against older people is rising, and the county's libraries "
                    "and day centres reach the people most at risk.")
TOP_SLICE_AWARD = ("Oxfordshire County Council", 10_000_000,
                   "Cybercrime awareness for older people",
                   "Talks and one-to-one help on online fraud in libraries and day centres.",
                   "P2", 1)


DECIDED_ON = date(2019, 6, 17)


def seed_demo_allocations(session: Session, staff: User, approver: User) -> Round | None:
    """The confirmed allocation round, made by `staff` through the allocation services, its
    decisions signed off by `approver` and published; nothing when it exists already or the
    reference data has no partnerships."""
    office = shipped_office(session)
    fund = session.scalars(select(Fund).where(Fund.office_id == (office.id if office else None),
                                              Fund.code == "CSF")).one_or_none()
    if fund is None or session.scalars(select(Round).where(Round.code == CODE)).first():
        return None
    partnerships = {o.name: o for o in session.scalars(
        select(Organisation).where(Organisation.name.in_(INPUTS)))}
    if len(partnerships) != len(INPUTS):
        logger.info("seed-demo: no allocation round without the partnerships of "
                    "seed-reference")
        return None
    round_ = Round(fund=fund, code=CODE, title="Community Safety Fund 2019/20 allocations",
                   kind=RoundKind.ALLOCATION, budget_pence=BUDGET_PENCE,
                   monitoring=MonitoringSchedule.TWICE_YEARLY,
                   opens_at=datetime(2019, 4, 1, 8, tzinfo=UTC),
                   closes_at=datetime(2019, 5, 31, 16, tzinfo=UTC),
                   launched_at=datetime(2019, 3, 20, 9, tzinfo=UTC))
    session.add(round_)
    session.flush()

    set_top_slice(session, staff, round_.id, basis_points=TOP_SLICE_BASIS_POINTS)
    recipients = set_recipients(session, staff, round_.id,
                                         [o.id for o in partnerships.values()])
    factors = set_factors(session, staff, round_.id,
                                   [FactorRow(name, weight) for name, weight in FACTORS])
    save_inputs(session, staff, round_.id, {
        (recipient.id, factor.id): Decimal(value)
        for recipient in recipients
        for factor, value in zip(factors, INPUTS[recipient.organisation.name], strict=True)})
    propose_shares(session, staff, round_.id)
    confirm_allocation(session, staff, round_.id, public_reason=SHARES_REASON)
    _top_slice_award(session, staff, round_)
    # The Commissioner's decision meeting that agreed the 2019/20 allocation; set on the
    # round as its dates are, since the demo's history is told whatever day it is seeded.
    round_.allocation_decided_on = DECIDED_ON
    sign_off(session, approver, round_.id)
    publish(session, staff, round_.id)
    logger.info("seed-demo: allocation round %s confirmed and published for %d partnerships",
                round_.id, len(recipients))
    return round_


def _top_slice_award(session: Session, staff: User, round_: Round) -> None:
    name, pence, title, description, priority_code, aim_number = TOP_SLICE_AWARD
    organisation = session.scalars(select(Organisation).where(Organisation.name == name)).first()
    plan = session.scalars(select(Plan).where(Plan.office_id == round_.fund.office_id,
                                              Plan.is_current)).one_or_none()
    priority = next((p for p in plan.priorities if p.code == priority_code), None) if plan \
        else None
    aim = next((a for a in priority.key_aims if a.number == aim_number), None) if priority \
        else None
    if organisation is None or aim is None:
        return
    record_top_slice_award(session, staff, round_.id, TopSliceAward(
        organisation_id=organisation.id, amount_pence=pence, priority_id=priority.id,
        key_aim_ids=[aim.id], title=title, description=description,
        public_reason=TOP_SLICE_REASON))
