"""Deleting a priority or key aim that nothing uses, and saying what uses one that is."""

from dataclasses import dataclass

from sqlalchemy import func, select, union
from sqlalchemy.orm import Session

from grants.applications.models import Application, application_key_aim, application_priority
from grants.awards.models import Award, award_key_aim
from grants.core.errors import Conflict
from grants.core.locks import lock_row, lock_rows
from grants.funds.models import Round, round_key_aim, round_priority
from grants.plans.models import KeyAim, Priority
from grants.plans.operations.key_aims import key_aim_fields
from grants.plans.operations.priorities import priority_fields
from grants.records.operations.audit import record_event

# How many round codes a refusal names before it says "and N more".
ROUNDS_NAMED = 3


@dataclass(frozen=True)
class Usage:
    """What points at a priority or key aim: rounds by code, and counts of the rest."""

    round_codes: list[str]
    applications: int
    awards: int

    @property
    def in_use(self) -> bool:
        return bool(self.round_codes or self.applications or self.awards)

    def refusal(self, thing: str) -> str:
        """ "This priority is used by round PPAF-2019-1, so it cannot be deleted. …" """
        parts = []
        codes = self.round_codes
        if len(codes) == 1:
            parts.append(f"round {codes[0]}")
        elif 1 < len(codes) <= ROUNDS_NAMED:
            parts.append(f"rounds {_and_list(codes)}")
        elif codes:
            parts.append(f"{len(codes)} rounds (including {_and_list(codes[:ROUNDS_NAMED])})")
        if self.applications:
            parts.append(_count(self.applications, "application"))
        if self.awards:
            parts.append(_count(self.awards, "award"))
        return (f"This {thing} is used by {_and_list(parts)}, so it cannot be deleted. "
                "You can retire it instead.")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _and_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _usage(session: Session, *, priority_ids: list[int], key_aim_ids: list[int]) -> Usage:
    rounds = [select(round_priority.c.round_id).where(
        round_priority.c.priority_id.in_(priority_ids))]
    applications = [
        select(Application.id).where(Application.primary_priority_id.in_(priority_ids)),
        select(application_priority.c.application_id).where(
            application_priority.c.priority_id.in_(priority_ids)),
    ]
    awards = [select(Award.id).where(Award.priority_id.in_(priority_ids))]
    if key_aim_ids:
        rounds.append(select(round_key_aim.c.round_id).where(
            round_key_aim.c.key_aim_id.in_(key_aim_ids)))
        applications.append(select(application_key_aim.c.application_id).where(
            application_key_aim.c.key_aim_id.in_(key_aim_ids)))
        awards.append(select(award_key_aim.c.award_id).where(
            award_key_aim.c.key_aim_id.in_(key_aim_ids)))
    round_ids = union(*rounds).subquery()
    round_codes = list(session.scalars(
        select(Round.code).where(Round.id.in_(select(round_ids.c[0]))).order_by(Round.code)
    ))
    application_ids = union(*applications).subquery()
    award_ids = union(*awards).subquery()
    return Usage(
        round_codes=round_codes,
        applications=session.scalar(select(func.count()).select_from(application_ids)) or 0,
        awards=session.scalar(select(func.count()).select_from(award_ids)) or 0,
    )


def priority_usage(session: Session, priority: Priority) -> Usage:
    """What uses the priority or any of its key aims."""
    key_aim_ids = list(session.scalars(
        select(KeyAim.id).where(KeyAim.priority_id == priority.id)
    ))
    return _usage(session, priority_ids=[priority.id], key_aim_ids=key_aim_ids)


def key_aim_usage(session: Session, key_aim: KeyAim) -> Usage:
    return _usage(session, priority_ids=[], key_aim_ids=[key_aim.id])


def delete_priority(session: Session, priority: Priority, *, actor_id: int | None) -> None:
    """Delete a priority (and its key aims) that nothing uses; otherwise refuse with why.
    Other priorities keep their numbers."""
    # Lock the rows first: on PostgreSQL a round or application that starts pointing at them
    # meanwhile waits for this transaction, and one that did just before is seen below.
    lock_row(session, Priority, priority.id)
    lock_rows(session, select(KeyAim).where(KeyAim.priority_id == priority.id))
    usage = priority_usage(session, priority)
    if usage.in_use:
        raise Conflict(usage.refusal("priority"))
    before = {
        "plan_id": priority.plan_id,
        **priority_fields(priority),
        "key_aims": [{"number": aim.number, "text": aim.text} for aim in priority.key_aims],
    }
    _delete(session, priority, "priority", parent=priority.plan, collection="priorities",
            before=before, actor_id=actor_id)


def delete_key_aim(session: Session, key_aim: KeyAim, *, actor_id: int | None) -> None:
    """Delete a key aim that nothing uses; otherwise refuse with why."""
    lock_row(session, KeyAim, key_aim.id)
    usage = key_aim_usage(session, key_aim)
    if usage.in_use:
        raise Conflict(usage.refusal("key aim"))
    before = {"priority_id": key_aim.priority_id, **key_aim_fields(key_aim)}
    _delete(session, key_aim, "key_aim", parent=key_aim.priority, collection="key_aims",
            before=before, actor_id=actor_id)


def _delete(session: Session, record: Priority | KeyAim, entity_type: str, *, parent,
            collection: str, before: dict, actor_id: int | None) -> None:
    """Delete the record, have its parent read its `collection` afresh, and keep the
    deletion on record."""
    record_id = record.id
    session.delete(record)
    session.flush()
    session.expire(parent, [collection])
    record_event(session, actor_id=actor_id, action=f"{entity_type}.deleted",
                 entity_type=entity_type, entity_id=record_id, before=before)
