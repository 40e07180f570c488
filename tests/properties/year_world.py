"""The people, organisations and rounds of one financial year (2026/27) that the year's state
machine drives: the people and organisations once per module, the rounds for each example.

Rounds are written as rows (the fewest a round needs); applications are filled in as the
section pages would leave them (`tests.applications.completing.complete`); everything after
that goes through the services the pages call, as `tests.properties.test_year_machine` does.
"""

from dataclasses import dataclass, is_dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import inspect, select

from grants.accounts.models import Role, User
from grants.allocations.operations.factors import FactorRow, set_factors
from grants.allocations.operations.inputs import save_inputs
from grants.allocations.operations.listing import recipient_choices
from grants.allocations.operations.recipients import set_recipients
from grants.allocations.operations.top_slice import set_top_slice
from grants.applications.models import Application, ApplicationStatus
from grants.areas.models import County, LocalAuthority
from grants.assessment.models import Moderation
from grants.assessment.operations.kept_scores import refresh_score
from grants.extensions import db
from grants.funds.models import (
    CountyAllocation,
    EligibilityQuestion,
    Fund,
    MonitoringSchedule,
    Round,
    RoundKind,
    ScoringCriterion,
)
from grants.organisations.models import CharityRegulator, Organisation, OrganisationType
from grants.plans.models import Plan
from grants.reference.operations.seed import seed_reference
from tests.applications.completing import complete
from tests.fixtures.factories import MembershipFactory, OrganisationFactory, UserFactory

SHERIFF_COUNTIES = ("Berkshire", "Oxfordshire")
FIRST_YEAR = 2026


def in_year(moment: datetime, start: int) -> datetime:
    """The same moment of the year that starts in April of `start`, as written for 2026/27."""
    return moment.replace(year=moment.year + start - FIRST_YEAR)


# In 2026/27 (each base year moves them by whole years): while the open round takes
# applications and the High Sheriffs nominate ...
DURING = datetime(2026, 6, 15, 9, 0, tzinfo=UTC)
# ... and once both have closed: assessing, deciding, publishing, paying.
AFTER = datetime(2026, 8, 17, 9, 0, tzinfo=UTC)
OPEN_ROUND_CLOSES = datetime(2026, 6, 30, 11, 0, tzinfo=UTC)
NOMINATIONS_CLOSE = datetime(2026, 7, 31, 11, 0, tzinfo=UTC)


@dataclass(frozen=True)
class People:
    decider: User  # staff: screens, decides, approves, allocates, records payments
    checker: User  # a second member of staff: signs off and approves payments
    reviewer: User
    member: User  # a member of every applicant organisation


@dataclass(frozen=True)
class World:
    people: People
    organisations: list[Organisation]  # applicants and nominees
    councils: list[Organisation]  # recipients of allocations
    plan: Plan
    funds: dict[str, Fund]
    counties: dict[str, County]


def _again(session, record):
    # By its identity, which a record keeps when the session that loaded it has gone.
    return session.get(type(record), inspect(record).identity)


class Attached:
    """The world (or a year) as seen from this session: each record is fetched by its identity
    when first read, and kept, so an example loads only the records its steps use, once."""

    def __init__(self, session, held, fetched: dict | None = None) -> None:
        self._session, self._held = session, held
        self._fetched = {} if fetched is None else fetched

    def __getattr__(self, name: str):
        return self._attached(getattr(self._held, name))

    def _attached(self, value):
        if isinstance(value, db.Model):
            key = (type(value), inspect(value).identity)
            if key not in self._fetched:
                self._fetched[key] = _again(self._session, value)
            return self._fetched[key]
        if isinstance(value, list):
            return [self._attached(item) for item in value]
        if isinstance(value, dict):
            return {key: self._attached(item) for key, item in value.items()}
        if is_dataclass(value):
            return Attached(self._session, value, self._fetched)
        return value


def three_charities_in_reading(session) -> tuple[User, list[Organisation]]:
    """Three registered charities in Reading (seeded reference data), with one member."""
    reading = session.scalars(select(LocalAuthority).where(
        LocalAuthority.gss_code == "E06000038")).one()
    member = UserFactory(roles=[Role.APPLICANT], name="Jo Member")
    organisations = []
    for number, name in enumerate(("Reading Street Support", "Didcot Youth Trust",
                                   "Slough Night Watch"), start=1):
        organisation = OrganisationFactory(
            name=name, organisation_type=OrganisationType.REGISTERED_CHARITY,
            charity_number=f"117000{number}", charity_regulator=CharityRegulator.CCEW,
            local_authority=reading)
        MembershipFactory(user=member, organisation=organisation)
        organisations.append(organisation)
    return member, organisations


def build_world(session) -> World:
    """Reference data, staff, a reviewer, the High Sheriffs and three organisations: made
    once, kept for every example."""
    seed_reference(session)
    session.flush()
    plan = session.scalars(select(Plan).where(Plan.code == "TVPCC-PCP-2017-21")).one()
    counties = {c.name: c for c in session.scalars(select(County))}
    member, organisations = three_charities_in_reading(session)
    councils = list(session.scalars(
        select(Organisation).where(Organisation.organisation_type
                                   == OrganisationType.LOCAL_AUTHORITY)
        .order_by(Organisation.name).limit(2)))
    people = People(
        decider=UserFactory(roles=[Role.STAFF], name="Sam Decider"),
        checker=UserFactory(roles=[Role.STAFF], name="Alex Checker"),
        reviewer=UserFactory(roles=[Role.REVIEWER], name="Robin Reviewer"),
        member=member)
    session.commit()
    return World(people=people, organisations=organisations, councils=councils, plan=plan,
                 funds={f.code: f for f in session.scalars(select(Fund))}, counties=counties)


