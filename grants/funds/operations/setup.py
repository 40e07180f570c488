"""What a round funds and whom for: its priorities and key aims, the organisation types that
may apply, and a nomination round's allocation per county."""

import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.areas.models import County
from grants.core.errors import Conflict, ValidationFailed
from grants.core.locks import lock_row
from grants.core.money import format_pounds
from grants.funds.models import CountyAllocation, Round, RoundKind, RoundOrganisationType
from grants.funds.operations.history import setup_snapshot
from grants.funds.operations.rounds import refuse_when_locked
from grants.organisations.models import OrganisationType
from grants.plans.models import KeyAim, Priority
from grants.plans.operations.reading import current_plan, offerable_priorities
from grants.records.operations.audit import record_changes

logger = logging.getLogger(__name__)

PRIORITIES_LOCKED = "the priorities it funds"
ORGANISATION_TYPES_LOCKED = "who may apply"


@dataclass(frozen=True)
class PriorityChoice:
    """A priority staff may choose for a round, with the key aims they may choose under it."""

    priority: Priority
    key_aims: list[KeyAim]


def priority_choices(session: Session, round_: Round) -> list[PriorityChoice]:
    """The current plan's priorities and key aims that are not retired, plus any (retired or of
    an earlier plan) that the round already funds, so saving never drops them unseen."""
    plan = current_plan(session)
    offered = offerable_priorities(session, plan) if plan is not None else []
    aims: dict[int, dict[int, KeyAim]] = {}
    priorities: dict[int, Priority] = {}
    for item in offered:
        priorities[item.priority.id] = item.priority
        aims[item.priority.id] = {aim.id: aim for aim in item.key_aims}
    for priority in round_.priorities:
        priorities.setdefault(priority.id, priority)
        aims.setdefault(priority.id, {})
    for aim in round_.key_aims:
        if aim.priority_id in aims:
            aims[aim.priority_id].setdefault(aim.id, aim)
    return [
        PriorityChoice(priority, sorted(aims[priority.id].values(), key=lambda a: a.number))
        for priority in sorted(priorities.values(), key=lambda p: (p.plan_id, p.number))
    ]


def set_priorities(session: Session, round_: Round, priority_ids: list[int],
                   key_aim_ids: list[int], *, actor_id: int | None) -> Round:
    """The priorities (and key aims within them) the round funds; open rounds need one."""
    refuse_when_locked(session, round_, PRIORITIES_LOCKED, "priorities")
    choices = {choice.priority.id: choice for choice in priority_choices(session, round_)}
    wanted = list(dict.fromkeys(priority_ids))
    chosen = [choices[i].priority for i in wanted if i in choices]
    errors = {}
    if len(chosen) != len(wanted):
        errors["priorities"] = "Choose priorities from the list"
    elif round_.kind is RoundKind.OPEN and not chosen:
        errors["priorities"] = "Choose at least one priority for an open round"
    aims = {aim.id: aim for i in wanted if i in choices for aim in choices[i].key_aims}
    if any(i not in aims for i in key_aim_ids):
        errors["key_aims"] = ("Choose only key aims of the priorities you choose: tick each "
                              "key aim's priority too, or untick the key aim")
    if errors:
        raise ValidationFailed(errors)
    before = setup_snapshot(round_)
    round_.priorities = chosen
    round_.key_aims = [aims[i] for i in dict.fromkeys(key_aim_ids)]
    session.flush()
    record_changes(session, "round.priorities_changed", "round", round_.id, before,
                   setup_snapshot(round_), actor_id)
    return round_


def set_organisation_types(session: Session, round_: Round, types: list[OrganisationType], *,
                           actor_id: int | None) -> Round:
    """The kinds of organisation that may apply."""
    refuse_when_locked(session, round_, ORGANISATION_TYPES_LOCKED, "organisation_types")
    before = setup_snapshot(round_)
    wanted = set(types)
    for row in list(round_.organisation_type_rows):
        if row.organisation_type not in wanted:
            round_.organisation_type_rows.remove(row)
    for kind in OrganisationType:
        if kind in wanted and kind not in round_.organisation_types:
            round_.organisation_type_rows.append(RoundOrganisationType(organisation_type=kind))
    session.flush()
    record_changes(session, "round.organisation_types_changed", "round", round_.id, before,
                   setup_snapshot(round_), actor_id)
    return round_


def counties_with_high_sheriffs(session: Session) -> list[County]:
    return list(session.scalars(
        select(County).where(County.has_high_sheriff).order_by(County.name)
    ))


def allocation_field(county: County) -> str:
    """The form field of a county's allocation."""
    return f"county_{county.id}"


def set_county_allocations(session: Session, round_: Round, amounts: dict[int, int | None],
                           *, actor_id: int | None) -> Round:
    """A nomination round's allocation per county (None: no allocation); they must add up to
    no more than the budget."""
    if round_.kind is not RoundKind.NOMINATION:
        raise Conflict("Only nomination rounds have allocations per county")
    round_ = lock_row(session, Round, round_.id)
    counties = counties_with_high_sheriffs(session)
    total = sum(amounts.get(c.id) or 0 for c in counties)
    if total > round_.budget_pence and counties:
        raise ValidationFailed({allocation_field(counties[0]): (
            f"The allocations add up to {format_pounds(total)}, which is more than the "
            f"round's budget of {format_pounds(round_.budget_pence)}")})
    before = setup_snapshot(round_)
    existing = {a.county_id: a for a in round_.county_allocations}
    for county in counties:
        amount, row = amounts.get(county.id), existing.get(county.id)
        if amount is None and row is not None:
            round_.county_allocations.remove(row)
        elif amount is not None and row is not None:
            row.amount_pence = amount
        elif amount is not None:
            round_.county_allocations.append(CountyAllocation(county=county, amount_pence=amount))
    session.flush()
    record_changes(session, "round.allocations_changed", "round", round_.id, before,
                   setup_snapshot(round_), actor_id)
    logger.info("round %s county allocations now total %d pence", round_.id, total)
    return round_
