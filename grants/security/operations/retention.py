"""Retention: anonymising unsuccessful applications (and expressions of interest that led to
none that succeeded), unused accounts and the replies to awards ceremonies after N years.

What stays: references, statuses, amounts, dates, rounds, organisations and areas, so every
figure and report stays right; and audit events, which keep the ids they name. What goes: the
free text people wrote (which may name or describe people), uploaded documents, a person's
name, email address and password, and a ceremony reply's people (names, access needs, photo
consent) and the address the invitation went to, keeping whether they came and how many.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.applications.models import Application, ApplicationStatus
from grants.ceremonies.models import Ceremony, CeremonyInvitation
from grants.core import clock
from grants.documents.operations.storage import DocumentStorage, delete_when_committed
from grants.funds.models import Round
from grants.interest.models import Interest
from grants.records.models import OutboxMessage
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

# Applications that led to no award; a draft never sent is abandoned once its round closed.
UNSUCCESSFUL_STATUSES = frozenset({
    ApplicationStatus.DECLINED, ApplicationStatus.INELIGIBLE, ApplicationStatus.WITHDRAWN,
    ApplicationStatus.DRAFT,
})
# Application fields whose words are the applicant's own; emptied.
FREE_TEXT_FIELDS = ("summary", "description", "other_funding", "beneficiary_groups", "outcomes",
                    "withdrawal_reason", "declared_by_name", "declared_by_position")
DELETED_USER_NAME = "Deleted user"
REMOVED = "[removed under the retention policy]"


@dataclass
class RetentionReport:
    cutoff: datetime
    application_ids: list[int] = field(default_factory=list)
    user_ids: list[int] = field(default_factory=list)
    documents_removed: int = 0
    emails_redacted: int = 0
    ceremony_reply_ids: list[int] = field(default_factory=list)
    interest_ids: list[int] = field(default_factory=list)


def cutoff_for(years: int, now: datetime | None = None) -> datetime:
    """The moment N years before now (29 February falls back to the 28th)."""
    now = now or clock.utcnow()
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return now.replace(year=now.year - years, day=28)


def applications_due(session: Session, cutoff: datetime) -> list[Application]:
    """Unsuccessful applications of rounds that closed before the cutoff, not yet anonymised."""
    return list(session.scalars(
        select(Application)
        .join(Round, Round.id == Application.round_id)
        .where(Round.closes_at < cutoff,
               Application.status.in_(UNSUCCESSFUL_STATUSES),
               Application.anonymised_at.is_(None))
        .order_by(Application.id)
    ))


def interests_due(session: Session, cutoff: datetime) -> list[Interest]:
    """Expressions of interest to rounds that closed before the cutoff, not yet anonymised,
    unless the organisation's application to the round is kept (it led somewhere)."""
    kept_application = exists().where(
        Application.round_id == Interest.round_id,
        Application.organisation_id == Interest.organisation_id,
        Application.status.not_in(UNSUCCESSFUL_STATUSES))
    return list(session.scalars(
        select(Interest)
        .join(Round, Round.id == Interest.round_id)
        .where(and_(Round.closes_at < cutoff, Interest.anonymised_at.is_(None),
                    ~kept_application))
        .order_by(Interest.id)))


def anonymise_interest(session: Session, interest: Interest, *, now: datetime) -> None:
    """Empty the expression of interest's words (and staff's reason for declining it) and
    remove its answers; keep its round, organisation, status, amount and dates."""
    interest.title = f"Expression of interest {interest.id} (anonymised)"
    interest.summary = ""
    interest.decline_reason = ""
    interest.question_answers.clear()
    interest.anonymised_at = now
    session.flush()
    record_event(session, actor_id=None, action="interest.anonymised",
                 entity_type="interest", entity_id=interest.id,
                 note="retention: its round closed long ago")


def users_due(session: Session, cutoff: datetime) -> list[User]:
    """Accounts nobody has signed in to since the cutoff (or ever, made before it)."""
    last_used = func.coalesce(User.last_signed_in_at, User.created_at)
    return list(session.scalars(
        select(User).where(last_used < cutoff, User.anonymised_at.is_(None)).order_by(User.id)
    ))