@dataclass
class Year:
    """The three rounds of one financial year, and its High Sheriffs by county."""

    start: int  # the year's April: 2026 for 2026/27
    open: Round
    nomination: Round
    allocation: Round
    sheriffs: dict[str, User]

    @property
    def name(self) -> str:
        return f"{self.start}/{(self.start + 1) % 100:02d}"


def _round(world: World, start: int, fund: str, code: str, kind: RoundKind, budget: int,
           **values) -> Round:
    settings = {"fund": world.funds[fund], "code": f"{code}-{start}-1",
                "title": f"{code} {start} round 1", "kind": kind,
                "opens_at": in_year(datetime(2026, 5, 1, 8, tzinfo=UTC), start),
                "closes_at": in_year(OPEN_ROUND_CLOSES, start),
                "launched_at": in_year(datetime(2026, 4, 20, 8, tzinfo=UTC), start),
                "budget_pence": budget}
    settings.update(values)
    return Round(**settings)


def build_year(session, world: World, start: int, *, budgets: tuple[int, int, int],
               allocations: tuple[int, int]) -> Year:
    """An open round (one eligibility question, one criterion), a High Sheriff round with an
    allocation for each county and its High Sheriffs, and a Community Safety Fund allocation
    round ready to share by formula among two councils, all in the year from April `start`."""
    priorities = world.plan.priorities
    open_round = _round(world, start, "PPAF", "PPAF", RoundKind.OPEN, budgets[0],
                        min_award_pence=100_000, max_award_pence=min(500_000, budgets[0]),
                        priorities=priorities[:2])
    open_round.eligibility_questions = [EligibilityQuestion(
        position=1, text="Is the organisation based in the Thames Valley?")]
    open_round.scoring_criteria = [ScoringCriterion(position=1, name="Need", weight=1,
                                                    max_score=10)]
    nomination = _round(world, start, "PPAF", "HSA", RoundKind.NOMINATION, budgets[1],
                        closes_at=in_year(NOMINATIONS_CLOSE, start), priorities=priorities[:1])
    allocation = _round(world, start, "CSF", "CSF", RoundKind.ALLOCATION, budgets[2],
                        monitoring=MonitoringSchedule.TWICE_YEARLY)
    session.add_all([open_round, nomination, allocation])
    session.flush()
    sheriffs = {}
    for name, amount in zip(SHERIFF_COUNTIES, allocations, strict=True):
        session.add(CountyAllocation(round_id=nomination.id,
                                     county_id=world.counties[name].id, amount_pence=amount))
        sheriffs[name] = UserFactory(roles=[Role.HIGH_SHERIFF], county=world.counties[name],
                                     term_year=start, name=f"High Sheriff of {name} {start}")
    staff = world.people.decider
    set_top_slice(session, staff, allocation.id, basis_points=1000)
    councils = recipient_choices(session, allocation)[:2]
    recipients = set_recipients(session, staff, allocation.id, [c.id for c in councils])
    factors = set_factors(session, staff, allocation.id, [FactorRow("Population", 10000)])
    save_inputs(session, staff, allocation.id, {
        (recipient.id, factors[0].id): Decimal(100_000 * (number + 1))
        for number, recipient in enumerate(recipients)})
    session.commit()
    return Year(start=start, open=open_round, nomination=nomination, allocation=allocation,
                sheriffs=sheriffs)


def draft(session, world: World, round_: Round, number: int, amount_pence: int) -> Application:
    """A complete draft, ready to send."""
    application = Application(round=round_, organisation=world.organisations[number],
                              created_by=world.people.member)
    session.add(application)
    start = round_.opens_at.year
    return complete(application, amount_requested_pence=amount_pence,
                    total_cost_pence=amount_pence * 2, primary_priority=round_.priorities[0],
                    planned_start=date(start, 10, 1), planned_end=date(start + 1, 9, 30))


def screened(session, world: World, round_: Round, number: int, amount_pence: int,
             score_tenths: int) -> Application:
    """An application sent before the closing time, screened eligible and given an agreed
    score by the panel, as those services leave it."""
    application = draft(session, world, round_, number, amount_pence)
    with session.no_autoflush:
        application.status = ApplicationStatus.ELIGIBLE
        application.sequence = number + 1
        application.reference = f"{round_.code}-{number + 1:04d}"
        application.submitted_at = round_.closes_at - timedelta(days=10)
    session.flush()
    session.add(Moderation(application_id=application.id, agreed_score_tenths=score_tenths,
                           reason="Agreed by the panel", moderated_by_id=world.people.decider.id,
                           moderated_at=round_.closes_at + timedelta(days=20)))
    session.flush()
    refresh_score(session, application.id)
    session.commit()
    return application


def past_grant(identifier: str, code: str, pounds: int, awarded_on: str,
               county: str | None) -> dict:
    """A past grant as a 360Giving file gives it, to an applicant the service knows, in the
    round `code` (in `county`'s name when given)."""
    return {
        "id": identifier, "title": "Youth diversion", "description": "Sport after school.",
        "currency": "GBP", "amountAwarded": pounds, "awardDate": awarded_on,
        "recipientOrganization": [{"id": "GB-CHC-1170002", "name": "Didcot Youth Trust"}],
        "grantProgramme": [{"code": code, "title": "Past grants"}],
        "beneficiaryLocation": [{"geoCode": "E06000038"}],
        "classifications": ([{"vocabulary": "TVPCC-High-Sheriff", "code": county}]
                            if county else []),
    }
