"""Onward grants: what an intermediary (a Community Foundation) granted from a delegated award,
typed by staff one at a time or read from the intermediary's 360Giving file
(`grants.direct_awards.operations.onward_import`).

The fund's money counts once, in the delegated award; its onward grants say where it went.
They can be recorded once the award is signed off (it has been offered to the intermediary)
and while it is not declined or withdrawn, and together they never add up to more than it: the
sum guard locks the award's row before it adds them up (`grants.core.locks`, as the budget
guard locks a round's), so two members of staff adding grants at the same moment take turns
and the second sees the first's.

An onward grant's priority and key aim, where known, must be among those the allocation was
made to serve: its priority and the priorities of its key aims.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from grants.accounts.models import User
from grants.areas.models import LocalAuthority
from grants.auth import permissions
from grants.awards.models import RELEASED_STATUSES, Award, AwardStatus
from grants.core import clock
from grants.core.errors import Forbidden, NotFound, Refusal, ValidationFailed
from grants.core.formatting import format_london_date
from grants.core.locks import lock_row
from grants.core.money import format_pounds
from grants.core.problems import amount_problem, refuse_any, text_problem
from grants.direct_awards.models import (
    MAX_ONWARD_NAME,
    MAX_ONWARD_ORG_ID,
    MAX_ONWARD_TITLE,
    DirectAward,
    DirectAwardKind,
    OnwardGrant,
)
from grants.direct_awards.operations.listing import delegated_award_of
from grants.direct_awards.operations.onward_figures import OnwardSummary, onward_summaries
from grants.plans.models import KeyAim, Priority
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

# The earliest day an onward grant can have been made: the day the intermediary was offered
# the money, less a year for grants it made in advance of it.
DAYS_BEFORE_OFFER = 366


class OnwardGrantsRefused(Refusal):
    """Onward grants cannot be recorded under this award now; the message says why."""


@dataclass(frozen=True)
class OnwardGrantEntry:
    """An onward grant as staff type it, or as the intermediary's file gives it."""

    recipient_name: str
    amount_pence: int | None
    awarded_on: date | None
    title: str = ""
    recipient_org_id: str = ""
    priority_id: int | None = None
    key_aim_id: int | None = None
    area_ids: Sequence[int] = ()
    serves_whole_thames_valley: bool = False
    identifier: str | None = None  # the intermediary's 360Giving identifier


def served_priorities(direct: DirectAward) -> list[Priority]:
    """The priorities the allocation was made to serve: its priority and those of its key
    aims, in plan order."""
    award = direct.award
    found = {aim.priority.id: aim.priority for aim in award.key_aims}
    if award.priority is not None:
        found[award.priority.id] = award.priority
    return sorted(found.values(), key=lambda priority: priority.number)


def why_no_onward_grants(direct: DirectAward) -> str | None:
    """Why onward grants cannot be recorded under the award now, or None when they can."""
    award = direct.award
    if not direct.delegated:
        return "Only a Community Foundation allocation has onward grants"
    if award.status in RELEASED_STATUSES:
        return (f"The allocation to {award.organisation.name} was {award.status.value}, so no "
                "onward grants can be recorded under it")
    if direct.signed_off_at is None or award.status is AwardStatus.PROPOSED:
        return ("The allocation has not been signed off yet: onward grants are recorded once "
                f"{award.organisation.name} has been offered the money")
    return None


def onward_total_pence(session: Session, award_id: int) -> int:
    """What the award's onward grants add up to: the one sum the guard and every page use."""
    return int(session.scalar(select(func.coalesce(func.sum(OnwardGrant.amount_pence), 0))
                              .where(OnwardGrant.award_id == award_id)) or 0)


def left_to_record_pence(session: Session, direct: DirectAward) -> int:
    """What the allocation holds that no onward grant has been recorded against yet."""
    return direct.award.amount_pence - onward_total_pence(session, direct.award_id)


