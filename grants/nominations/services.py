"""High Sheriff nominations: each county's position in a nomination round, nominating (an
organisation found or newly entered), changing and withdrawing a nomination, and staff's
approval (it becomes an offered award), request for changes or decline.

The per-county guard: every change that can add money locks the round's row first
(`grants.awards.decisions.lock_round`), then checks that the county's committed money (pending
nominations plus awards of approved ones not released) stays within its allocation. Two High
Sheriffs, or two members of staff, acting at the same moment queue at the lock.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from flask import render_template
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from grants.accounts.models import User
from grants.areas.models import County
from grants.auth import permissions
from grants.awards.decisions import lock_round
from grants.awards.models import RELEASED_STATUSES, Award, AwardSource, AwardStatus
from grants.awards.services import committed_pence
from grants.core import clock
from grants.core.errors import Forbidden, NotFound, Refusal, ValidationFailed
from grants.core.formatting import format_pounds
from grants.core.links import external_url
from grants.funds.models import CountyAllocation, Round, RoundKind, RoundStatus
from grants.nominations.models import (
    PENDING_NOMINATION_STATUSES,
    Nomination,
    NominationStatus,
)
from grants.organisations import claims, identifiers
from grants.organisations.models import Membership, MembershipStatus, Organisation
from grants.organisations.services import (
    OrganisationDetails,
    checked_details,
    find_registered,
)
from grants.records.operations.audit import record_event
from grants.records.operations.outbox import queue_email

logger = logging.getLogger(__name__)

MAX_PURPOSE = 300
MAX_TEXT = 5000
MAX_NAME = 200
MAX_EMAIL = 254
SEARCH_LIMIT = 20


class NominationRefused(Refusal):
    """The nomination cannot be made, changed or decided now; the message says why."""

    status_code = 409


class OverAllocation(ValidationFailed):
    """The amount would take the county over its allocation in the round."""


# --- The county's position ----------------------------------------------------------------

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
        return self.allocation_pence - self.committed_pence


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
             .where(Award.round_id == round_id, Award.source == AwardSource.NOMINATION,
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


def _guard(session: Session, round_id: int, county_id: int, amount_pence: int, *,
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
            f"left in this round")})
    return position


def _over(session: Session, round_id: int, county_id: int, amount_pence: int, *,
          excluding: int | None = None) -> OverAllocation | None:
    """The guard's refusal, or None when the amount fits."""
    try:
        _guard(session, round_id, county_id, amount_pence, excluding=excluding)
    except OverAllocation as over:
        return over
    return None


# --- Reading ------------------------------------------------------------------------------

def _with_parts():
    return (joinedload(Nomination.round).selectinload(Round.county_allocations),
            joinedload(Nomination.round).joinedload(Round.fund),
            joinedload(Nomination.county), joinedload(Nomination.organisation),
            joinedload(Nomination.priority), joinedload(Nomination.nominated_by),
            joinedload(Nomination.award))


def get_nomination(session: Session, nomination_id: int) -> Nomination:
    nomination = session.scalars(
        select(Nomination).where(Nomination.id == nomination_id).options(*_with_parts())
    ).unique().one_or_none()
    if nomination is None:
        raise NotFound("There is no such nomination")
    return nomination


def nomination_for(session: Session, user: User, nomination_id: int) -> Nomination:
    """The nomination, for someone who may see it; to anyone else it does not exist."""
    nomination = get_nomination(session, nomination_id)
    if not permissions.may_view_nomination(user, nomination):
        raise NotFound("There is no such nomination")
    return nomination


def get_nomination_round(session: Session, round_id: int) -> Round:
    round_ = session.scalars(
        select(Round).where(Round.id == round_id, Round.kind == RoundKind.NOMINATION)
        .options(selectinload(Round.priorities), selectinload(Round.county_allocations),
                 joinedload(Round.fund))).one_or_none()
    if round_ is None:
        raise NotFound("There is no such nomination round")
    return round_


def why_not_open(round_: Round) -> str | None:
    """Why nominations cannot be made in the round now, or None when they can."""
    if round_.kind is not RoundKind.NOMINATION:
        return "This is not a nomination round"
    if round_.archived_at is not None:
        return "This round is archived"
    status = round_.status
    if status is RoundStatus.OPEN:
        return None
    if status in (RoundStatus.DRAFT, RoundStatus.UPCOMING):
        return "This round is not open for nominations yet"
    return "This round has closed for nominations"


@dataclass(frozen=True)
class SheriffRound:
    round: Round
    position: CountyPosition
    open: bool


@dataclass(frozen=True)
class SheriffHome:
    rounds: list[SheriffRound]
    nominations: list[Nomination]


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


