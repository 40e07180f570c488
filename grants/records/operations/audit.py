"""Writing audit events: who did what to which record, in the same transaction as the change.

Every event is written here (`record_event`), and here it is given its office, so the audit log
of an office's staff is scoped as every other office-owned record is (grants.offices.operations
.scoping): an office's admin reads their office's events and no other's.

Which office an event is:
- the office of the record it is about, when that record is one office's own (a round, an
  application, an award, a member of an office's staff...), whoever wrote it: an applicant's
  actions on an application to an office's round are that office's, as its staff's are;
- otherwise the office the writing session is scoped to: what an office's staff did to a
  record every office shares (an organisation, an applicant's account), or to one since
  deleted, is their office's;
- otherwise none: what applicants do to their own accounts and organisations, and what
  commands do to records every office shares (a key rotation, the monthly publication).

An event of no office is read by no office's staff. Such events are about records every
office shares, and reading them leaks nothing of any office; but they are no office's either,
and an event can carry an office's words in its values (an organisation's record as one
office's staff saw it), so the rule that cannot leak is: an office reads its own events alone.
Nothing an office's admin read before about their office's records is lost: every event about
one of them is that office's, by the first rule. A person's data export also reads the events
of no office about that person (grants.security.operations.export).
"""

import logging
from typing import Any

from sqlalchemy.orm import Session

from grants.offices.operations.owning import office_of_record
from grants.offices.operations.scoping import office_scope
from grants.records.models import AuditEvent

logger = logging.getLogger(__name__)


def record_event(
    session: Session,
    *,
    actor_id: int | None,
    action: str,
    entity_type: str,
    entity_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    """Add an audit event to the current transaction, so it stands or falls with the change."""
    office_id = office_of_record(session, entity_type, entity_id)
    event = AuditEvent(
        office_id=office_id if office_id is not None else office_scope(session),
        actor_id=actor_id,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        before=before,
        after=after,
        note=note,
    )
    session.add(event)
    session.flush()
    return event


def record_changes(session: Session, action: str, entity_type: str, entity_id: int,
                   before: dict[str, Any], after: dict[str, Any], actor_id: int | None
                   ) -> None:
    """An audit event with only the values that changed (none when nothing did)."""
    changed = [key for key in after if before.get(key) != after[key]]
    if changed:
        record_event(session, actor_id=actor_id, action=action, entity_type=entity_type,
                     entity_id=entity_id, before={k: before.get(k) for k in changed},
                     after={k: after[k] for k in changed})
