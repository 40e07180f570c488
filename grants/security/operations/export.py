"""A person's data, gathered for a subject access request and given to them as JSON."""

import enum
import json
import logging
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.applications.models import Application
from grants.ceremonies.models import CeremonyInvitation
from grants.core import clock
from grants.interest.models import Interest
from grants.offices.operations.scoping import EVERY_OFFICE, office_scope
from grants.organisations.models import Membership
from grants.records.models import AuditEvent, OutboxMessage
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)


def _as_held(record: Any, *names: str) -> dict[str, Any]:
    """The record's values under the names it holds them by."""
    return {name: getattr(record, name) for name in names}


def _account(user: User) -> dict[str, Any]:
    # Never the password hash or the second-factor secret: they are keys, not data about them.
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "roles": sorted(role.value for role in user.roles),
        "high_sheriff_county": user.county.name if user.county else None,
        "term_year": user.term_year,
        "active": user.is_active_account,
        "created_at": user.created_at,
        "email_verified_at": user.email_verified_at,
        "last_signed_in_at": user.last_signed_in_at,
        "password_changed_at": user.password_changed_at,
        "uses_authenticator_app": user.totp_confirmed_at is not None,
        "anonymised_at": user.anonymised_at,
    }


def _memberships(session: Session, user: User) -> list[dict[str, Any]]:
    memberships = session.scalars(
        select(Membership).where(Membership.user_id == user.id).order_by(Membership.id)
    )
    return [{
        "organisation_id": membership.organisation_id,
        "organisation": membership.organisation.name,
        **_as_held(membership, "status", "created_at", "approved_at"),
    } for membership in memberships]


def _applications(session: Session, user: User) -> list[dict[str, Any]]:
    applications = session.scalars(
        select(Application).where(Application.created_by_id == user.id).order_by(Application.id)
    )
    return [{
        **_as_held(application, "id", "reference"),
        "round": application.round.title,
        "organisation": application.organisation.name,
        **_as_held(application, "status", "title", "summary", "description",
                   "amount_requested_pence", "total_cost_pence", "outcomes",
                   "beneficiary_groups", "created_at", "submitted_at", "withdrawn_at",
                   "withdrawal_reason", "declared_by_name", "declared_by_position",
                   "declared_at"),
        "sections": {section.key: section.answers for section in application.sections},
        "documents": [document.original_filename for document in application.documents],
        "anonymised_at": application.anonymised_at,
    } for application in applications]


def _interests(session: Session, user: User) -> list[dict[str, Any]]:
    interests = session.scalars(
        select(Interest).where(Interest.created_by_id == user.id).order_by(Interest.id))
    return [{
        **_as_held(interest, "id"),
        "round": interest.round.title,
        "organisation": interest.organisation.name,
        **_as_held(interest, "status", "title", "summary", "amount_pence", "created_at",
                   "sent_at", "decided_at", "decline_reason"),
    } for interest in interests]


def _ceremony_replies(session: Session, user: User) -> list[dict[str, Any]]:
    """The awards ceremony invitations the person replied to, or was emailed: who is coming,
    their names, access needs and photo consent."""
    invitations = session.scalars(
        select(CeremonyInvitation)
        .where(or_(CeremonyInvitation.replied_by_id == user.id,
                   CeremonyInvitation.sent_to == user.email))
        .order_by(CeremonyInvitation.id))
    return [{
        "ceremony": invitation.ceremony.title,
        "ceremony_starts_at": invitation.ceremony.starts_at,
        "organisation": invitation.organisation.name,
        "replied_by_this_person": invitation.replied_by_id == user.id,
        **_as_held(invitation, "sent_to", "invited_at", "attending", "guests", "guest_names",
                   "access_needs", "photo_consent", "replied_at", "replied_by_phone",
                   "cancelled_at", "anonymised_at"),
    } for invitation in invitations]


def _audit_events(session: Session, user: User) -> list[dict[str, Any]]:
    """What the person did and what was done to their account: of the exporting office, and
    of no office (their own account's and organisations' events, every office's to give
    them), never another office's."""
    query = (select(AuditEvent)
             .where(or_(AuditEvent.actor_id == user.id,
                        (AuditEvent.entity_type == "user") & (AuditEvent.entity_id == user.id)))
             .order_by(AuditEvent.id))
    office_id = office_scope(session)
    if office_id is not None:
        query = query.where(or_(AuditEvent.office_id == office_id,
                                AuditEvent.office_id.is_(None))
                            ).execution_options(**EVERY_OFFICE)
    events = session.scalars(query)
    return [{
        "occurred_at": event.occurred_at,
        "by_this_person": event.actor_id == user.id,
        "action": event.action,
        "record": event.entity_type,
        "record_id": event.entity_id,
        **_as_held(event, "before", "after", "note"),
    } for event in events]


def _emails(session: Session, user: User) -> list[dict[str, Any]]:
    messages = session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == user.email)
        .order_by(OutboxMessage.id)
    )
    return [{
        **_as_held(message, "created_at", "subject"),
        "body": message.body_text,
        **_as_held(message, "status", "sent_at"),
    } for message in messages]


def personal_data(session: Session, user: User) -> dict[str, Any]:
    """Everything the service holds about the person, as plain values."""
    return {
        "exported_at": clock.utcnow(),
        "account": _account(user),
        "memberships": _memberships(session, user),
        "applications_created": _applications(session, user),
        "expressions_of_interest_created": _interests(session, user),
        "ceremony_replies": _ceremony_replies(session, user),
        "audit_events": _audit_events(session, user),
        "emails_sent": _emails(session, user),
    }


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    raise TypeError(f"cannot export {type(value).__name__}")


def export_json(session: Session, user: User, *, actor_id: int | None) -> str:
    """The person's data as JSON, recording who exported it."""
    text = json.dumps(personal_data(session, user), default=_plain, indent=2,
                      ensure_ascii=False)
    record_event(session, actor_id=actor_id, action="user.data_exported", entity_type="user",
                 entity_id=user.id)
    logger.info("data of user %s exported by %s", user.id, actor_id or "the command line")
    return text
