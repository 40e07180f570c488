"""The per-county guard: every change that can add money locks the round's row first
(`grants.core.locks.lock_row`), then checks that the county's committed money (pending
nominations plus awards of approved ones not released, and past awards imported into the round
under the county's name) stays within its allocation. Two High
Sheriffs, or two members of staff, acting at the same moment queue at the lock.
"""

import logging
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from grants.areas.models import County
from grants.awards.models import RELEASED_STATUSES, Award, AwardSource
from grants.core.errors import Refusal, ValidationFailed
from grants.core.money import format_pounds
from grants.decisions.operations.remaining import remaining_of
from grants.funds.models import CountyAllocation
from grants.nominations.models import PENDING_NOMINATION_STATUSES, Nomination

logger = logging.getLogger(__name__)

# The awards that hold a county's money: those of approved nominations, and past awards a
# 360Giving import added to the round in the county's name (grants.opendata.operations.joining).
COUNTY_SOURCES = (AwardSource.NOMINATION, AwardSource.IMPORTED)


class NominationRefused(Refusal):
    """The nomination cannot be made, changed or decided now; the message says why."""

    status_code = 409


class OverAllocation(ValidationFailed):
    """The amount would take the county over its allocation in the round: `errors` say what
    is left (staff's words); `left_pence` and `county` let the High Sheriff be told what to
    enter (`nominator_errors`)."""

    def __init__(self, errors: dict[str, str], *, left_pence: int = 0,
                 county: str = "") -> None:
        super().__init__(errors)
        self.left_pence, self.county = max(left_pence, 0), county

    def nominator_errors(self) -> dict[str, str]:
        """The amount's error as the High Sheriff reads it: what to enter, and why."""
        if self.left_pence:
            left = format_pounds(self.left_pence)
            return {"amount": f"Enter {left} or less: {self.county} has {left} left in this "
                              "round"}
        return {"amount": f"{self.county} has no money left in this round. Lower or "
                          "withdraw another of its nominations first"}


@dataclass(frozen=True)
class CountyPosition:
    """A county's allocation in a nomination round and what is held against it."""

    round_id: int
    county: County
    allocation_pence: int
    pending_pence: int  # nominations waiting for staff or for changes
    awarded_pence: int  # awards of approved nominations, not declined or withdrawn

    @property
    def committed_pence(self) -> int:
        return self.pending_pence + self.awarded_pence

    @property
    def remaining_pence(self) -> int:
        return remaining_of(self.allocation_pence, self.committed_pence)


def _pending_sums(session: Session, round_id: int, county_id: int | None = None,
                  excluding: int | None = None) -> dict[int, int]:
    query = (select(Nomination.county_id, func.coalesce(func.sum(Nomination.amount_pence), 0))
             .where(Nomination.round_id == round_id,
                    Nomination.status.in_(PENDING_NOMINATION_STATUSES))
             .group_by(Nomination.county_id))
    if county_id is not None:
        query = query.where(Nomination.county_id == county_id)
    if excluding is not None:
        query = query.where(Nomination.id != excluding)
    return {county: int(total) for county, total in session.execute(query)}


def _awarded_sums(session: Session, round_id: int,
                  county_id: int | None = None) -> dict[int, int]:
    query = (select(Award.nominating_county_id, func.coalesce(func.sum(Award.amount_pence), 0))
             .where(Award.round_id == round_id, Award.source.in_(COUNTY_SOURCES),
                    Award.nominating_county_id.is_not(None),
                    Award.status.not_in(RELEASED_STATUSES))
             .group_by(Award.nominating_county_id))
    if county_id is not None:
        query = query.where(Award.nominating_county_id == county_id)
    return {county: int(total) for county, total in session.execute(query)}


def county_positions(session: Session, round_id: int) -> list[CountyPosition]:
    """Every county with an allocation in the round, by name, in three queries."""
    allocations = session.scalars(
        select(CountyAllocation).where(CountyAllocation.round_id == round_id)
        .options(joinedload(CountyAllocation.county))).all()
    pending = _pending_sums(session, round_id)
    awarded = _awarded_sums(session, round_id)
    return sorted(
        (CountyPosition(round_id=round_id, county=a.county, allocation_pence=a.amount_pence,
                        pending_pence=pending.get(a.county_id, 0),
                        awarded_pence=awarded.get(a.county_id, 0)) for a in allocations),
        key=lambda position: position.county.name)


def county_position(session: Session, round_id: int, county_id: int, *,
                    excluding: int | None = None) -> CountyPosition | None:
    """One county's position (None when it has no allocation in the round). `excluding`
    leaves one nomination's own amount out, for changing or approving it."""
    allocation = session.scalars(
        select(CountyAllocation).where(CountyAllocation.round_id == round_id,
                                       CountyAllocation.county_id == county_id)
        .options(joinedload(CountyAllocation.county))).one_or_none()
    if allocation is None:
        return None
    return CountyPosition(
        round_id=round_id, county=allocation.county, allocation_pence=allocation.amount_pence,
        pending_pence=_pending_sums(session, round_id, county_id, excluding).get(county_id, 0),
        awarded_pence=_awarded_sums(session, round_id, county_id).get(county_id, 0))


def guard(session: Session, round_id: int, county_id: int, amount_pence: int, *,
           excluding: int | None = None) -> CountyPosition:
    """Refuse an amount that would take the county over its allocation. The caller holds the
    round's lock."""
    position = county_position(session, round_id, county_id, excluding=excluding)
    if position is None:
        raise NominationRefused("This county has no allocation in this round")
    if amount_pence > position.remaining_pence:
        logger.info("round %s county %s: %d pence refused, %d pence left", round_id,
                    county_id, amount_pence, position.remaining_pence)
        raise OverAllocation({"amount": (
            f"{position.county.name} has {format_pounds(max(position.remaining_pence, 0))} "
            f"left in this round")}, left_pence=position.remaining_pence,
            county=position.county.name)
    return position


def over_allocation(session: Session, round_id: int, county_id: int, amount_pence: int, *,
          excluding: int | None = None) -> OverAllocation | None:
    """The guard's refusal, or None when the amount fits."""
    try:
        guard(session, round_id, county_id, amount_pence, excluding=excluding)
    except OverAllocation as over:
        return over
    return None
