"""The one place a Community Foundation allocation's onward grants are added up: how many,
how much, to how many organisations, and by priority, key aim and area served. The
allocation's page, the year and round reports and the panel paragraph all read these figures,
so they agree.

The fund's money is the allocation itself (counted once, as the fund's award to the
intermediary); these figures say where it went beneath it, and never add to a report's totals.
A fixed number of queries, whatever the number of allocations or grants.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grants.areas.models import LocalAuthority
from grants.awards.models import Award
from grants.core.translatable import N_
from grants.direct_awards.models import OnwardGrant, onward_grant_area
from grants.funds.models import Fund, Round
from grants.offices.models import Office
from grants.organisations.models import Organisation
from grants.plans.models import KeyAim, Priority

logger = logging.getLogger(__name__)

NONE_CODE = "none"
THAMES_VALLEY_CODE = "thames-valley"
# Marked for the Welsh catalogue: a recipient's page says them in its language.
NO_PRIORITY_NAME = N_("No priority recorded")
NO_KEY_AIM_NAME = N_("No key aim recorded")
NO_AREA_NAME = N_("No area recorded")
# The row of grants serving the whole of the allocating office's area: "The whole of" its name.
WHOLE_AREA_WORDS = "The whole of "


@dataclass(frozen=True)
class OnwardRow:
    """One row of a breakdown of onward grants."""

    code: str
    name: str
    grants: int
    amount_pence: int


@dataclass(frozen=True)
class OnwardSummary:
    """A Community Foundation allocation and the onward grants recorded under it."""

    award_id: int
    intermediary: str
    title: str
    decided_on: date | None
    allocated_pence: int
    grants: int = 0
    amount_pence: int = 0
    recipients: int = 0
    recipient_names: tuple[str, ...] = ()
    by_priority: tuple[OnwardRow, ...] = ()
    by_key_aim: tuple[OnwardRow, ...] = ()
    by_area: tuple[OnwardRow, ...] = ()
    # The priorities the grants serve, by title, in plan order (for the panel paragraph).
    priority_titles: tuple[str, ...] = field(default=())

    @property
    def left_pence(self) -> int:
        """What the allocation holds that no onward grant has been recorded against yet."""
        return self.allocated_pence - self.amount_pence

    def to_json(self) -> dict[str, Any]:
        return {"award_id": self.award_id, "intermediary": self.intermediary,
                "title": self.title,
                "decided_on": self.decided_on.isoformat() if self.decided_on else None,
                "allocated_pence": self.allocated_pence, "onward_grants": self.grants,
                "onward_amount_pence": self.amount_pence, "recipients": self.recipients,
                "left_pence": self.left_pence,
                "by_priority": [asdict(row) for row in self.by_priority],
                "by_key_aim": [asdict(row) for row in self.by_key_aim],
                "by_area": [asdict(row) for row in self.by_area]}


def _recipient_key():
    """An onward recipient is known by its org-id, else by its name."""
    return func.coalesce(func.nullif(OnwardGrant.recipient_org_id, ""),
                         func.lower(OnwardGrant.recipient_name))


def onward_summaries(session: Session, award_ids: Iterable[int]) -> dict[int, OnwardSummary]:
    """The summary of each of these allocations' onward grants, by award id. Six queries."""
    ids = sorted(set(award_ids))
    if not ids:
        return {}
    of_awards = OnwardGrant.award_id.in_(ids)
    awards = session.execute(
        select(Award.id, Organisation.name, Award.title, Award.awarded_on, Award.amount_pence)
        .join(Organisation, Organisation.id == Award.organisation_id)
        .where(Award.id.in_(ids))).all()
    totals = {award_id: (int(grants), int(amount), int(recipients))
              for award_id, grants, amount, recipients in session.execute(
                  select(OnwardGrant.award_id, func.count(OnwardGrant.id),
                         func.sum(OnwardGrant.amount_pence),
                         func.count(func.distinct(_recipient_key())))
                  .where(of_awards).group_by(OnwardGrant.award_id))}
    names: dict[int, set[str]] = defaultdict(set)
    for award_id, name in session.execute(
            select(OnwardGrant.award_id, OnwardGrant.recipient_name).where(of_awards)
            .distinct()):
        names[award_id].add(name)
    by_priority = _by_priority(session, of_awards)
    by_key_aim = _by_key_aim(session, of_awards)
    by_area = _by_area(session, of_awards)
    return {
        award_id: OnwardSummary(
            award_id=award_id, intermediary=intermediary, title=title, decided_on=awarded_on,
            allocated_pence=int(allocated),
            grants=totals.get(award_id, (0, 0, 0))[0],
            amount_pence=totals.get(award_id, (0, 0, 0))[1],
            recipients=totals.get(award_id, (0, 0, 0))[2],
            recipient_names=tuple(sorted(names[award_id], key=str.casefold)),
            by_priority=tuple(row for row, _ in by_priority[award_id]),
            by_key_aim=tuple(by_key_aim[award_id]),
            by_area=tuple(by_area[award_id]),
            priority_titles=tuple(title for row, title in by_priority[award_id] if title))
        for award_id, intermediary, title, awarded_on, allocated in awards}


