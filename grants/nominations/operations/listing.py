"""Staff's lists: the launched nomination rounds, and a round's nominations by county with
each county's figures."""

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from grants.awards.operations.committed import committed_pence
from grants.decisions.operations.remaining import RoundRemaining
from grants.funds.models import Round, RoundKind
from grants.nominations.models import Nomination, NominationStatus
from grants.nominations.operations.finding import get_nomination_round
from grants.nominations.operations.guard import CountyPosition, county_positions


@dataclass
class CountyNominations:
    position: CountyPosition
    nominations: list[Nomination] = field(default_factory=list)


@dataclass(frozen=True)
class RoundNominations(RoundRemaining):
    round: Round
    counties: list[CountyNominations]
    committed_pence: int

    @property
    def waiting(self) -> int:
        return sum(1 for county in self.counties for n in county.nominations
                   if n.status is NominationStatus.SUBMITTED)


def round_nominations(session: Session, round_id: int) -> RoundNominations:
    """The round's nominations by county, with each county's figures, in a fixed number of
    queries."""
    round_ = get_nomination_round(session, round_id)
    positions = county_positions(session, round_.id)
    by_county: dict[int, CountyNominations] = {
        position.county.id: CountyNominations(position) for position in positions}
    rows = session.scalars(
        select(Nomination).where(Nomination.round_id == round_.id)
        .options(joinedload(Nomination.organisation), joinedload(Nomination.nominated_by),
                 joinedload(Nomination.county))
        .order_by(Nomination.created_at, Nomination.id)).all()
    orphans: dict[int, list[Nomination]] = defaultdict(list)
    for nomination in rows:
        if nomination.county_id in by_county:
            by_county[nomination.county_id].nominations.append(nomination)
        else:  # the county's allocation was removed after it nominated
            orphans[nomination.county_id].append(nomination)
    counties = list(by_county.values())
    for nominations in orphans.values():
        county = nominations[0].county
        counties.append(CountyNominations(
            CountyPosition(round_id=round_.id, county=county, allocation_pence=0,
                           pending_pence=0, awarded_pence=0), nominations))
    return RoundNominations(round=round_, counties=counties,
                            committed_pence=committed_pence(session, round_.id))


@dataclass(frozen=True)
class NominationRoundRow:
    round: Round
    submitted: int
    total: int


def nomination_rounds(session: Session) -> list[NominationRoundRow]:
    """Every launched nomination round, newest first, with its number of nominations waiting
    for staff, in two queries."""
    rounds = session.scalars(
        select(Round).where(Round.kind == RoundKind.NOMINATION, Round.launched_at.is_not(None))
        .options(joinedload(Round.fund)).order_by(Round.closes_at.desc())).all()
    counts: dict[tuple[int, NominationStatus], int] = {}
    if rounds:
        for round_id, status, count in session.execute(
                select(Nomination.round_id, Nomination.status, func.count(Nomination.id))
                .where(Nomination.round_id.in_([r.id for r in rounds]))
                .group_by(Nomination.round_id, Nomination.status)):
            counts[(round_id, status)] = count
    return [NominationRoundRow(
        round=r, submitted=counts.get((r.id, NominationStatus.SUBMITTED), 0),
        total=sum(c for (rid, _), c in counts.items() if rid == r.id)) for r in rounds]
