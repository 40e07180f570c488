"""Signing off a direct award, or withdrawing it before then.

A second member of staff (anyone on the staff but the person who recorded it: the two-person
rule payments follow) checks the award and its reason for publication and signs it off. The
award must still fit the fund's available money (the ledger guard, under the fund's row lock).
Signed off, it is an award like any other: offered to the organisation, whose contact is
emailed, and public (`grants.awards.operations.publicity`). Its offer, acceptance, bank details,
payments and monitoring are then the awards and monitoring pages' business; withdrawing it is
withdrawing the offer.

Before sign-off, staff may withdraw it: its money goes back to the fund.
"""

import logging

from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.auth import permissions
from grants.awards.models import Award, AwardStatus
from grants.awards.operations.committed import settle_direct_budget
from grants.awards.operations.publicity import offer_at_publication
from grants.core import clock
from grants.core.errors import Forbidden, Refusal, ValidationFailed, required_text
from grants.core.locks import lock_row
from grants.direct_awards import notifications
from grants.direct_awards.models import DirectAward
from grants.direct_awards.operations.listing import direct_award_of
from grants.ledger.operations.guard import check_direct_award_fits
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

MAX_REASON = 1000


class DirectAwardRefused(Refusal):
    """The direct award cannot be signed off or withdrawn now; the message says why."""


def _locked(session: Session, award_id: int) -> DirectAward:
    """The direct award, its award's row locked first (as offers and payments lock it)."""
    lock_row(session, Award, award_id, missing="There is no such direct award")
    return direct_award_of(session, award_id)


def sign_off_problems(user: User, direct: DirectAward) -> list[str]:
    """Why this person cannot sign off the direct award now; empty when they can."""
    award = direct.award
    if direct.signed_off_at is not None:
        return ["This direct award has been signed off"]
    if award.status is AwardStatus.WITHDRAWN:
        return ["This direct award was withdrawn"]
    if not permissions.may_sign_off_direct_award(user, direct.recorded_by_id):
        if permissions.may_record_direct_awards(user):
            return ["You recorded this direct award, so another member of staff must sign "
                    "it off"]
        return ["Only staff sign off direct awards"]
    return []


def sign_off_direct_award(session: Session, user: User, award_id: int, *,
                          confirmed: bool) -> DirectAward:
    """A second member of staff signs the direct award off: it is offered to the
    organisation, whose contact is emailed, and becomes public. Signing off a signed-off award
    again (a double click) changes nothing."""
    direct = _locked(session, award_id)
    if direct.signed_off_by_id == user.id:
        return direct
    problems = sign_off_problems(user, direct)
    if problems:
        raise DirectAwardRefused(". ".join(problems))
    if not confirmed:
        raise ValidationFailed({"confirm": "Confirm that you have checked the award and its "
                                           "reason as it will be published"})
    award = direct.award
    round_ = award.round
    # The award was committed when it was recorded: it must still fit besides what the fund
    # has committed since (or since its budgets were limited by the money paid in).
    check_direct_award_fits(session, round_.fund_id, round_.financial_year, award.amount_pence,
                            counted=True, field="confirm")
    now = clock.utcnow()
    direct.signed_off_by_id = user.id
    direct.signed_off_at = now
    offer_at_publication(session, user, award, now,
                         note="Offered when a second member of staff signed off the direct "
                              "award",
                         recorded_by_id=direct.recorded_by_id, signed_off_by_id=user.id,
                         public_reason=award.public_reason)
    notifications.award_offered(session, award)
    logger.info("direct award %s signed off by user %s and offered to organisation %s: %d "
                "pence", award.id, user.id, award.organisation_id, award.amount_pence)
    return direct


def why_not_withdrawable(direct: DirectAward) -> str | None:
    """Why staff cannot withdraw the direct award here, or None when they can."""
    if direct.signed_off_at is not None:
        return ("This direct award has been signed off and offered: withdraw the offer from "
                "the award's page")
    if direct.award.status is AwardStatus.WITHDRAWN:
        return "This direct award was withdrawn"
    return None


def withdraw_direct_award(session: Session, user: User, award_id: int,
                          reason: str) -> DirectAward:
    """Withdraw a direct award before it is signed off (recorded by mistake, or not to be
    made after all): it is never offered, and its money goes back to the fund. Withdrawing it
    again changes nothing."""
    if not permissions.may_record_direct_awards(user):
        raise Forbidden("Only staff withdraw direct awards")
    direct = _locked(session, award_id)
    award = direct.award
    if award.status is AwardStatus.WITHDRAWN and direct.signed_off_at is None:
        return direct
    refusal = why_not_withdrawable(direct)
    if refusal:
        raise DirectAwardRefused(refusal)
    reason = required_text(reason, "reason", "Enter why the direct award is withdrawn",
                           MAX_REASON, "The reason")
    award.status = AwardStatus.WITHDRAWN
    award.withdrawn_at = clock.utcnow()
    award.withdrawal_reason = reason
    session.flush()
    settle_direct_budget(session, award.round)
    record_event(session, actor_id=user.id, action="award.withdrawn", entity_type="award",
                 entity_id=award.id, before={"status": AwardStatus.PROPOSED.value},
                 after={"status": award.status.value, "released_pence": award.amount_pence,
                        "reason": reason},
                 note="A direct award withdrawn before sign-off")
    logger.info("direct award %s withdrawn by user %s before sign-off: %d pence returned to "
                "fund %s", award.id, user.id, award.amount_pence, award.round.fund_id)
    return direct
