"""Sign-off: a second member of staff, who made or changed none of the round's decisions,
checks them before they are published."""

import logging

from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.auth import permissions
from grants.awards.operations.committed import committed_pence
from grants.core import clock
from grants.core.locks import lock_row
from grants.decisions.operations.queries import (
    decider_ids,
    round_decisions,
    undecided_applications,
)
from grants.decisions.operations.rules import DECIDING_ROUND_STATUSES, DecisionRefused, iso
from grants.funds.models import Round
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)


def sign_off_problems(session: Session, round_: Round, user: User) -> list[str]:
    """Why this user may not sign off the round's decisions now; empty when they may."""
    problems: list[str] = []
    if round_.decisions_published_at is not None:
        return ["The decisions have been published"]
    if round_.status not in DECIDING_ROUND_STATUSES:
        return ["Decisions are signed off once the round is being assessed"]
    undecided = undecided_applications(session, round_.id)
    if undecided:
        count = len(undecided)
        problems.append(f"{count} eligible application{'' if count == 1 else 's'} "
                        f"{'has' if count == 1 else 'have'} no decision yet")
    elif not round_decisions(session, round_.id):
        problems.append("There are no decisions to sign off")
    if not permissions.may_sign_off_decisions(user, decider_ids(session, round_.id)):
        problems.append("You made or changed some of these decisions: a second member of "
                        "staff who made none of them must sign them off")
    return problems


def sign_off(session: Session, user: User, round_id: int) -> Round:
    """A second member of staff, who made none of the round's decisions, signs them off."""
    round_ = lock_row(session, Round, round_id, missing="Round not found")
    if round_.decisions_signed_off_at is not None and round_.decisions_published_at is None:
        return round_  # already signed off: a repeated form
    problems = sign_off_problems(session, round_, user)
    if problems:
        raise DecisionRefused(". ".join(problems))
    now = clock.utcnow()
    before = {"decisions_signed_off_at": None, "decided_at": iso(round_.decided_at),
              "status": round_.status.value}
    round_.decisions_signed_off_at = now
    round_.decisions_signed_off_by_id = user.id
    if round_.decided_at is None:
        round_.decided_at = now
    session.flush()
    record_event(session, actor_id=user.id, action="round.decisions_signed_off",
                 entity_type="round", entity_id=round_.id, before=before,
                 after={"decisions_signed_off_at": iso(now),
                        "decisions_signed_off_by_id": user.id,
                        "decided_at": iso(round_.decided_at), "status": round_.status.value,
                        "committed_pence": committed_pence(session, round_.id)})
    logger.info("round %s: decisions signed off by user %s", round_.id, user.id)
    return round_
