"""Audit events are written once and never changed or deleted through the application."""

import logging

from sqlalchemy import Delete, Update, event
from sqlalchemy.orm import ORMExecuteState, Session

from grants.records.models import AuditEvent

logger = logging.getLogger(__name__)


class AuditEventIsPermanent(RuntimeError):
    """Something tried to change or delete an audit event: a fault in the code, not a refusal."""


def refuse_changed_audit_events(session: Session, flush_context, instances) -> None:
    """Refuse a flush that would update or delete an audit event."""
    for instance in session.deleted:
        if isinstance(instance, AuditEvent):
            raise AuditEventIsPermanent("Audit events cannot be deleted")
    for instance in session.dirty:
        if isinstance(instance, AuditEvent) and session.is_modified(instance):
            raise AuditEventIsPermanent("Audit events cannot be changed")


def refuse_bulk_changes_to_audit_events(state: ORMExecuteState) -> None:
    """Refuse `update(AuditEvent)` and `delete(AuditEvent)` statements, which skip the flush."""
    if not (state.is_update or state.is_delete):
        return
    statement = state.statement
    if isinstance(statement, Update | Delete) and statement.table.name == AuditEvent.__tablename__:
        raise AuditEventIsPermanent("Audit events cannot be changed or deleted")


def install() -> None:
    """Listen on every session (idempotent)."""
    if not event.contains(Session, "before_flush", refuse_changed_audit_events):
        event.listen(Session, "before_flush", refuse_changed_audit_events)
    if not event.contains(Session, "do_orm_execute", refuse_bulk_changes_to_audit_events):
        event.listen(Session, "do_orm_execute", refuse_bulk_changes_to_audit_events)