def check_onward_grants_fit(session: Session, award_id: int, adding_pence: int, *,
                            count: int = 1, field: str = "amount") -> DirectAward:
    """Refuse onward grants that would take the award's onward grants past the award itself,
    naming the figures. Locks the award's row first, so two staff adding grants at once take
    turns; returns the delegated award, read afresh."""
    lock_row(session, Award, award_id, missing="There is no such allocation")
    direct = delegated_award_of(session, award_id)
    refusal = why_no_onward_grants(direct)
    if refusal:
        raise OnwardGrantsRefused(refusal)
    award = direct.award
    recorded = onward_total_pence(session, award_id)
    if recorded + adding_pence <= award.amount_pence:
        return direct
    these = ("This grant" if count == 1
             else f"These {count} grants, {format_pounds(adding_pence)} in all,")
    left = max(award.amount_pence - recorded, 0)
    logger.info("onward grants of %d pence refused under award %s: %d of %d pence recorded",
                adding_pence, award_id, recorded, award.amount_pence)
    raise ValidationFailed({field: (
        f"{these} would take the onward grants of {award.organisation.name} to "
        f"{format_pounds(recorded + adding_pence)}, more than the "
        f"{format_pounds(award.amount_pence)} allocated to it: "
        f"{format_pounds(recorded)} is recorded already, so {format_pounds(left)} is left")})


def _day_problem(direct: DirectAward, day: date | None) -> str | None:
    if day is None:
        return "Enter the date the grant was made"
    if day > clock.today_in_london():
        return "The date the grant was made must be today or in the past"
    offered = direct.award.awarded_on
    if offered is not None and (offered - day).days > DAYS_BEFORE_OFFER:
        return ("The date the grant was made must be no more than a year before the "
                f"allocation was decided, on {format_london_date(offered)}")
    return None


def entry_problems(session: Session, direct: DirectAward,
                   entry: OnwardGrantEntry) -> dict[str, str | None]:
    """What is wrong with each answer of the entry (None for a field that is fine): the
    typed form and the file's rows both ask here."""
    served = served_priorities(direct)
    served_ids = {priority.id for priority in served}
    aim = session.get(KeyAim, entry.key_aim_id) if entry.key_aim_id else None
    priority_id = entry.priority_id or (aim.priority_id if aim is not None else None)
    areas = _areas(session, entry.area_ids)
    served_words = " or ".join(f"{priority.code} {priority.title}" for priority in served)
    priority_problem = None
    if priority_id is not None and priority_id not in served_ids:
        priority_problem = ("Choose a priority the allocation serves: "
                            + (served_words or "it names none"))
    aim_problem = None
    if entry.key_aim_id is not None and (aim is None or aim.retired_at is not None):
        aim_problem = "Choose a key aim from the list"
    elif aim is not None and aim.priority_id != priority_id:
        aim_problem = "Choose a key aim of the priority chosen"
    return {
        "recipient_name": text_problem(entry.recipient_name.strip(),
                                       "Enter the name of the organisation the grant went to",
                                       MAX_ONWARD_NAME, "The organisation's name"),
        "recipient_org_id": (text_problem(entry.recipient_org_id.strip(), "",
                                          MAX_ONWARD_ORG_ID, "The org-id")
                             if entry.recipient_org_id.strip() else None),
        "title": (text_problem(entry.title.strip(), "", MAX_ONWARD_TITLE, "What it is for")
                  if entry.title.strip() else None),
        "amount": amount_problem(entry.amount_pence, "Enter the amount of the grant"),
        "awarded_on": _day_problem(direct, entry.awarded_on),
        "priority": priority_problem,
        "key_aim": aim_problem,
        "areas": (None if len(areas) == len(set(entry.area_ids))
                  else "Choose areas from the list"),
    }


def _areas(session: Session, area_ids: Sequence[int]) -> list[LocalAuthority]:
    if not area_ids:
        return []
    return list(session.scalars(select(LocalAuthority).where(
        LocalAuthority.id.in_(set(area_ids))).order_by(LocalAuthority.name)))


def _onward_grant(session: Session, user: User, direct: DirectAward,
                  entry: OnwardGrantEntry) -> OnwardGrant:
    aim = session.get(KeyAim, entry.key_aim_id) if entry.key_aim_id else None
    whole = entry.serves_whole_thames_valley
    grant = OnwardGrant(
        award_id=direct.award_id, identifier=entry.identifier or None,
        recipient_name=entry.recipient_name.strip(),
        recipient_org_id=entry.recipient_org_id.strip(), title=entry.title.strip(),
        amount_pence=entry.amount_pence, awarded_on=entry.awarded_on,
        priority_id=entry.priority_id or (aim.priority_id if aim is not None else None),
        key_aim_id=entry.key_aim_id, serves_whole_thames_valley=whole,
        areas=[] if whole else _areas(session, entry.area_ids), recorded_by_id=user.id,
        recorded_at=clock.utcnow())
    session.add(grant)
    return grant