# --- Nominating ---------------------------------------------------------------------------

@dataclass(frozen=True)
class NominationInput:
    """What a High Sheriff typed. Either `organisation_id` (found) or `organisation` (new,
    whose contact is invited to claim it); the contact fields are for a found one."""

    amount_pence: int | None
    priority_id: int | None
    purpose: str
    reason: str
    organisation_id: int | None = None
    organisation: OrganisationDetails | None = None
    contact_name: str = ""
    contact_email: str = ""


def _text_errors(data: NominationInput, round_: Round) -> tuple[dict[str, str], dict]:
    errors: dict[str, str] = {}
    values = {"purpose": " ".join((data.purpose or "").split()),
              "reason": (data.reason or "").strip(),
              "contact_name": " ".join((data.contact_name or "").split()),
              "contact_email": (data.contact_email or "").strip().lower()}
    if data.amount_pence is None:
        errors["amount"] = "Enter the amount to award, in pounds"
    elif data.amount_pence <= 0:
        errors["amount"] = "Enter an amount of more than £0"
    if data.priority_id not in {priority.id for priority in round_.priorities}:
        errors["priority_id"] = "Select the priority the award supports"
    if not values["purpose"]:
        errors["purpose"] = "Enter what the money is for"
    elif len(values["purpose"]) > MAX_PURPOSE:
        errors["purpose"] = f"What the money is for must be {MAX_PURPOSE} characters or fewer"
    if not values["reason"]:
        errors["reason"] = "Enter why the organisation deserves support"
    elif len(values["reason"]) > MAX_TEXT:
        errors["reason"] = f"The reason must be {MAX_TEXT:,} characters or fewer"
    if len(values["contact_name"]) > MAX_NAME:
        errors["contact_name"] = f"Name must be {MAX_NAME} characters or fewer"
    email = values["contact_email"]
    if email and ("@" not in email or len(email) > MAX_EMAIL or " " in email):
        errors["contact_email"] = ("Enter an email address in the correct format, like "
                                   "name@example.org")
    return errors, values


def _organisation_for(session: Session, data: NominationInput,
                      errors: dict[str, str]) -> tuple[Organisation | None, dict | None]:
    """The found organisation, or the checked values of a new one (errors added to
    `errors`)."""
    if data.organisation is None:
        organisation = (session.get(Organisation, data.organisation_id)
                        if data.organisation_id else None)
        if organisation is None:
            errors["organisation_id"] = "Choose the organisation you are nominating"
        return organisation, None
    try:
        values = checked_details(session, data.organisation)
    except ValidationFailed as failure:
        errors.update(failure.errors)
        return None, None
    existing = find_registered(session, values)
    if existing is not None:
        found, field_name = existing
        errors[field_name] = (f"{found.name} is already registered with this number: search "
                              "for it and nominate it instead")
        return None, None
    return None, values


def nominate(session: Session, user: User, round_id: int, data: NominationInput) -> Nomination:
    """A High Sheriff nominates an organisation in their county's allocation. A new
    organisation is created as registration would, and its contact invited to claim it."""
    round_ = lock_round(session, round_id)
    if not permissions.may_nominate_in(user, round_):
        raise NotFound("There is no such nomination round")
    refusal = why_not_open(round_)
    if refusal:
        raise NominationRefused(refusal)
    errors, values = _text_errors(data, round_)
    organisation, new_values = _organisation_for(session, data, errors)
    if new_values is not None:
        values["contact_name"] = str(new_values["contact_name"])
        values["contact_email"] = str(new_values["contact_email"])
    if organisation is not None and not values["contact_email"]:
        values["contact_name"] = values["contact_name"] or organisation.contact_name
        values["contact_email"] = organisation.contact_email
    over = "amount" not in errors and _over(session, round_.id, user.county_id,
                                            data.amount_pence)
    if over:
        errors.update(over.errors)
    if errors:
        raise (OverAllocation if over else ValidationFailed)(errors)

    if new_values is not None:
        organisation = Organisation(**new_values)
        session.add(organisation)
        session.flush()
        record_event(session, actor_id=user.id, action="organisation.registered",
                     entity_type="organisation", entity_id=organisation.id,
                     after=_plain(new_values), note="Entered with a High Sheriff's nomination")
    now = clock.utcnow()
    nomination = Nomination(
        round_id=round_.id, county_id=user.county_id, nominated_by_id=user.id,
        organisation=organisation, amount_pence=data.amount_pence,
        priority_id=data.priority_id, purpose=values["purpose"], reason=values["reason"],
        contact_name=values["contact_name"], contact_email=values["contact_email"],
        status=NominationStatus.SUBMITTED, created_at=now, updated_at=now)
    session.add(nomination)
    session.flush()
    record_event(session, actor_id=user.id, action="nomination.submitted",
                 entity_type="nomination", entity_id=nomination.id,
                 after=_snapshot(nomination))
    logger.info("nomination %s in round %s: county %s holds %d pence for organisation %s",
                nomination.id, round_.id, user.county_id, nomination.amount_pence,
                organisation.id)
    if new_values is not None and nomination.contact_email:
        claims.invite_to_claim(
            session, organisation, name=nomination.contact_name,
            email=nomination.contact_email, invited_by=user,
            reason=f"the High Sheriff of {user.county.name} nominated it for a grant",
            key=f"nomination-claim-invitation:{nomination.id}")
        nomination.invitation_sent_at = now
        session.flush()
    return nomination


