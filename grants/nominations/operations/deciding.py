"""Staff decide on a nomination: approve it (it becomes an award of the round, offered to the
organisation when the round's decisions are published), ask the High Sheriff for changes, or
decline it. Publishing the round's decisions offers the approved nominations' awards and tells
their organisations and High Sheriffs (`announce_approved`)."""

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from grants.accounts.models import User
from grants.auth import permissions
from grants.awards.models import Award, AwardSource, AwardStatus
from grants.awards.operations.public_reasons import public_reason_problem
from grants.awards.operations.publicity import decisions_published, offer_at_publication
from grants.core import clock
from grants.core.errors import Forbidden, required_text
from grants.core.money import format_pounds
from grants.core.problems import refuse_any
from grants.decisions.operations.remaining import remaining_pence
from grants.decisions.operations.sign_off import clear_sign_off
from grants.funds.models import Round
from grants.nominations import notifications
from grants.nominations.models import Nomination, NominationStatus
from grants.nominations.operations import finding
from grants.nominations.operations.guard import NominationRefused, OverAllocation, guard
from grants.organisations.models import Membership, MembershipStatus
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)


def _check_staff(user: User) -> None:
    if not permissions.may_decide_nominations(user):
        raise Forbidden("Only staff decide on nominations")


def _check_decidable(round_: Round, nomination: Nomination,
                     statuses: frozenset[NominationStatus]) -> None:
    if decisions_published(round_):
        raise NominationRefused("This round's decisions have been published, so its "
                                "nominations can no longer be decided")
    if nomination.status not in statuses:
        raise NominationRefused(
            "Staff asked the High Sheriff to change this nomination: wait for them to send it "
            "again" if nomination.status is NominationStatus.CHANGES_REQUESTED
            else finding.why_not_changeable(nomination))
    if round_.launched_at is None or round_.archived_at is not None:
        raise NominationRefused("Nominations are decided only in a launched round that is not "
                                "archived")


def approve_nomination(session: Session, user: User, nomination_id: int,
                       conditions: str = "", *, public_reason: str) -> Award:
    """Staff approve, with the reason for the award written for publication: the nomination
    becomes an award of the round, proposed until the round's decisions are published, when it
    is offered to the organisation. Approving an approved nomination again changes nothing."""
    _check_staff(user)
    round_, nomination = finding.locked_nomination(session, nomination_id)
    if nomination.status is NominationStatus.APPROVED and nomination.award is not None:
        return nomination.award
    _check_decidable(round_, nomination, frozenset({NominationStatus.SUBMITTED}))
    conditions = (conditions or "").strip()
    public_reason = (public_reason or "").strip()
    refuse_any({
        "public_reason": public_reason_problem(public_reason),
        "conditions": (f"The conditions must be {finding.MAX_TEXT:,} characters or fewer"
                       if len(conditions) > finding.MAX_TEXT else None)})
    try:
        guard(session, round_.id, nomination.county_id, nomination.amount_pence,
               excluding=nomination.id)
    except OverAllocation as over:
        raise NominationRefused(over.errors["amount"] + ": this nomination of "
                                f"{format_pounds(nomination.amount_pence)} would go over "
                                "it") from None
    remaining = remaining_pence(session, round_)
    if nomination.amount_pence > remaining:
        raise NominationRefused(f"Only {format_pounds(remaining)} of the round's budget is "
                                "left")
    now = clock.utcnow()
    organisation = nomination.organisation
    award = Award(
        round_id=round_.id, organisation=organisation, amount_pence=nomination.amount_pence,
        status=AwardStatus.PROPOSED, source=AwardSource.NOMINATION,
        priority_id=nomination.priority_id,
        title=nomination.purpose or f"High Sheriff award: {organisation.name}",
        description=nomination.reason, nominating_county_id=nomination.county_id,
        conditions=conditions, public_reason=public_reason,
        areas=[organisation.local_authority] if organisation.local_authority else [])
    session.add(award)
    session.flush()
    before = finding.snapshot(nomination)
    nomination.status = NominationStatus.APPROVED
    nomination.award_id = award.id
    nomination.decided_by_id = user.id
    nomination.decided_at = now
    nomination.updated_at = now
    session.flush()
    record_event(session, actor_id=user.id, action="nomination.approved",
                 entity_type="nomination", entity_id=nomination.id, before=before,
                 after=finding.snapshot(nomination))
    record_event(session, actor_id=user.id, action="award.proposed", entity_type="award",
                 entity_id=award.id, after={
                     "status": award.status.value, "source": award.source.value,
                     "amount_pence": award.amount_pence, "nomination_id": nomination.id,
                     "nominating_county_id": nomination.county_id,
                     "public_reason": public_reason})
    clear_sign_off(session, round_, user, "A nomination was approved after sign-off")
    logger.info("award %s proposed to organisation %s from nomination %s: %d pence of county "
                "%s in round %s", award.id, organisation.id, nomination.id,
                award.amount_pence, nomination.county_id, round_.id)
    return award


