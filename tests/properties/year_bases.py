"""The points of the year an example starts from, each a financial year of its own, built once
through the services: still taking applications and nominations, or assessing, with the other
rounds somewhere on their way (nominated, approved, confirmed, published). Examples change them
inside a savepoint, so each starts from the same rows."""

from dataclasses import dataclass

from sqlalchemy import select

from grants.allocations.operations.confirmation import confirm_allocation
from grants.allocations.operations.proposal import propose_shares
from grants.applications.operations.submission import submit_application
from grants.assessment.operations.ranking import rank_round
from grants.awards.models import Award, AwardStatus
from grants.awards.operations import offers
from grants.core import clock
from grants.decisions.models import DecisionOutcome
from grants.decisions.operations import declarations
from grants.decisions.operations.guard import decide
from grants.decisions.operations.publishing import publish
from grants.decisions.operations.queries import declaration_for
from grants.decisions.operations.rules import DecisionInput
from grants.decisions.operations.sign_off import sign_off
from grants.funds.models import Round
from grants.funds.operations.status import start_assessment
from grants.nominations.models import Nomination, NominationStatus
from grants.nominations.operations.deciding import approve_nomination
from grants.nominations.operations.nominating import NominationInput, nominate
from tests.properties.year_world import (
    AFTER,
    DURING,
    FIRST_YEAR,
    SHERIFF_COUNTIES,
    World,
    Year,
    build_year,
    draft,
    in_year,
    screened,
)

# Every award's reason, as written for publication.
PUBLIC_REASON = "It serves the round's priority where little else does"


@dataclass(frozen=True)
class Start:
    """How far the year has gone when an example starts."""

    after: bool  # the open round and the nominations have closed; assessing
    budgets: tuple[int, int, int]  # open, nomination, allocation rounds, in pence
    allocations: tuple[int, int]  # Berkshire's and Oxfordshire's, in pence
    amounts: tuple[int, int, int]  # what the three applications ask for
    scores: tuple[int, int] = (700, 600)  # the panel's, in tenths, of the two screened
    open_published: bool = False
    nominated: bool = False
    nominations_published: bool = False
    allocation: str = "ready"  # or "confirmed", "published"
    accepted: bool = False  # the open round's offers accepted
    decided: int = 0  # the top-ranked applications awarded in full, not yet published


# The richest first: derandomised runs start from the first more often than the last.
STARTS = (
    Start(True, (600_000, 500_000, 1_000_000), (300_000, 200_000),
          (400_000, 400_000, 400_000), scores=(650, 700), decided=1),
    Start(True, (600_000, 500_000, 1_000_000), (300_000, 200_000), (250_000, 400_000, 150_000),
          scores=(600, 600), nominated=True, allocation="published"),
    Start(False, (1_000_000, 900_000, 2_000_000), (500_000, 400_000),
          (400_000, 400_000, 250_000), nominated=True, allocation="confirmed"),
    Start(True, (600_000, 500_000, 1_000_000), (300_000, 200_000), (150_000, 400_000, 400_000),
          open_published=True, nominated=True, nominations_published=True,
          allocation="published"),
    Start(True, (1_000_000, 900_000, 2_000_000), (500_000, 400_000),
          (250_000, 400_000, 400_000), open_published=True, nominated=True,
          allocation="confirmed", accepted=True),
    Start(False, (600_000, 500_000, 1_000_000), (300_000, 200_000), (150_000, 250_000, 400_000)),
)


@dataclass(frozen=True)
class Base:
    start: Start
    year: Year
    now: object  # the clock when an example starts here
    published: frozenset[int]  # the rounds whose decisions were published on the way


def nominate_in(session, year, county: str, organisation_id: int, amount: int):
    """The county's High Sheriff nominates the organisation, through the service."""
    return nominate(session, year.sheriffs[county], year.nomination.id, NominationInput(
        amount_pence=amount, priority_id=year.nomination.priorities[0].id,
        purpose="Summer sports programme", reason="Keeps young people safe",
        organisation_id=organisation_id))