def _plain(values: dict) -> dict:
    return {key: getattr(value, "value", value) for key, value in values.items()}


def _snapshot(nomination: Nomination) -> dict:
    return {"round_id": nomination.round_id, "county_id": nomination.county_id,
            "organisation_id": nomination.organisation_id,
            "amount_pence": nomination.amount_pence, "priority_id": nomination.priority_id,
            "purpose": nomination.purpose, "reason": nomination.reason,
            "contact_name": nomination.contact_name,
            "contact_email": nomination.contact_email, "status": nomination.status.value,
            "staff_comment": nomination.staff_comment, "award_id": nomination.award_id}


def _locked_nomination(session: Session, nomination_id: int) -> tuple[Round, Nomination]:
    """The nomination's round locked first, then the nomination read afresh."""
    round_id = session.scalar(select(Nomination.round_id).where(Nomination.id == nomination_id))
    if round_id is None:
        raise NotFound("There is no such nomination")
    round_ = lock_round(session, round_id)
    nomination = session.scalars(
        select(Nomination).where(Nomination.id == nomination_id)
        .execution_options(populate_existing=True)).one()
    return round_, nomination


def _why_not_changeable(nomination: Nomination) -> str:
    return {
        NominationStatus.APPROVED: "This nomination has been approved",
        NominationStatus.DECLINED: "This nomination has been declined",
        NominationStatus.WITHDRAWN: "This nomination has been withdrawn",
    }.get(nomination.status, "This nomination cannot be changed now")


def _check_changeable(user: User, nomination: Nomination) -> None:
    if not permissions.may_view_nomination(user, nomination):
        raise NotFound("There is no such nomination")
    if not permissions.may_change_nomination(user, nomination):
        if nomination.status not in permissions.CHANGEABLE_NOMINATION_STATUSES:
            raise NominationRefused(_why_not_changeable(nomination))
        raise NominationRefused("Only the county's current High Sheriff can change this "
                                "nomination")


def update_nomination(session: Session, user: User, nomination_id: int,
                      data: NominationInput) -> Nomination:
    """The High Sheriff changes the amount, priority, purpose, reason or contact; a nomination
    staff asked to change goes back to them."""
    round_, nomination = _locked_nomination(session, nomination_id)
    _check_changeable(user, nomination)
    errors, values = _text_errors(data, round_)
    over = "amount" not in errors and _over(session, round_.id, nomination.county_id,
                                            data.amount_pence, excluding=nomination.id)
    if over:
        errors.update(over.errors)
    if errors:
        raise (OverAllocation if over else ValidationFailed)(errors)
    before = _snapshot(nomination)
    nomination.amount_pence = data.amount_pence
    nomination.priority_id = data.priority_id
    nomination.purpose = values["purpose"]
    nomination.reason = values["reason"]
    if values["contact_email"]:
        nomination.contact_name = values["contact_name"]
        nomination.contact_email = values["contact_email"]
    resubmitted = nomination.status is NominationStatus.CHANGES_REQUESTED
    nomination.status = NominationStatus.SUBMITTED
    nomination.updated_at = clock.utcnow()
    session.flush()
    after = _snapshot(nomination)
    if after != before:
        record_event(session, actor_id=user.id,
                     action="nomination.resubmitted" if resubmitted else "nomination.changed",
                     entity_type="nomination", entity_id=nomination.id, before=before,
                     after=after)
        logger.info("nomination %s in round %s changed by user %s: %d pence held (was %d)",
                    nomination.id, round_.id, user.id, nomination.amount_pence,
                    before["amount_pence"])
    return nomination


