"""The budget guard: making or changing one application's decision without ever taking the
round's committed money over its budget.

`decide` locks the round's row before it reads the committed money, so two staff deciding at the
same moment, a resent form or a changed decision can never take the round over its budget. Every
other write that spends a round's budget (nominations, allocations) locks it the same way, with
`grants.core.locks.lock_row`. Committed money is always
`grants.awards.operations.committed.committed_pence`, and what is left of the budget always
`grants.decisions.operations.remaining`.
"""

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.applications.models import Application, ApplicationStatus
from grants.auth import permissions
from grants.awards.models import RELEASED_STATUSES, Award, AwardStatus
from grants.core import clock
from grants.core.errors import Forbidden, NotFound
from grants.core.locks import lock_row
from grants.core.money import format_pounds
from grants.decisions.models import Decision, DecisionOutcome
from grants.decisions.operations.checks import CheckedDecision, checked
from grants.decisions.operations.queries import award_for, decision_for, declaration_for
from grants.decisions.operations.remaining import remaining_pence
from grants.decisions.operations.rules import (
    CHANGED_BEFORE_PUBLICATION,
    WITHDRAWN_BEFORE_PUBLICATION,
    DecisionInput,
    DecisionRefused,
    OverBudget,
    why_not_decidable,
)
from grants.decisions.operations.sign_off import clear_sign_off
from grants.funds.models import Round
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)


def _fresh_application(session: Session, application_id: int) -> Application:
    application = session.scalars(
        select(Application).where(Application.id == application_id)
        .execution_options(populate_existing=True)
    ).one_or_none()
    if application is None:
        raise NotFound("Application not found")
    return application


def _check_decider(session: Session, user: User, application: Application) -> None:
    if not permissions.may_decide(user):
        raise Forbidden("Only staff decide on applications")
    declaration = declaration_for(session, application.id, user.id)
    if declaration is None:
        raise DecisionRefused("Declare any conflict of interest with this application before "
                              "you decide on it")
    if not permissions.may_decide_on(user, declaration):
        raise Forbidden("You declared a conflict of interest with this application, so you "
                        "cannot decide on it. Ask another member of staff to decide")


def _unchanged(decision: Decision | None, award: Award | None, application: Application,
               values: CheckedDecision) -> bool:
    """Whether the decision already stands exactly so (a resent form)."""
    if decision is None:
        return False
    holds_money = award is not None and award.status not in RELEASED_STATUSES
    if values.awarding:
        state_ok = (holds_money and award.amount_pence == values.amount_pence
                    and award.public_reason == values.public_reason
                    and application.status is ApplicationStatus.AWARDED)
    else:
        state_ok = not holds_money and application.status is ApplicationStatus.DECLINED
    return state_ok and values.held_by(decision)


def _guard_budget(session: Session, round_: Round, award: Award | None,
                  values: CheckedDecision) -> None:
    """Refuse an award that would take the round's committed money over its budget. The
    round's row is locked, so nobody else's award can land between this check and the write."""
    own = award.amount_pence if award is not None and award.status not in RELEASED_STATUSES \
        else 0
    remaining = remaining_pence(session, round_)
    amount = values.amount_pence or 0
    if amount > remaining + own:
        besides = (f", besides the {format_pounds(own)} this application already holds"
                   if own else "")
        raise OverBudget(
            f"Only {format_pounds(max(remaining, 0))} of the round's "
            f"{format_pounds(round_.budget_pence)} budget is left{besides}; this award of "
            f"{format_pounds(amount)} would go over it",
            field="amount" if values.outcome is DecisionOutcome.AWARD_IN_PART else "outcome")


def _state(decision: Decision | None, award: Award | None,
           application: Application) -> dict[str, Any] | None:
    if decision is None:
        return None
    return {"outcome": decision.outcome.value, "amount_pence": decision.amount_pence,
            "reason": decision.reason, "conditions": decision.conditions,
            "feedback": decision.feedback, "out_of_rank_reason": decision.out_of_rank_reason,
            "decided_by_id": decision.decided_by_id,
            "public_reason": award.public_reason if award else "",
            "award_id": award.id if award else None,
            "award_status": award.status.value if award else None,
            "application_status": application.status.value}


