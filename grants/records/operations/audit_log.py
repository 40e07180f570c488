"""Reading the audit log: events filtered by who did it, which record and when."""

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.core.clock import LONDON
from grants.core.paging import Page, start_of
from grants.records.models import AuditEvent

logger = logging.getLogger(__name__)

PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditFilters:
    """What to show; None means any. Dates are London calendar days, both included."""

    actor_id: int | None = None
    entity_type: str | None = None
    entity_id: int | None = None
    from_day: date | None = None
    to_day: date | None = None


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    actor_name: str | None
    actor_email: str | None


def start_of_london_day(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LONDON).astimezone(UTC)


def _filtered(query: Select, filters: AuditFilters) -> Select:
    if filters.actor_id is not None:
        query = query.where(AuditEvent.actor_id == filters.actor_id)
    if filters.entity_type:
        query = query.where(AuditEvent.entity_type == filters.entity_type)
    if filters.entity_id is not None:
        query = query.where(AuditEvent.entity_id == filters.entity_id)
    if filters.from_day is not None:
        query = query.where(AuditEvent.occurred_at >= start_of_london_day(filters.from_day))
    if filters.to_day is not None:
        query = query.where(
            AuditEvent.occurred_at < start_of_london_day(filters.to_day + timedelta(days=1))
        )
    return query


def audit_page(session: Session, filters: AuditFilters, number: int) -> Page[AuditRow]:
    """One page of events, newest first, with who did each; two queries whatever the page."""
    total = session.scalar(_filtered(select(func.count(AuditEvent.id)), filters)) or 0
    query = _filtered(
        select(AuditEvent, User.name, User.email).outerjoin(User, User.id == AuditEvent.actor_id),
        filters,
    ).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    results = session.execute(query.limit(PAGE_SIZE).offset(start_of(number, PAGE_SIZE))).all()
    rows = [AuditRow(event=event, actor_name=name, actor_email=email)
            for event, name, email in results]
    return Page(items=rows, total=total, number=max(number, 1), size=PAGE_SIZE)


def entity_types(session: Session) -> list[str]:
    """The kinds of record the log has events about, for the filter's choices."""
    return list(session.scalars(
        select(AuditEvent.entity_type).distinct().order_by(AuditEvent.entity_type)
    ))
