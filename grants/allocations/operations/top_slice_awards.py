"""Awards from the top-slice, against a priority and its key aims, proposed until the round's
decisions are published, when they are offered to the organisation with the round's shares.
They can never take the top-slice, or the round, over what is left."""

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from grants.accounts.models import User
from grants.allocations.operations.guard import AllocationRefused, check_staff, locked
from grants.allocations.operations.listing import top_slice_committed_pence, top_slice_pence
from grants.awards.models import Award, AwardSource, AwardStatus
from grants.awards.operations.public_reasons import public_reason_problem
from grants.awards.operations.publicity import decisions_published
from grants.core.errors import ValidationFailed
from grants.core.money import format_pounds
from grants.decisions.operations.remaining import remaining_of, remaining_pence
from grants.decisions.operations.sign_off import clear_sign_off
from grants.organisations.models import Organisation
from grants.plans.models import KeyAim, Plan, Priority
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

MAX_TITLE = 300
MAX_DESCRIPTION = 5000


@dataclass(frozen=True)
class TopSliceAward:
    """A top-slice award as staff typed it."""

    organisation_id: int | None
    amount_pence: int | None
    priority_id: int | None
    key_aim_ids: Sequence[int]
    title: str
    description: str = ""
    serves_whole_thames_valley: bool = True
    public_reason: str = ""  # written for publication; required (`public_reason_problem`)


def priority_choices(session: Session) -> list[Priority]:
    """The current plan's priorities still in use, with their key aims."""
    return list(session.scalars(
        select(Priority).join(Plan).where(Plan.is_current, Priority.retired_at.is_(None))
        .options(selectinload(Priority.key_aims)).order_by(Priority.number)))


def organisation_choices(session: Session) -> list[Organisation]:
    return list(session.scalars(select(Organisation).order_by(Organisation.name,
                                                              Organisation.id)))


def record_top_slice_award(session: Session, user: User, round_id: int,
                           entry: TopSliceAward) -> Award:
    """An award from the top-slice against a priority and its key aims, proposed until the
    round's decisions are published. It can never take the top-slice, or the round, over what
    is left, and once the decisions are published no more can be made."""
    check_staff(user)
    title, description = (entry.title or "").strip(), (entry.description or "").strip()
    organisation = (session.get(Organisation, entry.organisation_id)
                    if entry.organisation_id else None)
    priority = session.get(Priority, entry.priority_id) if entry.priority_id else None
    aims = list(session.scalars(select(KeyAim).where(KeyAim.id.in_(set(entry.key_aim_ids)))))
    errors = _top_slice_errors(entry, title, description, organisation, priority, aims)
    if errors:
        raise ValidationFailed(errors)

    round_ = locked(session, user, round_id)
    if decisions_published(round_):
        raise AllocationRefused("This round's decisions have been published, so no more "
                                "awards can be made from its top-slice")
    top, used = top_slice_pence(round_), top_slice_committed_pence(session, round_.id)
    top_left = remaining_of(top, used)
    if entry.amount_pence > top_left:
        raise ValidationFailed({"amount": (
            f"Only {format_pounds(max(top_left, 0))} of the top-slice of {format_pounds(top)} "
            f"is left ({format_pounds(used)} is already awarded from it)")})
    remaining = remaining_pence(session, round_)
    if entry.amount_pence > remaining:
        raise ValidationFailed({"amount": (
            f"Only {format_pounds(max(remaining, 0))} of the round's "
            f"budget of {format_pounds(round_.budget_pence)} is left")})

    award = Award(round_id=round_.id, organisation=organisation, source=AwardSource.TOP_SLICE,
                  status=AwardStatus.PROPOSED, amount_pence=entry.amount_pence, title=title,
                  description=description, priority=priority, key_aims=aims,
                  public_reason=entry.public_reason.strip(),
                  serves_whole_thames_valley=entry.serves_whole_thames_valley,
                  areas=[] if entry.serves_whole_thames_valley else _areas_of(organisation))
    session.add(award)
    session.flush()
    record_event(session, actor_id=user.id, action="award.top_slice_recorded",
                 entity_type="award", entity_id=award.id,
                 after={"round_id": round_.id, "organisation_id": organisation.id,
                        "amount_pence": award.amount_pence, "title": title,
                        "priority_id": priority.id, "public_reason": award.public_reason,
                        "key_aim_ids": sorted(a.id for a in aims),
                        "top_slice_pence": top,
                        "top_slice_committed_pence": used + award.amount_pence,
                        "status": award.status.value})
    clear_sign_off(session, round_, user, "A top-slice award was recorded after sign-off")
    logger.info("award %s from the top-slice of round %s: %d pence to organisation %s by "
                "user %s", award.id, round_.id, award.amount_pence, organisation.id, user.id)
    return award


def _top_slice_errors(entry: TopSliceAward, title: str, description: str,
                      organisation: Organisation | None, priority: Priority | None,
                      aims: list[KeyAim]) -> dict[str, str]:
    errors = {}
    if organisation is None:
        errors["organisation"] = "Choose the organisation the award is made to"
    if entry.amount_pence is None or entry.amount_pence <= 0:
        errors["amount"] = "Enter an amount of more than £0"
    if not title:
        errors["title"] = "Enter what the award is for, like Cybercrime initiatives"
    elif len(title) > MAX_TITLE:
        errors["title"] = f"What the award is for must be {MAX_TITLE} characters or fewer"
    if len(description) > MAX_DESCRIPTION:
        errors["description"] = f"The description must be {MAX_DESCRIPTION} characters or fewer"
    reason_problem = public_reason_problem(entry.public_reason)
    if reason_problem:
        errors["public_reason"] = reason_problem
    if priority is None:
        errors["priority"] = "Choose the priority the award supports"
    elif not aims:
        errors["key_aims"] = "Choose at least one key aim the award supports"
    elif (any(aim.priority_id != priority.id for aim in aims)
          or len(aims) != len(set(entry.key_aim_ids))):
        errors["key_aims"] = f"Choose key aims of {priority.code} {priority.title}"
    return errors


def _areas_of(organisation: Organisation) -> list:
    if organisation.areas:
        return list(organisation.areas)
    return [organisation.local_authority] if organisation.local_authority else []
