"""Sign-off: a second member of staff, who made or changed none of the round's decisions,
checks them before they are published. Every kind of round has the step: an open round's
decisions on applications, a nomination round's approvals and declines, an allocation
round's confirmed shares and top-slice awards."""

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.allocations.operations.listing import is_confirmed
from grants.auth import permissions
from grants.awards.models import Award
from grants.awards.operations.committed import committed_pence
from grants.awards.operations.public_reasons import (
    missing_public_reasons,
    round_public_reasons,
)
from grants.awards.operations.publicity import decisions_published
from grants.core import clock
from grants.core.locks import lock_row
from grants.decisions.operations.queries import (
    decider_ids,
    round_decisions,
    undecided_applications,
)
from grants.decisions.operations.rules import DECIDING_ROUND_STATUSES, DecisionRefused, iso
from grants.funds.models import Round, RoundKind
from grants.nominations.models import PENDING_NOMINATION_STATUSES, Nomination, NominationStatus
from grants.records.models import AuditEvent
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

# What makes someone a decider of a nomination or allocation round, from the audit record.
NOMINATION_DECISION_ACTIONS = ("nomination.approved", "nomination.declined")
ALLOCATION_ROUND_ACTIONS = ("allocation.shares_proposed", "allocation.share_overridden",
                            "allocation.confirmed")
ALLOCATION_AWARD_ACTIONS = ("award.top_slice_recorded",)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def pending_nominations(session: Session, round_id: int) -> int:
    """Nominations of the round still waiting for staff or for the High Sheriff's changes."""
    return len(session.scalars(
        select(Nomination.id).where(Nomination.round_id == round_id,
                                    Nomination.status.in_(PENDING_NOMINATION_STATUSES))).all())


def what_is_undecided(session: Session, round_: Round) -> list[str]:
    """What still needs a decision before the round's decisions can be signed off or
    published; empty when nothing does."""
    if round_.kind is RoundKind.NOMINATION:
        pending = pending_nominations(session, round_.id)
        if pending:
            return [f"{_plural(pending, 'nomination')} still "
                    f"{'needs' if pending == 1 else 'need'} a decision"]
        return []
    if round_.kind is RoundKind.ALLOCATION:
        if not is_confirmed(session, round_.id):
            return ["The shares must be confirmed before the decisions are signed off"]
        return []
    undecided = undecided_applications(session, round_.id)
    if undecided:
        return [f"{_plural(len(undecided), 'eligible application')} still "
                f"{'needs' if len(undecided) == 1 else 'need'} a decision"]
    return []


def round_deciders(session: Session, round_: Round) -> set[int]:
    """Everyone who made or changed any of the round's decisions: they may not sign them
    off."""
    if round_.kind is RoundKind.NOMINATION:
        nominations = select(Nomination.id).where(Nomination.round_id == round_.id)
        audited = session.scalars(
            select(AuditEvent.actor_id).distinct()
            .where(AuditEvent.entity_type == "nomination",
                   AuditEvent.action.in_(NOMINATION_DECISION_ACTIONS),
                   AuditEvent.entity_id.in_(nominations), AuditEvent.actor_id.is_not(None)))
        current = session.scalars(
            select(Nomination.decided_by_id).distinct()
            .where(Nomination.round_id == round_.id, Nomination.decided_by_id.is_not(None)))
        return set(audited) | set(current)
    if round_.kind is RoundKind.ALLOCATION:
        awards = select(Award.id).where(Award.round_id == round_.id)
        on_round = session.scalars(
            select(AuditEvent.actor_id).distinct()
            .where(AuditEvent.entity_type == "round", AuditEvent.entity_id == round_.id,
                   AuditEvent.action.in_(ALLOCATION_ROUND_ACTIONS),
                   AuditEvent.actor_id.is_not(None)))
        on_awards = session.scalars(
            select(AuditEvent.actor_id).distinct()
            .where(AuditEvent.entity_type == "award", AuditEvent.entity_id.in_(awards),
                   AuditEvent.action.in_(ALLOCATION_AWARD_ACTIONS),
                   AuditEvent.actor_id.is_not(None)))
        return set(on_round) | set(on_awards)
    return decider_ids(session, round_.id)


def _open_round_problems(session: Session, round_: Round) -> list[str]:
    undecided = undecided_applications(session, round_.id)
    if undecided:
        count = len(undecided)
        return [f"{_plural(count, 'eligible application')} "
                f"{'has' if count == 1 else 'have'} no decision yet"]
    if not round_decisions(session, round_.id):
        return ["There are no decisions to sign off"]
    return []


def _nomination_round_problems(session: Session, round_: Round) -> list[str]:
    problems = what_is_undecided(session, round_)
    if round_.launched_at is None or clock.utcnow() < round_.closes_at:
        problems.append("Decisions are signed off once the round has closed for nominations")
    elif not problems and not session.scalars(select(Nomination.id).where(
            Nomination.round_id == round_.id,
            Nomination.status.in_([NominationStatus.APPROVED, NominationStatus.DECLINED]))
    ).first():
        problems.append("There are no decisions to sign off")
    return problems


def sign_off_problems(session: Session, round_: Round, user: User) -> list[str]:
    """Why this user may not sign off the round's decisions now; empty when they may."""
    if decisions_published(round_):
        return ["The decisions have been published"]
    if round_.kind is RoundKind.NOMINATION:
        problems = _nomination_round_problems(session, round_)
    elif round_.kind is RoundKind.ALLOCATION:
        problems = what_is_undecided(session, round_)
    elif round_.status not in DECIDING_ROUND_STATUSES:
        return ["Decisions are signed off once the round is being assessed"]
    else:
        problems = _open_round_problems(session, round_)
    problems += missing_public_reasons(round_public_reasons(session, round_.id))
    if not permissions.may_sign_off_decisions(user, round_deciders(session, round_)):
        problems.append("You made or changed some of these decisions: a second member of "
                        "staff who made none of them must sign them off")
    return problems


def sign_off(session: Session, user: User, round_id: int) -> Round:
    """A second member of staff, who made none of the round's decisions, signs them off, and
    with them approves each award's reason as it will be published (the audit keeps the
    reasons they approved)."""
    round_ = lock_row(session, Round, round_id, missing="Round not found")
    if round_.decisions_signed_off_at is not None and not decisions_published(round_):
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
                        "committed_pence": committed_pence(session, round_.id),
                        "public_reasons_approved": {
                            str(row.award_id): row.reason
                            for row in round_public_reasons(session, round_.id)}})
    logger.info("round %s: decisions signed off by user %s", round_.id, user.id)
    return round_


def clear_sign_off(session: Session, round_: Round, user: User, note: str) -> None:
    """A decision made or changed after sign-off needs the decisions signed off again. The
    round's row is locked by the caller."""
    if round_.decisions_signed_off_at is None:
        return
    before = {"decisions_signed_off_at": round_.decisions_signed_off_at.isoformat(),
              "decisions_signed_off_by_id": round_.decisions_signed_off_by_id}
    round_.decisions_signed_off_at = None
    round_.decisions_signed_off_by_id = None
    session.flush()
    record_event(session, actor_id=user.id, action="round.decisions_sign_off_cleared",
                 entity_type="round", entity_id=round_.id, before=before,
                 after={"decisions_signed_off_at": None}, note=note)
    logger.info("round %s: sign-off cleared by a change after it", round_.id)