def ceremony_replies_due(session: Session, cutoff: datetime) -> list[CeremonyInvitation]:
    """The invitations of ceremonies held before the cutoff, not yet anonymised."""
    return list(session.scalars(
        select(CeremonyInvitation)
        .join(Ceremony, Ceremony.id == CeremonyInvitation.ceremony_id)
        .where(Ceremony.starts_at < cutoff, CeremonyInvitation.anonymised_at.is_(None))
        .order_by(CeremonyInvitation.id)))


def anonymise_ceremony_reply(session: Session, invitation: CeremonyInvitation, *,
                             now: datetime) -> None:
    """Remove the reply's people and the invitation's address; keep whether they came and
    how many."""
    invitation.guest_names = ""
    invitation.access_needs = ""
    invitation.photo_consent = None
    invitation.sent_to = ""
    invitation.anonymised_at = now
    session.flush()
    record_event(session, actor_id=None, action="ceremony_invitation.anonymised",
                 entity_type="ceremony_invitation", entity_id=invitation.id,
                 note="retention: the ceremony was held long ago")


def anonymise_application(session: Session, storage: DocumentStorage,
                          application: Application, *, now: datetime) -> int:
    """Empty the application's own words and remove its documents; the count removed."""
    for name in FREE_TEXT_FIELDS:
        setattr(application, name, "")
    application.title = f"Application {application.reference or application.id} (anonymised)"
    for section in application.sections:
        section.answers = {}
    for line in application.budget_lines:
        line.description = f"Budget line {line.position}"
    documents = list(application.documents)
    for document in documents:
        application.documents.remove(document)
        session.delete(document)
        delete_when_committed(session, storage, document.storage_key)
    application.anonymised_at = now
    session.flush()
    record_event(session, actor_id=None, action="application.anonymised",
                 entity_type="application", entity_id=application.id,
                 note=f"retention: {len(documents)} documents removed")
    return len(documents)


def anonymise_user(session: Session, user: User, *, now: datetime) -> int:
    """Replace the person's details with placeholders; the count of their emails redacted."""
    old_email = user.email
    user.email = f"deleted-user-{user.id}@invalid"
    user.name = DELETED_USER_NAME
    # Not a hash of any password, so nothing signs in as this account again.
    user.password_hash = "!retention"
    user.is_active_account = False
    user.email_verified_at = None
    user.totp_secret = None
    user.totp_confirmed_at = None
    user.anonymised_at = now
    messages = list(session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == old_email)
    ))
    for message in messages:
        message.to_address = user.email
        message.body_text = REMOVED
    session.flush()
    record_event(session, actor_id=None, action="user.anonymised", entity_type="user",
                 entity_id=user.id, note="retention: account unused")
    return len(messages)


def run_retention(session: Session, storage: DocumentStorage, *, years: int,
                  dry_run: bool = False) -> RetentionReport:
    """Anonymise what is due after `years` (or, for a dry run, only say what is)."""
    if years < 1:
        raise ValueError("RETENTION_YEARS must be 1 or more")
    now = clock.utcnow()
    report = RetentionReport(cutoff=cutoff_for(years, now))
    applications = applications_due(session, report.cutoff)
    users = users_due(session, report.cutoff)
    replies = ceremony_replies_due(session, report.cutoff)
    interests = interests_due(session, report.cutoff)
    report.interest_ids = [interest.id for interest in interests]
    report.application_ids = [application.id for application in applications]
    report.user_ids = [user.id for user in users]
    report.ceremony_reply_ids = [invitation.id for invitation in replies]
    if dry_run:
        report.documents_removed = sum(len(application.documents) for application in applications)
        emails = [user.email for user in users]
        report.emails_redacted = session.scalar(
            select(func.count(OutboxMessage.id)).where(OutboxMessage.to_address.in_(emails))
        ) if emails else 0
        return report
    for application in applications:
        report.documents_removed += anonymise_application(session, storage, application, now=now)
    for user in users:
        report.emails_redacted += anonymise_user(session, user, now=now)
    for invitation in replies:
        anonymise_ceremony_reply(session, invitation, now=now)
    for interest in interests:
        anonymise_interest(session, interest, now=now)
    logger.info("retention anonymised %d applications, %d expressions of interest, %d accounts "
                "and %d ceremony replies (cutoff %s)", len(applications), len(interests),
                len(users), len(replies), report.cutoff.isoformat())
    return report
