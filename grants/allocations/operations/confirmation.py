"""Confirming the shares: each becomes an award of the round, proposed until the round's
decisions are signed off and published; publishing offers every award of the round (shares and
top-slice awards) to its recipient, whose members then accept the grant agreement on the offer
pages."""

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from grants.accounts.models import User
from grants.allocations import notifications
from grants.allocations.operations.guard import AllocationRefused, locked
from grants.allocations.operations.listing import allocated_pence, recipients_of
from grants.awards.models import Award, AwardSource, AwardStatus
from grants.awards.operations.committed import committed_pence
from grants.awards.operations.public_reasons import public_reason_problem
from grants.awards.operations.publicity import decisions_published, offer_at_publication
from grants.core.money import format_pounds
from grants.core.problems import refuse_any
from grants.decisions.operations.remaining import remaining_of
from grants.funds.models import Round
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Confirmation:
    awards: list[Award]
    already: bool = False


def award_title(round_: Round) -> str:
    return f"{round_.fund.name} allocation {round_.financial_year}"


def confirm_allocation(session: Session, user: User, round_id: int, *,
                       public_reason: str) -> Confirmation:
    """Make each share an award of the round, with the reason for the awards written for
    publication, proposed until the round's decisions are published. Confirming again (a
    double click) changes nothing."""
    round_ = locked(session, user, round_id)
    recipients = recipients_of(session, round_.id)
    if any(r.award_id is not None for r in recipients):
        return Confirmation(awards=[r.award for r in recipients if r.award is not None],
                            already=True)
    public_reason = (public_reason or "").strip()
    refuse_any({"public_reason": public_reason_problem(public_reason)})
    if decisions_published(round_):
        raise AllocationRefused("This round's decisions have been published, so its shares "
                                "can no longer be confirmed")
    if not recipients or any(r.share_pence is None for r in recipients):
        raise AllocationRefused("Propose the shares by formula before confirming them")
    total, allocated = sum(r.share_pence for r in recipients), allocated_pence(round_)
    if total > allocated:
        raise AllocationRefused(
            f"The shares add up to {format_pounds(total)}, {format_pounds(total - allocated)} "
            f"over the {format_pounds(allocated)} to allocate. Lower a share first")
    committed = committed_pence(session, round_.id)
    remaining = remaining_of(round_.budget_pence, committed)
    if total > remaining:
        left = max(remaining, 0)
        raise AllocationRefused(
            f"The shares add up to {format_pounds(total)}, but only {format_pounds(left)} of "
            f"the budget of {format_pounds(round_.budget_pence)} is left")

    awards = []
    for recipient in recipients:
        if not recipient.share_pence:
            continue
        organisation = recipient.organisation
        award = Award(round_id=round_.id, organisation=organisation, source=AwardSource.ALLOCATION,
                      status=AwardStatus.PROPOSED, amount_pence=recipient.share_pence,
                      title=award_title(round_), description=recipient.override_reason,
                      public_reason=public_reason,
                      areas=list(organisation.areas))
        session.add(award)
        session.flush()
        recipient.award = award
        awards.append(award)
        record_event(session, actor_id=user.id, action="award.allocated", entity_type="award",
                     entity_id=award.id,
                     after={"round_id": round_.id, "organisation_id": organisation.id,
                            "amount_pence": award.amount_pence,
                            "proposed_pence": recipient.proposed_pence,
                            "override_reason": recipient.override_reason,
                            "status": award.status.value})
        logger.info("award %s allocated: %d pence to organisation %s from round %s",
                    award.id, award.amount_pence, organisation.id, round_.id)
    session.flush()
    record_event(session, actor_id=user.id, action="allocation.confirmed", entity_type="round",
                 entity_id=round_.id,
                 after={"award_ids": [a.id for a in awards], "total_pence": total,
                        "public_reason": public_reason,
                        "allocated_pence": allocated, "committed_before_pence": committed})
    return Confirmation(awards=awards)


def announce_allocation(session: Session, user: User, round_: Round, now: datetime) -> int:
    """At publication: every proposed award of the allocation round (its shares and its
    top-slice awards) is offered to its recipient, who is emailed the offer. Returns how many
    awards were offered."""
    awards = session.scalars(
        select(Award).where(Award.round_id == round_.id, Award.status == AwardStatus.PROPOSED)
        .options(joinedload(Award.organisation)).order_by(Award.id)).all()
    for award in awards:
        offer_at_publication(session, user, award, now)
        notifications.award_offered(session, award)
        logger.info("award %s offered to organisation %s from round %s: %d pence", award.id,
                    award.organisation_id, round_.id, award.amount_pence)
    return len(awards)