def announce_approved(session: Session, user: User, round_: Round, now: datetime) -> int:
    """At publication: each approved nomination's award is offered to its organisation, whose
    members and contact are emailed the offer, and its High Sheriff is told of the approval.
    Returns how many awards were offered."""
    nominations = session.scalars(
        select(Nomination)
        .where(Nomination.round_id == round_.id, Nomination.status == NominationStatus.APPROVED)
        .options(joinedload(Nomination.award), joinedload(Nomination.organisation),
                 joinedload(Nomination.nominated_by))
        .order_by(Nomination.id)).unique().all()
    offered = 0
    for nomination in nominations:
        award = nomination.award
        if award is None or award.status is not AwardStatus.PROPOSED:
            continue
        offer_at_publication(session, user, award, now, nomination_id=nomination.id,
                             nominating_county_id=nomination.county_id)
        logger.info("award %s offered to organisation %s from nomination %s: %d pence",
                    award.id, nomination.organisation_id, nomination.id, award.amount_pence)
        _tell_of_offer(session, nomination, award)
        notifications.nomination_approved(session, nomination)
        offered += 1
    return offered


@dataclass(frozen=True)
class _Answer:
    """Staff's answer with a text for the High Sheriff: what it needs and what it makes of the
    nomination."""

    field: str  # the form field the text is typed in
    missing: str  # the message when no text is given
    answerable: frozenset[NominationStatus]  # the statuses it may answer
    status: NominationStatus
    decided: bool  # a decision records who made it and when


_CHANGES = _Answer("comment", "Enter what the High Sheriff should change",
                   frozenset({NominationStatus.SUBMITTED}), NominationStatus.CHANGES_REQUESTED,
                   decided=False)
_DECLINE = _Answer("reason", "Enter why the nomination is declined",
                   permissions.CHANGEABLE_NOMINATION_STATUSES, NominationStatus.DECLINED,
                   decided=True)


def request_changes(session: Session, user: User, nomination_id: int,
                    comment: str) -> Nomination:
    """Staff ask the High Sheriff to change the nomination; they edit it and send it again."""
    nomination = _answer(session, user, nomination_id, _CHANGES, comment)
    notifications.changes_requested(session, nomination)
    return nomination


def decline_nomination(session: Session, user: User, nomination_id: int,
                       reason: str) -> Nomination:
    """Staff decline the nomination with a reason; its money goes back to the county."""
    nomination = _answer(session, user, nomination_id, _DECLINE, reason)
    logger.info("nomination %s declined by user %s: %d pence returned to county %s in round %s",
                nomination.id, user.id, nomination.amount_pence, nomination.county_id,
                nomination.round_id)
    notifications.nomination_declined(session, nomination)
    return nomination


def _answer(session: Session, user: User, nomination_id: int, answer: _Answer,
            text: str) -> Nomination:
    """The nomination takes the answer's status and text, and the change is audited (as
    "nomination.changes_requested", "nomination.declined")."""
    _check_staff(user)
    round_, nomination = finding.locked_nomination(session, nomination_id)
    _check_decidable(round_, nomination, answer.answerable)
    text = required_text(text, answer.field, answer.missing, finding.MAX_TEXT, "This")
    if answer.decided:
        clear_sign_off(session, round_, user, "A nomination was declined after sign-off")
    before = finding.snapshot(nomination)
    now = clock.utcnow()
    nomination.status = answer.status
    nomination.staff_comment = text
    if answer.decided:
        nomination.decided_by_id = user.id
        nomination.decided_at = now
    nomination.updated_at = now
    session.flush()
    record_event(session, actor_id=user.id, action=f"nomination.{answer.status.value}",
                 entity_type="nomination", entity_id=nomination.id, before=before,
                 after=finding.snapshot(nomination))
    return nomination


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


def _tell_of_offer(session: Session, nomination: Nomination, award: Award) -> None:
    """Email the offer to each of `offer_recipients`; someone who is not yet a member also gets
    a link to claim the organisation's account, their way in to see the offer."""
    members = set(session.scalars(
        select(User.email).join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == nomination.organisation_id,
               Membership.status == MembershipStatus.ACTIVE)))
    for address in offer_recipients(session, nomination):
        notifications.award_offered(session, nomination, award, address,
                                    with_claim_link=address not in members)
