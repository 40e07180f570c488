"""Choosing the councils and Community Safety Partnerships the formula shares among."""

import logging
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.allocations.models import AllocationRecipient
from grants.allocations.operations.guard import check_not_confirmed, clear_proposal, locked
from grants.allocations.operations.listing import recipient_choices, recipients_of
from grants.core.errors import ValidationFailed
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)


def set_recipients(session: Session, user: User, round_id: int,
                   organisation_ids: Iterable[int]) -> list[AllocationRecipient]:
    """Choose the councils and partnerships the formula shares among."""
    round_ = locked(session, user, round_id)
    check_not_confirmed(session, round_)
    wanted = set(organisation_ids)
    if not wanted:
        raise ValidationFailed({"organisations": "Choose at least one recipient"})
    offered = {o.id for o in recipient_choices(session, round_)}
    current = {r.organisation_id: r for r in session.scalars(
        select(AllocationRecipient).where(AllocationRecipient.round_id == round_.id))}
    if not wanted <= offered:
        raise ValidationFailed({"organisations": "Choose councils and Community Safety "
                                                 "Partnerships from the list"})
    added = sorted(wanted - set(current))
    removed = sorted(set(current) - wanted)
    if not added and not removed:
        return recipients_of(session, round_.id)
    for organisation_id in removed:
        session.delete(current[organisation_id])
    for organisation_id in added:
        session.add(AllocationRecipient(round_id=round_.id, organisation_id=organisation_id))
    session.flush()
    cleared = clear_proposal(session, round_.id)
    session.flush()
    record_event(session, actor_id=user.id, action="allocation.recipients_changed",
                 entity_type="round", entity_id=round_.id,
                 before={"organisation_ids": sorted(current)},
                 after={"organisation_ids": sorted(wanted), "shares_cleared": cleared})
    logger.info("round %s: allocation recipients changed by user %s (+%d, -%d)", round_.id,
                user.id, len(added), len(removed))
    return recipients_of(session, round_.id)
