"""The monthly publication: each month's 360Giving file of the grants published that month
(their decisions published, a direct award signed off), kept as it was published.

A month is published once it has ended, by staff from the monthly files page, by
`flask export-360giving --month 2026-11`, or by the worker on the first of the next month. A
published file is never overwritten: publishing the month again when its grants have changed
since (an award withdrawn, its details corrected) adds the month's next version, and both stay
listed; when nothing has changed, the month's latest file stands and nothing is added.
"""

import json
import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, defer

from grants.core import clock
from grants.core.errors import NotFound, Refusal
from grants.core.months import (
    MonthError,
    month_after,
    month_before,
    month_label,
    month_name,
    parse_month,
)
from grants.opendata.models import MonthlyPublication
from grants.opendata.operations.export import Selection, iter_grants, write_json
from grants.opendata.operations.threesixty import Publisher
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)


class MonthRefused(Refusal):
    """The month cannot be published now; the message says why."""


@dataclass(frozen=True)
class Published:
    file: MonthlyPublication
    created: bool  # False: the month's latest file already held these grants


def checked_month(label: str, today: date) -> str:
    """The month as "2026-11", once it has ended (its grants are then all known)."""
    try:
        first = parse_month(label)
    except MonthError as error:
        raise MonthRefused(str(error), field="month") from None
    if month_after(first) > today:
        raise MonthRefused(f"{month_name(month_label(first))} has not ended yet: its file can "
                           f"be published from 1 {month_after(first):%B %Y}", field="month")
    return month_label(first)


def last_month(today: date) -> str:
    """The month before today's, the one staff publish next: "2026-11" in December 2026."""
    return month_label(month_before(today.replace(day=1)))


def _latest(session: Session, month: str) -> MonthlyPublication | None:
    return session.scalars(
        select(MonthlyPublication).where(MonthlyPublication.month == month)
        .order_by(MonthlyPublication.version.desc()).limit(1)).one_or_none()


def _grants_of(content: str) -> list[dict[str, Any]]:
    return json.loads(content)["grants"]


def publish_month(session: Session, month: str, publisher: Publisher, *,
                  actor_id: int | None) -> Published:
    """Publish the month's file: its first version, or the next one when the month's grants
    have changed since the latest. Refused for a month not yet over or with no grants."""
    month = checked_month(month, clock.today_in_london())
    grants = list(iter_grants(session, Selection(month=month), publisher))
    if not grants:
        raise MonthRefused(f"No grants were published in {month_name(month)}, so there is no "
                           "file to publish: a 360Giving file needs at least one grant",
                           field="month")
    latest = _latest(session, month)
    if latest is not None and _grants_of(latest.content) == json.loads(json.dumps(grants)):
        return Published(file=latest, created=False)
    version = latest.version + 1 if latest is not None else 1
    content = "".join(write_json(iter(grants), publisher))
    amount = sum(round(grant["amountAwarded"] * 100) for grant in grants)
    file = MonthlyPublication(month=month, version=version, content=content,
                              grant_count=len(grants), amount_pence=amount,
                              published_at=clock.utcnow(), published_by_id=actor_id)
    try:
        with session.begin_nested():
            session.add(file)
            session.flush()
    except IntegrityError:
        # Someone published the same version at the same moment: theirs stands.
        raise MonthRefused(f"Version {version} of {month_name(month)} was published a moment "
                           "ago: look at the list of files again") from None
    record_event(session, actor_id=actor_id, action="opendata.month_published",
                 entity_type="monthly_publication", entity_id=file.id,
                 after={"month": month, "version": version, "grant_count": len(grants),
                        "amount_pence": amount,
                        "replaces_version": latest.version if latest else None})
    logger.info("monthly file %s version %d published by user %s: %d grants, %d pence",
                month, version, actor_id, len(grants), amount)
    return Published(file=file, created=True)


@dataclass(frozen=True)
class MonthFiles:
    """A month's published files, newest version first."""

    month: str
    files: list[MonthlyPublication]

    @property
    def name(self) -> str:
        return month_name(self.month)


def monthly_files(session: Session) -> list[MonthFiles]:
    """Every published file, newest month first, without their contents."""
    rows = session.scalars(
        select(MonthlyPublication).options(defer(MonthlyPublication.content))
        .order_by(MonthlyPublication.month.desc(), MonthlyPublication.version.desc())).all()
    months: dict[str, list[MonthlyPublication]] = {}
    for row in rows:
        months.setdefault(row.month, []).append(row)
    return [MonthFiles(month, files) for month, files in months.items()]


def monthly_file(session: Session, month: str, version: int) -> MonthlyPublication:
    """One published file, or NotFound."""
    try:
        month = month_label(parse_month(month))
    except MonthError:
        raise NotFound("There is no such monthly file") from None
    file = session.scalars(select(MonthlyPublication).where(
        MonthlyPublication.month == month, MonthlyPublication.version == version)).one_or_none()
    if file is None:
        raise NotFound("There is no such monthly file")
    return file


def published_versions(session: Session, month: str) -> int:
    """How many versions of the month are published."""
    return session.scalar(select(func.count(MonthlyPublication.id))
                          .where(MonthlyPublication.month == month)) or 0


def file_name(file: MonthlyPublication) -> str:
    return f"360giving-{file.month}-v{file.version}.json"