def _may_record(user: User) -> None:
    if not permissions.may_record_direct_awards(user):
        raise Forbidden("Only staff record onward grants")


def add_onward_grant(session: Session, user: User, award_id: int,
                     entry: OnwardGrantEntry) -> OnwardGrant:
    """Record one onward grant, typed by staff, under the delegated award."""
    _may_record(user)
    direct = delegated_award_of(session, award_id)
    refusal = why_no_onward_grants(direct)
    if refusal:
        raise OnwardGrantsRefused(refusal)
    refuse_any(entry_problems(session, direct, entry))
    direct = check_onward_grants_fit(session, award_id, entry.amount_pence)
    grant = _onward_grant(session, user, direct, entry)
    session.flush()
    record_event(session, actor_id=user.id, action="award.onward_grant_recorded",
                 entity_type="award", entity_id=award_id,
                 after={"onward_grant_id": grant.id, "amount_pence": grant.amount_pence,
                        "recipient_name": grant.recipient_name,
                        "awarded_on": grant.awarded_on.isoformat()})
    logger.info("onward grant %s of %d pence recorded under award %s by user %s", grant.id,
                grant.amount_pence, award_id, user.id)
    return grant


def add_onward_grants(session: Session, user: User, award_id: int,
                      entries: Sequence[OnwardGrantEntry], *, source: str) -> list[OnwardGrant]:
    """Record onward grants read from the intermediary's file, all or none: each entry has
    been checked (`entry_problems`) by the caller, which names problems by row. `source` is
    the file's name, for the audit record."""
    _may_record(user)
    total = sum(entry.amount_pence or 0 for entry in entries)
    direct = check_onward_grants_fit(session, award_id, total, count=len(entries),
                                     field="onward_file")
    grants = [_onward_grant(session, user, direct, entry) for entry in entries]
    session.flush()
    record_event(session, actor_id=user.id, action="award.onward_grants_imported",
                 entity_type="award", entity_id=award_id,
                 after={"onward_grants": len(grants), "amount_pence": total, "file": source})
    logger.info("%d onward grants, %d pence, imported under award %s by user %s",
                len(grants), total, award_id, user.id)
    return grants


def remove_onward_grant(session: Session, user: User, award_id: int,
                        onward_grant_id: int) -> OnwardGrant:
    """Take out an onward grant recorded by mistake: its amount is left to record again."""
    _may_record(user)
    lock_row(session, Award, award_id, missing="There is no such allocation")
    grant = session.scalars(select(OnwardGrant).where(
        OnwardGrant.id == onward_grant_id, OnwardGrant.award_id == award_id)).one_or_none()
    if grant is None:
        raise NotFound("There is no such onward grant")
    session.delete(grant)
    session.flush()
    record_event(session, actor_id=user.id, action="award.onward_grant_removed",
                 entity_type="award", entity_id=award_id,
                 before={"onward_grant_id": onward_grant_id, "amount_pence": grant.amount_pence,
                         "recipient_name": grant.recipient_name,
                         "identifier": grant.identifier})
    logger.info("onward grant %s of %d pence removed from award %s by user %s",
                onward_grant_id, grant.amount_pence, award_id, user.id)
    return grant


def onward_grants_of(session: Session, award_id: int) -> list[OnwardGrant]:
    """The award's onward grants, the latest made first, with what the page shows of each."""
    return list(session.scalars(
        select(OnwardGrant).where(OnwardGrant.award_id == award_id)
        .options(joinedload(OnwardGrant.priority), joinedload(OnwardGrant.key_aim),
                 selectinload(OnwardGrant.areas))
        .order_by(OnwardGrant.awarded_on.desc(), OnwardGrant.id.desc())).unique())


@dataclass(frozen=True)
class OnwardRecord:
    """A Community Foundation allocation's onward grants as the foundation's members read
    them on their award's page: the figures and the grants."""

    summary: OnwardSummary
    grants: list[OnwardGrant]


def onward_record_of(session: Session, award_id: int) -> OnwardRecord | None:
    """The onward grants recorded under the award when it is a Community Foundation
    allocation, else None. Whoever asks must already be allowed to see the award."""
    kind = session.scalar(select(DirectAward.kind).where(DirectAward.award_id == award_id))
    if kind is not DirectAwardKind.DELEGATED:
        return None
    return OnwardRecord(summary=onward_summaries(session, [award_id])[award_id],
                        grants=onward_grants_of(session, award_id))