def _by_priority(session: Session, of_awards) -> dict[int, list[tuple[OnwardRow, str]]]:
    """Each grant once, under its priority; those with none last. With each priority's
    title as a sentence names it."""
    rows = session.execute(
        select(OnwardGrant.award_id, Priority.code, Priority.title, Priority.number,
               func.count(OnwardGrant.id), func.sum(OnwardGrant.amount_pence))
        .outerjoin(Priority, Priority.id == OnwardGrant.priority_id)
        .where(of_awards)
        .group_by(OnwardGrant.award_id, Priority.code, Priority.title, Priority.number)).all()
    found: dict[int, list[tuple[OnwardRow, str]]] = defaultdict(list)
    for award_id, code, title, _number, grants, amount in sorted(
            rows, key=lambda row: (row[0], row[1] is None, row[3] or 0)):
        found[award_id].append((OnwardRow(code or NONE_CODE, title or NO_PRIORITY_NAME,
                                          int(grants), int(amount)), title or ""))
    return found


def _by_key_aim(session: Session, of_awards) -> dict[int, list[OnwardRow]]:
    rows = session.execute(
        select(OnwardGrant.award_id, Priority.code, Priority.number, KeyAim.number, KeyAim.text,
               func.count(OnwardGrant.id), func.sum(OnwardGrant.amount_pence))
        .outerjoin(KeyAim, KeyAim.id == OnwardGrant.key_aim_id)
        .outerjoin(Priority, Priority.id == KeyAim.priority_id)
        .where(of_awards)
        .group_by(OnwardGrant.award_id, Priority.code, Priority.number, KeyAim.number,
                  KeyAim.text)).all()
    found: dict[int, list[OnwardRow]] = defaultdict(list)
    for award_id, code, _, number, text, grants, amount in sorted(
            rows, key=lambda row: (row[0], row[3] is None, row[2] or 0, row[3] or 0)):
        found[award_id].append(OnwardRow(f"{code}.{number}" if number is not None else NONE_CODE,
                                         text or NO_KEY_AIM_NAME, int(grants), int(amount)))
    return found


def _by_area(session: Session, of_awards) -> dict[int, list[OnwardRow]]:
    """Each grant in full once per council it serves; the whole of the office's area (the
    office whose fund made the allocation, read in the same query), and no area recorded,
    last."""
    rows = session.execute(
        select(OnwardGrant.award_id, OnwardGrant.serves_whole_thames_valley,
               LocalAuthority.gss_code, LocalAuthority.name, Office.short_name,
               func.count(OnwardGrant.id), func.sum(OnwardGrant.amount_pence))
        .join(Award, Award.id == OnwardGrant.award_id)
        .join(Round, Round.id == Award.round_id)
        .join(Fund, Fund.id == Round.fund_id)
        .join(Office, Office.id == Fund.office_id)
        .outerjoin(onward_grant_area, onward_grant_area.c.onward_grant_id == OnwardGrant.id)
        .outerjoin(LocalAuthority, LocalAuthority.id == onward_grant_area.c.local_authority_id)
        .where(of_awards)
        .group_by(OnwardGrant.award_id, OnwardGrant.serves_whole_thames_valley,
                  LocalAuthority.gss_code, LocalAuthority.name, Office.short_name)).all()
    found: dict[int, list[tuple[tuple, OnwardRow]]] = defaultdict(list)
    for award_id, whole, gss, name, office_name, grants, amount in rows:
        if whole:
            key, row = (1, ""), OnwardRow(THAMES_VALLEY_CODE, WHOLE_AREA_WORDS + office_name,
                                          0, 0)
        elif gss is None:
            key, row = (2, ""), OnwardRow(NONE_CODE, NO_AREA_NAME, 0, 0)
        else:
            key, row = (0, name), OnwardRow(gss, name, 0, 0)
        found[award_id].append((key, OnwardRow(row.code, row.name, int(grants), int(amount))))
    merged: dict[int, list[OnwardRow]] = {}
    for award_id, keyed in found.items():
        # A grant serving the office's whole area has no areas of its own: one row each.
        totals: dict[tuple, OnwardRow] = {}
        for key, row in keyed:
            before = totals.get(key)
            totals[key] = row if before is None else OnwardRow(
                row.code, row.name, before.grants + row.grants,
                before.amount_pence + row.amount_pence)
        merged[award_id] = [totals[key] for key in sorted(totals)]
    return defaultdict(list, merged)