def withdraw_nomination(session: Session, user: User, nomination_id: int) -> Nomination:
    """The High Sheriff withdraws a nomination before staff decide; its money goes back to
    the county. Withdrawing again changes nothing."""
    round_, nomination = _locked_nomination(session, nomination_id)
    if nomination.status is NominationStatus.WITHDRAWN:
        if not permissions.may_view_nomination(user, nomination):
            raise NotFound("There is no such nomination")
        return nomination
    _check_changeable(user, nomination)
    before = _snapshot(nomination)
    nomination.status = NominationStatus.WITHDRAWN
    nomination.updated_at = clock.utcnow()
    session.flush()
    record_event(session, actor_id=user.id, action="nomination.withdrawn",
                 entity_type="nomination", entity_id=nomination.id, before=before,
                 after=_snapshot(nomination))
    logger.info("nomination %s withdrawn by user %s: %d pence returned to county %s in "
                "round %s", nomination.id, user.id, nomination.amount_pence,
                nomination.county_id, round_.id)
    return nomination


# --- Staff ----------------------------------------------------------------------------------

@dataclass
class CountyNominations:
    position: CountyPosition
    nominations: list[Nomination] = field(default_factory=list)


@dataclass(frozen=True)
class RoundNominations:
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


def _check_staff(user: User) -> None:
    if not permissions.may_decide_nominations(user):
        raise Forbidden("Only staff decide on nominations")


def _check_decidable(round_: Round, nomination: Nomination,
                     statuses: frozenset[NominationStatus]) -> None:
    if nomination.status not in statuses:
        raise NominationRefused(
            "Staff asked the High Sheriff to change this nomination: wait for them to send it "
            "again" if nomination.status is NominationStatus.CHANGES_REQUESTED
            else _why_not_changeable(nomination))
    if round_.launched_at is None or round_.archived_at is not None:
        raise NominationRefused("Nominations are decided only in a launched round that is not "
                                "archived")


def approve_nomination(session: Session, user: User, nomination_id: int, *,
                       conditions: str = "") -> Award:
    """Staff approve: the nomination becomes an award of the round, offered to the
    organisation now. Approving an approved nomination again changes nothing."""
    _check_staff(user)
    round_, nomination = _locked_nomination(session, nomination_id)
    if nomination.status is NominationStatus.APPROVED and nomination.award is not None:
        return nomination.award
    _check_decidable(round_, nomination, frozenset({NominationStatus.SUBMITTED}))
    conditions = (conditions or "").strip()
    if len(conditions) > MAX_TEXT:
        raise ValidationFailed({"conditions": f"The conditions must be {MAX_TEXT:,} characters "
                                              "or fewer"})
    try:
        _guard(session, round_.id, nomination.county_id, nomination.amount_pence,
               excluding=nomination.id)
    except OverAllocation as over:
        raise NominationRefused(over.errors["amount"] + ": this nomination of "
                                f"{format_pounds(nomination.amount_pence)} would go over "
                                "it") from None
    remaining = round_.budget_pence - committed_pence(session, round_.id)
    if nomination.amount_pence > remaining:
        raise NominationRefused(f"Only {format_pounds(remaining)} of the round's budget is "
                                "left")
    now = clock.utcnow()
    organisation = nomination.organisation
    award = Award(
        round_id=round_.id, organisation=organisation, amount_pence=nomination.amount_pence,
        status=AwardStatus.OFFERED, source=AwardSource.NOMINATION, offered_at=now,
        awarded_on=clock.to_london(now).date(), priority_id=nomination.priority_id,
        title=nomination.purpose or f"High Sheriff award: {organisation.name}",
        description=nomination.reason, nominating_county_id=nomination.county_id,
        conditions=conditions,
        areas=[organisation.local_authority] if organisation.local_authority else [])
    session.add(award)
    session.flush()
    before = _snapshot(nomination)
    nomination.status = NominationStatus.APPROVED
    nomination.award_id = award.id
    nomination.decided_by_id = user.id
    nomination.decided_at = now
    nomination.updated_at = now
    session.flush()
    record_event(session, actor_id=user.id, action="nomination.approved",
                 entity_type="nomination", entity_id=nomination.id, before=before,
                 after=_snapshot(nomination))
    record_event(session, actor_id=user.id, action="award.offered", entity_type="award",
                 entity_id=award.id, after={
                     "status": award.status.value, "source": award.source.value,
                     "amount_pence": award.amount_pence, "nomination_id": nomination.id,
                     "nominating_county_id": nomination.county_id})
    logger.info("award %s offered to organisation %s from nomination %s: %d pence of county "
                "%s in round %s", award.id, organisation.id, nomination.id,
                award.amount_pence, nomination.county_id, round_.id)
    _email_offer(session, nomination, award)
    _email_high_sheriff(session, nomination, "approved",
                        f"Your nomination of {organisation.name} was approved")
    return award


