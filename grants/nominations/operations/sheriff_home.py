"""What a High Sheriff sees: their rounds with their county's position in each, their
nominations, and organisations found by name or number."""

from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from grants.accounts.models import User
from grants.auth import permissions
from grants.awards.operations.publicity import decisions_published
from grants.funds.models import CountyAllocation, Round, RoundKind
from grants.nominations.models import Nomination, NominationStatus
from grants.nominations.operations.finding import why_not_open
from grants.nominations.operations.guard import CountyPosition, county_position
from grants.organisations.models import Organisation
from grants.organisations.operations import identifiers

SEARCH_LIMIT = 20


@dataclass(frozen=True)
class SheriffRound:
    round: Round
    position: CountyPosition
    open: bool

    @property
    def published(self) -> bool:
        return decisions_published(self.round)


@dataclass(frozen=True)
class SheriffHome:
    rounds: list[SheriffRound]
    nominations: list[Nomination]

    @property
    def shown(self) -> dict[int, NominationStatus]:
        """Each nomination's status as the High Sheriff sees it."""
        return {n.id: status_shown_to_sheriff(n) for n in self.nominations}


def status_shown_to_sheriff(nomination: Nomination) -> NominationStatus:
    """A High Sheriff learns of an approval when the round's decisions are published; until
    then the approved nomination shows as sent to staff. (Staff's requests for changes, and
    declines, which give the county its money back to nominate again, are told at once.)"""
    if (nomination.status is NominationStatus.APPROVED
            and not decisions_published(nomination.round)):
        return NominationStatus.SUBMITTED
    return nomination.status


def high_sheriff_home(session: Session, user: User) -> SheriffHome:
    """The launched nomination rounds in which the user is their county's High Sheriff, with
    the county's position in each, and every nomination they may see."""
    rounds: list[SheriffRound] = []
    if user.county_id is not None:
        candidates = session.scalars(
            select(Round).join(CountyAllocation, CountyAllocation.round_id == Round.id)
            .where(Round.kind == RoundKind.NOMINATION, Round.launched_at.is_not(None),
                   Round.archived_at.is_(None), CountyAllocation.county_id == user.county_id)
            .options(selectinload(Round.county_allocations), joinedload(Round.fund))
            .order_by(Round.closes_at.desc())).unique().all()
        for round_ in candidates:
            if permissions.is_current_high_sheriff_for(user, round_):
                position = county_position(session, round_.id, user.county_id)
                rounds.append(SheriffRound(round=round_, position=position,
                                           open=why_not_open(round_) is None))
    round_ids = [item.round.id for item in rounds]
    visible = Nomination.nominated_by_id == user.id
    if round_ids and user.county_id is not None:
        visible = or_(visible, and_(Nomination.county_id == user.county_id,
                                    Nomination.round_id.in_(round_ids)))
    nominations = session.scalars(
        select(Nomination).where(visible)
        .options(joinedload(Nomination.round), joinedload(Nomination.organisation))
        .order_by(Nomination.created_at.desc(), Nomination.id.desc())).all()
    return SheriffHome(rounds=rounds, nominations=list(nominations))


def find_organisations(session: Session, text: str) -> list[Organisation]:
    """Organisations whose name contains the text, or whose charity or company number it is."""
    text = " ".join((text or "").split())
    if not text:
        return []
    conditions = [func.lower(Organisation.name).contains(text.lower(), autoescape=True)]
    squashed = text.replace(" ", "").upper()
    conditions.append(Organisation.charity_number == squashed)
    try:
        conditions.append(Organisation.company_number
                          == identifiers.normalise_company_number(text))
    except identifiers.IdentifierError:
        pass
    return list(session.scalars(
        select(Organisation).where(or_(*conditions))
        .options(joinedload(Organisation.local_authority))
        .order_by(Organisation.name, Organisation.id).limit(SEARCH_LIMIT)))
