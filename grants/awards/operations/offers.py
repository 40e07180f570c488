"""The offer of a grant and the recipient's answer: accepting, declining, and staff
withdrawing an offer. Each locks the award's row first (`grants.core.locks.lock_row`)."""

import logging
from datetime import date

from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.applications.models import ApplicationStatus
from grants.auth import permissions
from grants.awards import notifications
from grants.awards.models import Award, AwardStatus, PaymentStatus
from grants.awards.operations.committed import settle_direct_budget
from grants.awards.operations.terms import offer_terms, report_due_date
from grants.core import clock
from grants.core.errors import NotFound, Refusal, required_text
from grants.core.formatting import format_london_date
from grants.core.locks import lock_row
from grants.core.problems import refuse_any, text_problem
from grants.core.translatable import N_, Moment, Words
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

MAX_REASON = 1000
MAX_NAME = 200


class OfferRefused(Refusal):
    """The offer cannot be answered or withdrawn now; the message says why."""


# --- Accepting and declining ------------------------------------------------------------


def accept_offer(session: Session, user: User, award: Award, *, name: str, position: str,
                 accepted_on: date | None, confirmed: bool) -> Award:
    """Accept the offer on the organisation's behalf. Accepting an accepted offer again
    (a double click) changes nothing."""
    award = lock_row(session, Award, award.id, missing="There is no such award")
    check_member(user, award)
    if award.status is AwardStatus.ACCEPTED:
        return award
    _check_open(award, "accept")
    name, position = (name or "").strip(), (position or "").strip()
    refuse_any({
        "name": text_problem(name, "Enter your full name", MAX_NAME, "Your full name"),
        "position": text_problem(position, "Enter your position in the organisation",
                                 MAX_NAME, "Your position"),
        "accepted_on": _acceptance_date_error(award, accepted_on),
        "confirm": None if confirmed else Words(
            N_("Confirm that you accept these terms on behalf of %(organisation)s"),
            organisation=award.organisation.name),
    })

    award.status = AwardStatus.ACCEPTED
    award.accepted_at = clock.utcnow()
    award.accepted_by_name = name
    award.accepted_by_position = position
    award.accepted_on = accepted_on
    award.report_due_on = report_due_date(award, accepted_on)
    if award.application is not None:
        award.application.status = ApplicationStatus.OFFER_ACCEPTED
    session.flush()
    record_event(
        session, actor_id=user.id, action="award.accepted", entity_type="award",
        entity_id=award.id, before={"status": AwardStatus.OFFERED.value},
        after={"status": award.status.value, "amount_pence": award.amount_pence,
               "accepted_on": accepted_on.isoformat(), "accepted_by_name": name,
               "accepted_by_position": position,
               "report_due_on": _iso(award.report_due_on)},
    )
    notifications.offer_accepted(session, award, user, offer_terms(award))
    logger.info("award %s accepted by user %s: %d pence committed in round %s", award.id,
                user.id, award.amount_pence, award.round_id)
    return award


def decline_offer(session: Session, user: User, award: Award, reason: str) -> Award:
    """Turn the offer down; its money goes back to the round's budget. Declining a declined
    offer again changes nothing."""
    award = lock_row(session, Award, award.id, missing="There is no such award")
    check_member(user, award)
    if award.status is AwardStatus.DECLINED:
        return award
    _check_open(award, "decline")
    reason = _reason(reason, "Enter why you are declining the offer")
    award.status = AwardStatus.DECLINED
    award.recipient_declined_at = clock.utcnow()
    award.recipient_decline_reason = reason
    _record_release(session, user, award, AwardStatus.OFFERED, reason)
    notifications.offer_declined(session, award, user, offer_terms(award))
    return award


def _record_release(session: Session, user: User, award: Award, before: AwardStatus,
                    reason: str) -> None:
    """Audit and log an offer given up (declined or withdrawn): its money is back in the
    round's budget (a direct award's, in its fund). The event is named after the award's new
    status."""
    session.flush()
    settle_direct_budget(session, award.round)
    verb = award.status.value
    record_event(
        session, actor_id=user.id, action=f"award.{verb}", entity_type="award",
        entity_id=award.id, before={"status": before.value},
        after={"status": award.status.value, "released_pence": award.amount_pence,
               "reason": reason},
    )
    logger.info("award %s %s by user %s: %d pence returned to round %s", award.id, verb,
                user.id, award.amount_pence, award.round_id)


def check_member(user: User, award: Award) -> None:
    """Only the organisation's members know of its offer; to anyone else it does not exist."""
    if not permissions.may_view_offer(user, award):
        raise NotFound("There is no such award")


def _check_open(award: Award, verb: str) -> None:
    if award.status is not AwardStatus.OFFERED:
        raise OfferRefused(_why_not_open(award, verb))


def _why_not_open(award: Award, verb: str) -> str:
    return {
        AwardStatus.ACCEPTED: N_("This offer has already been accepted"),
        AwardStatus.PAID: N_("This offer has already been accepted"),
        AwardStatus.CLOSED: N_("This grant is closed"),
        AwardStatus.DECLINED: N_("This offer was declined"),
        AwardStatus.WITHDRAWN: N_("This offer was withdrawn"),
    }.get(award.status, N_("You cannot accept this offer") if verb == "accept"
          else N_("You cannot decline this offer"))


def _acceptance_date_error(award: Award, accepted_on: date | None) -> str | None:
    if accepted_on is None:
        return N_("Enter the date you accept the offer")
    if accepted_on > clock.today_in_london():
        return N_("The date you accept the offer must be today or in the past")
    offered_on = clock.to_london(award.offered_at).date()
    if accepted_on < offered_on:
        return Words(N_("The date you accept the offer must be on or after the date of the "
                        "offer, %(day)s"), day=Moment(offered_on, show=format_london_date))
    return None


def _reason(text: str, missing: str) -> str:
    return required_text(text, "reason", missing, MAX_REASON, "The reason")


# --- Staff withdrawing an offer -----------------------------------------------------------


WITHDRAWABLE_STATUSES = frozenset({AwardStatus.OFFERED, AwardStatus.ACCEPTED})


def why_not_withdrawable(award: Award) -> str | None:
    """Why staff cannot withdraw the offer now, or None when they can."""
    if award.status not in WITHDRAWABLE_STATUSES:
        return "Only an offer waiting for an answer, or accepted and not yet paid, can be withdrawn"
    statuses = {payment.status for payment in award.payments}
    if PaymentStatus.APPROVED in statuses:
        return "Part of this grant has been paid, so the offer cannot be withdrawn"
    if PaymentStatus.AWAITING_APPROVAL in statuses:
        return "A payment is waiting for approval. Reject it before withdrawing the offer"
    return None


def withdraw_offer(session: Session, user: User, award: Award, reason: str) -> Award:
    """Staff withdraw an offer that is unanswered, or accepted with nothing paid; its money
    goes back to the round's budget. Withdrawing a withdrawn offer again changes nothing."""
    award = lock_row(session, Award, award.id, missing="There is no such award")
    if award.status is AwardStatus.WITHDRAWN:
        return award
    if not permissions.may_manage_awards(user):
        raise OfferRefused("Only staff can withdraw an offer")
    session.refresh(award, ["payments"])
    OfferRefused.raise_if(why_not_withdrawable(award))
    reason = _reason(reason, "Enter why the offer is being withdrawn")
    before = award.status
    award.status = AwardStatus.WITHDRAWN
    award.withdrawn_at = clock.utcnow()
    award.withdrawal_reason = reason
    _record_release(session, user, award, before, reason)
    notifications.offer_withdrawn(session, award, offer_terms(award))
    return award


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
