"""Who on the applicant's side is told of what happens to an application."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.applications.models import Application
from grants.auth import permissions
from grants.records.models import AuditEvent


def submitter(session: Session, application: Application) -> User | None:
    """The member of the organisation who sent the application (not staff sending it on the
    organisation's behalf), or None."""
    actor_id = session.scalar(
        select(AuditEvent.actor_id)
        .where(AuditEvent.entity_type == "application",
               AuditEvent.entity_id == application.id,
               AuditEvent.action == "application.submitted")
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    candidates = [session.get(User, actor_id) if actor_id else None, application.created_by]
    for user in candidates:
        if user is not None and permissions.is_member_of(user, application.organisation):
            return user
    return None


def applicant_recipients(session: Session, application: Application) -> list[tuple[str, str]]:
    """(key suffix, address) for the organisation's contact and the member who sent the
    application, without repeats."""
    recipients: list[tuple[str, str]] = []
    contact = (application.organisation.contact_email or "").strip()
    if contact:
        recipients.append((":organisation-contact", contact))
    sender = submitter(session, application)
    if sender is not None and sender.email.lower() not in {a.lower() for _, a in recipients}:
        recipients.append((f":user-{sender.id}", sender.email))
    return recipients
