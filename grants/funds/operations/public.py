"""What anyone may read about a round: the public rounds pages' queries."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload, selectinload

from grants.core.errors import NotFound
from grants.funds.models import Round, RoundKind, RoundStatus
from grants.funds.operations import wording
from grants.funds.operations.who_may_apply import types_that_may_apply
from grants.offices.models import Office
from grants.offices.operations.speaking import (
    is_office_of_request,
    note_office_of_request,
    office_of_request_known,
)
from grants.organisations.models import OrganisationType
from grants.plans.models import KeyAim, Priority

# Statuses a round shows on the public list; later ones only keep their own page.
LISTED_STATUSES = frozenset({RoundStatus.UPCOMING, RoundStatus.OPEN})


@dataclass(frozen=True)
class PriorityAims:
    """A priority a round funds and the round's key aims under it."""

    priority: Priority
    key_aims: list[KeyAim]


@dataclass(frozen=True)
class PublicRound:
    """A round as the public pages show it, worded at one moment."""

    round: Round
    name: str
    status: RoundStatus
    timing: str | None
    award_range: str | None
    organisation_types: list[OrganisationType]
    priorities: list[PriorityAims]
    guidance: list[list[str]]

    @property
    def public_status(self) -> RoundStatus:
        """Upcoming, open or closed: what happens after closing is staff's business."""
        return self.status if self.status in LISTED_STATUSES else RoundStatus.CLOSED

    @property
    def is_open(self) -> bool:
        return self.status is RoundStatus.OPEN

    @property
    def is_upcoming(self) -> bool:
        return self.status is RoundStatus.UPCOMING


def _public_rounds() -> Select:
    """Launched, not archived rounds people apply to, with what the pages read loaded."""
    return (
        select(Round)
        .where(
            Round.launched_at.is_not(None),
            Round.archived_at.is_(None),
            # Nomination and allocation rounds are staff's and the High Sheriffs' business:
            # nobody can apply to them.
            Round.kind == RoundKind.OPEN,
        )
        .options(
            joinedload(Round.fund),
            selectinload(Round.priorities),
            selectinload(Round.key_aims).joinedload(KeyAim.priority),
            selectinload(Round.organisation_type_rows),
        )
    )


def open_and_upcoming_rounds(session: Session, now: datetime) -> list[PublicRound]:
    """Rounds open now or launched and opening later, the soonest to close first."""
    rounds = _naming_the_office(session, (
        _public_rounds()
        .where(
            Round.closes_at > now,
            Round.assessing_at.is_(None),
            Round.decided_at.is_(None),
            Round.decisions_published_at.is_(None),
        )
        .order_by(Round.closes_at, Round.opens_at, Round.code)
    ))
    summaries = [describe(round_, now) for round_ in rounds]
    return [summary for summary in summaries if summary.status in LISTED_STATUSES]


def public_round(session: Session, code: str, now: datetime) -> PublicRound:
    """A launched, not archived round by its code (open, upcoming or past)."""
    found = _naming_the_office(session, _public_rounds().where(Round.code == code))
    if not found:
        raise NotFound("There is no such round")
    return describe(found[0], now)


def _naming_the_office(session: Session, rounds: Select) -> list[Round]:
    """The rounds the query finds. The office the page speaks for comes in the same query when
    no query of the request has named it yet, as signing in does, so that naming it costs no
    query of its own: the public pages' rounds are a visitor's first read."""
    if office_of_request_known(session):
        return list(session.scalars(rounds))
    rows = session.execute(rounds.add_columns(Office)
                           .outerjoin(Office, is_office_of_request())).all()
    if rows:
        note_office_of_request(session, rows[0][1])
    return [row[0] for row in rows]


def describe(round_: Round, now: datetime) -> PublicRound:
    """Word a round (its relationships loaded) for the public pages at the moment `now`."""
    status = round_.status_at(now)
    return PublicRound(
        round=round_,
        name=wording.round_name(round_.title, round_.financial_year),
        status=status,
        timing=(wording.timing_phrase(round_.opens_at, round_.closes_at, now)
                if status in LISTED_STATUSES else None),
        award_range=wording.award_range(round_.min_award_pence, round_.max_award_pence),
        organisation_types=types_that_may_apply(round_),
        priorities=priorities_with_aims(round_.priorities, round_.key_aims),
        guidance=wording.paragraphs(round_.guidance),
    )


def priorities_with_aims(priorities: list[Priority], key_aims: list[KeyAim]) -> list[PriorityAims]:
    """The round's key aims grouped under its priorities, in the plan's order.

    A key aim whose priority the round does not list still shows, under its own priority.
    """
    aims_by_priority: dict[int, list[KeyAim]] = {}
    for aim in sorted(key_aims, key=lambda aim: (aim.priority.number, aim.number)):
        aims_by_priority.setdefault(aim.priority_id, []).append(aim)
    grouped = [PriorityAims(priority, aims_by_priority.pop(priority.id, []))
               for priority in priorities]
    grouped += [PriorityAims(aims[0].priority, aims) for aims in aims_by_priority.values()]
    return sorted(grouped, key=lambda group: (group.priority.number, group.priority.id))