def request_changes(session: Session, user: User, nomination_id: int,
                    comment: str) -> Nomination:
    """Staff ask the High Sheriff to change the nomination; they edit it and send it again."""
    _check_staff(user)
    round_, nomination = _locked_nomination(session, nomination_id)
    _check_decidable(round_, nomination, frozenset({NominationStatus.SUBMITTED}))
    comment = _required_text(comment, "comment", "Enter what the High Sheriff should change")
    before = _snapshot(nomination)
    nomination.status = NominationStatus.CHANGES_REQUESTED
    nomination.staff_comment = comment
    nomination.updated_at = clock.utcnow()
    session.flush()
    record_event(session, actor_id=user.id, action="nomination.changes_requested",
                 entity_type="nomination", entity_id=nomination.id, before=before,
                 after=_snapshot(nomination))
    _email_high_sheriff(session, nomination, "changes_requested",
                        f"Please change your nomination of {nomination.organisation.name}")
    return nomination


def decline_nomination(session: Session, user: User, nomination_id: int,
                       reason: str) -> Nomination:
    """Staff decline the nomination with a reason; its money goes back to the county."""
    _check_staff(user)
    round_, nomination = _locked_nomination(session, nomination_id)
    _check_decidable(round_, nomination, permissions.CHANGEABLE_NOMINATION_STATUSES)
    reason = _required_text(reason, "reason", "Enter why the nomination is declined")
    before = _snapshot(nomination)
    now = clock.utcnow()
    nomination.status = NominationStatus.DECLINED
    nomination.staff_comment = reason
    nomination.decided_by_id = user.id
    nomination.decided_at = now
    nomination.updated_at = now
    session.flush()
    record_event(session, actor_id=user.id, action="nomination.declined",
                 entity_type="nomination", entity_id=nomination.id, before=before,
                 after=_snapshot(nomination))
    logger.info("nomination %s declined by user %s: %d pence returned to county %s in round %s",
                nomination.id, user.id, nomination.amount_pence, nomination.county_id,
                round_.id)
    _email_high_sheriff(session, nomination, "declined",
                        f"Your nomination of {nomination.organisation.name} was declined")
    return nomination


def _required_text(text: str, field_name: str, missing: str) -> str:
    value = (text or "").strip()
    if not value:
        raise ValidationFailed({field_name: missing})
    if len(value) > MAX_TEXT:
        raise ValidationFailed({field_name: f"This must be {MAX_TEXT:,} characters or fewer"})
    return value


# --- Emails -------------------------------------------------------------------------------

def offer_recipients(session: Session, nomination: Nomination) -> list[str]:
    """The organisation's approved members and the nomination's contact, each once."""
    addresses = session.scalars(
        select(User.email).join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == nomination.organisation_id,
               Membership.status == MembershipStatus.ACTIVE, User.is_active_account)
        .order_by(User.email)).all()
    recipients = list(dict.fromkeys(addresses))
    if nomination.contact_email and nomination.contact_email not in recipients:
        recipients.append(nomination.contact_email)
    return recipients


def _email_offer(session: Session, nomination: Nomination, award: Award) -> None:
    organisation = nomination.organisation
    members = set(session.scalars(
        select(User.email).join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == organisation.id,
               Membership.status == MembershipStatus.ACTIVE)))
    for address in offer_recipients(session, nomination):
        # Someone without an account yet needs a way in before they can see the offer.
        claim_link = (claims.claim_url(organisation.id, address)
                      if address not in members else None)
        body = render_template(
            "nominations/emails/offered.txt", nomination=nomination, award=award,
            organisation=organisation,
            offer_url=external_url("awards.view_offer", award_id=award.id),
            claim_url=claim_link)
        queue_email(session, to_address=address,
                    subject=f"{organisation.name} has been offered a High Sheriff award",
                    body_text=body, idempotency_key=f"nomination-offer:{award.id}:{address}")


def _email_high_sheriff(session: Session, nomination: Nomination, outcome: str,
                        subject: str) -> None:
    sheriff = nomination.nominated_by
    body = render_template(
        f"nominations/emails/{outcome}.txt", nomination=nomination, sheriff=sheriff,
        view_url=external_url("nominations.view_nomination", nomination_id=nomination.id))
    queue_email(session, to_address=sheriff.email, subject=subject, body_text=body,
                idempotency_key=f"nomination-{outcome.replace('_', '-')}:{nomination.id}:"
                                f"{_stamp(nomination.updated_at)}")


def _stamp(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""