def decide_as(session, decider, application, outcome: DecisionOutcome,
              amount: int | None = None):
    """Staff decide (declaring no conflict first), through the service."""
    if declaration_for(session, application.id, decider.id) is None:
        declarations.declare(session, decider, application, has_conflict=False)
    return decide(session, decider, application, DecisionInput(
        outcome=outcome, amount_pence=amount, reason="The panel's view",
        feedback="Other bids met the priorities more closely",
        out_of_rank_reason="The panel's choice", public_reason=PUBLIC_REASON))


class _Builder:
    def __init__(self, session, world: World, hand: list, year: Year):
        self.session, self.world, self.hand, self.year = session, world, hand, year
        self.published: set[int] = set()

    def nominate(self, county: str, organisation_id: int, amount: int):
        return nominate_in(self.session, self.year, county, organisation_id, amount)

    def sign_off_and_publish(self, round_: Round) -> None:
        sign_off(self.session, self.world.people.checker, round_.id)
        publish(self.session, self.world.people.decider, round_.id)
        self.published.add(round_.id)

    def decide(self, application, outcome: DecisionOutcome):
        return decide_as(self.session, self.world.people.decider, application, outcome)

    def build(self, start: Start) -> None:
        year = self.year
        self.hand[0] = in_year(DURING, year.start)
        self.during(start)
        if start.after:
            self.hand[0] = in_year(AFTER, year.start)
            self.after(start)
        else:
            for number, amount in enumerate(start.amounts):
                draft(self.session, self.world, year.open, number, amount)
        self.session.commit()

    def during(self, start: Start) -> None:
        """While the open round and the nominations are open; the allocation any time."""
        session, world, year, people = self.session, self.world, self.year, self.world.people
        if start.nominated:
            for county, amount in zip(SHERIFF_COUNTIES, start.allocations, strict=True):
                self.nominate(county, world.organisations[0].id, amount // 2)
        if start.allocation != "ready":
            propose_shares(session, people.decider, year.allocation.id)
            confirm_allocation(session, people.decider, year.allocation.id,
                               public_reason=PUBLIC_REASON)
        if start.allocation == "published":
            self.sign_off_and_publish(year.allocation)
        if start.after:
            submit_application(session, people.member,
                               draft(session, world, year.open, 0, start.amounts[0]))

    def after(self, start: Start) -> None:
        """Once they have closed: assessing, and maybe deciding and publishing."""
        session, world, year, people = self.session, self.world, self.year, self.world.people
        start_assessment(session, year.open, actor_id=people.decider.id)
        for number, (amount, score) in enumerate(zip(start.amounts[1:], start.scores,
                                                     strict=True), start=1):
            screened(session, world, year.open, number, amount, score)
        for row in rank_round(session, year.open.id).rows[:start.decided]:
            self.decide(row.application, DecisionOutcome.AWARD_IN_FULL)
        if start.open_published:
            for row in rank_round(session, year.open.id).rows:
                self.decide(row.application, DecisionOutcome.AWARD_IN_FULL if row.within_budget
                            else DecisionOutcome.DECLINE)
            self.sign_off_and_publish(year.open)
        if start.accepted:
            for award in session.scalars(select(Award).where(
                    Award.round_id == year.open.id, Award.status == AwardStatus.OFFERED)):
                offers.accept_offer(session, people.member, award, name="Jo Member",
                                    position="Treasurer", accepted_on=clock.today_in_london(),
                                    confirmed=True)
        if start.nominated and start.nominations_published:
            for nomination_id in session.scalars(select(Nomination.id).where(
                    Nomination.round_id == year.nomination.id,
                    Nomination.status == NominationStatus.SUBMITTED)).all():
                approve_nomination(session, people.decider, nomination_id,
                                   public_reason=PUBLIC_REASON)
            self.sign_off_and_publish(year.nomination)


def build_bases(session, world: World, hand: list) -> list[Base]:
    """Every start, each in a financial year of its own (2026/27, 2027/28, ...)."""
    bases = []
    for number, start in enumerate(STARTS):
        year = build_year(session, world, FIRST_YEAR + number, budgets=start.budgets,
                          allocations=start.allocations)
        builder = _Builder(session, world, hand, year)
        builder.build(start)
        bases.append(Base(start=start, year=year, now=hand[0],
                          published=frozenset(builder.published)))
    return bases