def _write_award(session: Session, application: Application, award: Award | None,
                 values: CheckedDecision, now: datetime) -> Award | None:
    if not values.awarding:
        if award is not None and award.status not in RELEASED_STATUSES:
            award.status = AwardStatus.WITHDRAWN
            award.withdrawn_at = now
            award.withdrawal_reason = CHANGED_BEFORE_PUBLICATION
        return award
    if award is None:
        award = Award(round_id=application.round_id, organisation_id=application.organisation_id,
                      application_id=application.id, amount_pence=values.amount_pence)
        award.key_aims = list(application.key_aims)
        session.add(award)
    award.amount_pence = values.amount_pence
    award.status = AwardStatus.PROPOSED
    award.conditions = values.conditions
    award.public_reason = values.public_reason
    award.priority_id = application.primary_priority_id
    award.title = application.title
    award.description = application.summary
    award.withdrawn_at = None
    award.withdrawal_reason = ""
    return award


def _summary(values: CheckedDecision) -> str:
    if values.awarding:
        return f"{values.outcome.label}: {format_pounds(values.amount_pence)}"
    return "Decline"


def decide(session: Session, user: User, application: Application,
           data: DecisionInput) -> Decision:
    """Make or change the application's decision, within the round's budget.

    Locks the round's row first, so decisions in the same round happen one at a time; then
    checks the decider's declaration, the round's rules and the budget; then writes the
    Decision, the Award (proposed, or withdrawn when the outcome becomes a decline) and the
    application's status, with an audit event. Sending the same decision again changes
    nothing. A change after sign-off clears the sign-off.
    """
    round_ = lock_row(session, Round, application.round_id, missing="Round not found")
    application = _fresh_application(session, application.id)
    release_withdrawn_awards(session, round_, user.id)
    DecisionRefused.raise_if(why_not_decidable(round_, application))
    _check_decider(session, user, application)
    values = checked(session, round_, application, data)
    decision = decision_for(session, application.id)
    award = award_for(session, application.id)
    if _unchanged(decision, award, application, values):
        return decision
    if values.awarding:
        _guard_budget(session, round_, award, values)
    before = _state(decision, award, application)
    now = clock.utcnow()
    if decision is None:
        decision = Decision(application_id=application.id)
        session.add(decision)
    values.write_to(decision)
    decision.decided_by_id = user.id
    decision.decided_at = now
    award = _write_award(session, application, award, values, now)
    application.status = (ApplicationStatus.AWARDED if values.awarding
                          else ApplicationStatus.DECLINED)
    session.flush()
    record_event(
        session, actor_id=user.id,
        action="application.decided" if before is None else "application.decision_changed",
        entity_type="application", entity_id=application.id, before=before,
        after=_state(decision, award, application) | {"decision_id": decision.id},
        note=_summary(values) + (f". Out of rank order: {values.out_of_rank_reason}"
                                 if values.out_of_rank_reason else ""),
    )
    clear_sign_off(session, round_, user, f"The decision on "
                   f"{application.reference or application.id} changed after sign-off")
    logger.info("application %s decided %s by user %s: %s pence (award %s, round %s)",
                application.id, values.outcome.value, user.id, values.amount_pence or 0,
                award.id if award else None, round_.id)
    return decision


def release_withdrawn_awards(session: Session, round_: Round, actor_id: int | None) -> None:
    """An application withdrawn by its applicant after an award was proposed holds no money."""
    awards = session.scalars(
        select(Award).join(Application, Application.id == Award.application_id)
        .where(Award.round_id == round_.id, Application.status == ApplicationStatus.WITHDRAWN,
               Award.status.not_in(RELEASED_STATUSES | {AwardStatus.ACCEPTED,
                                                        AwardStatus.PAID, AwardStatus.CLOSED}))
    ).all()
    for award in awards:
        before = {"award_status": award.status.value}
        award.status = AwardStatus.WITHDRAWN
        award.withdrawn_at = clock.utcnow()
        award.withdrawal_reason = WITHDRAWN_BEFORE_PUBLICATION
        session.flush()
        record_event(session, actor_id=actor_id, action="application.award_released",
                     entity_type="application", entity_id=award.application_id, before=before,
                     after={"award_status": award.status.value, "award_id": award.id},
                     note="The application was withdrawn, so its award holds no money")
        logger.info("award %s of withdrawn application %s released: %s pence", award.id,
                    award.application_id, award.amount_pence)
