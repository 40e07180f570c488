"""Sending an application, and the checks before it.

Submitting is judged on the server's clock at the moment the request arrived, and is
idempotent: the application row is locked, and a second submission of a submitted application
returns it unchanged (no second reference, email or audit event).
"""

import logging
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.applications import notifications
from grants.applications.models import Application, ApplicationStatus, ReferenceCounter
from grants.applications.operations.assisted_digital import (
    ASSISTED_SUBMISSION_NOTE,
    is_assisted,
)
from grants.applications.operations.loading import all_sections_complete
from grants.auth import permissions
from grants.core import clock
from grants.core.errors import Conflict, Refusal
from grants.core.locks import lock_row
from grants.core.translatable import N_, Moment, Words
from grants.funds.models import RoundKind, RoundStatus
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)


class SubmissionRefused(Refusal):
    """The application cannot be sent; the message says why, in words for the applicant."""


class ApplicationChanged(Conflict):
    """The application was changed after the person opened the page they submitted from."""

    def __init__(self) -> None:
        super().__init__(N_(
            "The application was changed after you opened this page. Check the answers "
            "below again, then send the application."
        ))


# --- Submitting ---------------------------------------------------------------------------

def submit_application(session: Session, user: User, application: Application, *,
                       expected_version: int | None = None,
                       received_at: datetime | None = None) -> Application:
    """Send the application: give it its reference, queue the confirmation email and record
    the event. A submitted application is returned unchanged, so a repeat does nothing.

    `expected_version` is the application's version when the person opened check your
    answers; when it changed since, they have not seen what they would send. `received_at` is
    when the request reached the server (now, when not given): a submission that arrived
    before the closing time is not refused because it waited for a lock or a check.
    """
    received_at = received_at or clock.utcnow()
    application = lock_row(session, Application, application.id)
    if application.status is not ApplicationStatus.DRAFT:
        if application.reference is not None:
            return application
        raise SubmissionRefused(N_("This application can no longer be sent"))
    if expected_version is not None and expected_version != application.version:
        raise ApplicationChanged()
    _check_may_submit(user, application, received_at)

    number = next_reference_number(session, application.round_id)
    application.sequence = number
    application.reference = f"{application.round.code}-{number:04d}"
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = received_at
    assisted = is_assisted(user, application)
    if assisted and application.assisted_by_id is None:
        application.assisted_by = user
    session.flush()

    record_event(
        session, actor_id=user.id, action="application.submitted",
        entity_type="application", entity_id=application.id,
        before={"status": ApplicationStatus.DRAFT.value},
        after={"status": application.status.value, "reference": application.reference},
        note=ASSISTED_SUBMISSION_NOTE if assisted else "",
    )
    notifications.application_submitted(session, user, application)
    logger.info("application %s submitted as %s in round %s", application.id,
                application.reference, application.round_id)
    return application


def why_not_submittable(user: User, application: Application,
                        now: datetime | None = None) -> str | None:
    """Why this person cannot send the application now, or None when they can."""
    try:
        _check_may_submit(user, application, now or clock.utcnow())
    except SubmissionRefused as refusal:
        return refusal.message
    return None


def _check_may_submit(user: User, application: Application, now: datetime) -> None:
    if not permissions.may_apply_for(user, application.organisation):
        raise SubmissionRefused(
            N_("Only a member of the organisation can send its application"))
    if not permissions.may_submit_applications(user):
        raise SubmissionRefused(
            N_("Confirm your email address before you send the application"))
    if not all_sections_complete(application):
        raise SubmissionRefused(
            N_("Complete every section before you send the application"))
    round_ = application.round
    if now >= round_.closes_at:
        raise SubmissionRefused(Words(
            N_("This round closed at %(moment)s. Your application was not sent."),
            moment=Moment(round_.closes_at)))
    if round_.kind is not RoundKind.OPEN or round_.status_at(now) is not RoundStatus.OPEN:
        raise SubmissionRefused(N_("This round is not taking applications"))


def next_reference_number(session: Session, round_id: int) -> int:
    """The round's next application number, taken in one atomic UPDATE of its counter row.

    Concurrent submissions queue on the counter row's lock, so each gets its own number with
    no gaps (a transaction that rolls back gives its number back).
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    counter = ReferenceCounter.__table__
    session.execute(
        insert(counter).values(round_id=round_id, last_number=0)
        .on_conflict_do_nothing(index_elements=[counter.c.round_id])
    )
    return session.execute(
        update(counter)
        .where(counter.c.round_id == round_id)
        .values(last_number=counter.c.last_number + 1)
        .returning(counter.c.last_number)
    ).scalar_one()
