"""Submitting an application, withdrawing it, and the checks around them.

Submitting is judged on the server's clock at the moment the request arrived, and is
idempotent: the application row is locked, and a second submission of a submitted application
returns it unchanged (no second reference, email or audit event).
"""

import logging
from datetime import date, datetime

from flask import render_template
from sqlalchemy import and_, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, joinedload

from grants.accounts.models import User
from grants.applications.models import Application, ApplicationStatus, ReferenceCounter
from grants.applications.services import all_sections_complete
from grants.auth import permissions
from grants.awards.models import RELEASED_STATUSES, Award, AwardStatus
from grants.core import clock
from grants.core.errors import Conflict, Refusal, ValidationFailed
from grants.core.formatting import format_london_datetime, format_pounds
from grants.core.links import external_url
from grants.funds.models import Fund, Round, RoundKind, RoundOrganisationType, RoundStatus
from grants.organisations.models import Organisation
from grants.records.operations.audit import record_event
from grants.records.operations.outbox import queue_email

logger = logging.getLogger(__name__)

MAX_WITHDRAWAL_REASON = 500
FAIR_SHARE_FUND_CODE = "PPAF"
ASSISTED_SUBMISSION_NOTE = "assisted digital: submitted by staff on the organisation's behalf"


class SubmissionRefused(Refusal):
    """The application cannot be sent; the message says why, in words for the applicant."""


class ApplicationChanged(Conflict):
    """The application was changed after the person opened the page they submitted from."""

    def __init__(self) -> None:
        super().__init__(
            "The application was changed after you opened this page. Check the answers "
            "below again, then send the application."
        )


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
    application = _lock(session, application.id)
    if application.status is not ApplicationStatus.DRAFT:
        if application.reference is not None:
            return application
        raise SubmissionRefused("This application can no longer be sent")
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
    _queue_submitted_emails(session, user, application)
    logger.info("application %s submitted as %s in round %s", application.id,
                application.reference, application.round_id)
    return application


def _lock(session: Session, application_id: int) -> Application:
    """The application row, locked until the transaction ends, with its values re-read.

    On PostgreSQL a second submission waits here until the first commits, then sees it
    submitted. SQLite ignores FOR UPDATE: it lets one writer in at a time instead.
    """
    return session.scalars(
        select(Application)
        .where(Application.id == application_id)
        .with_for_update(of=Application)
        .execution_options(populate_existing=True)
    ).one()


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
        raise SubmissionRefused("Only a member of the organisation can send its application")
    if not permissions.may_submit_applications(user):
        raise SubmissionRefused("Confirm your email address before you send the application")
    if not all_sections_complete(application):
        raise SubmissionRefused("Complete every section before you send the application")
    round_ = application.round
    if now >= round_.closes_at:
        raise SubmissionRefused(
            f"This round closed at {format_london_datetime(round_.closes_at)}. "
            "Your application was not sent.")
    if round_.kind is not RoundKind.OPEN or round_.status_at(now) is not RoundStatus.OPEN:
        raise SubmissionRefused("This round is not taking applications")


def is_assisted(user: User, application: Application) -> bool:
    """A staff member acting for an organisation they do not belong to (assisted digital)."""
    return (permissions.is_staff(user)
            and not permissions.is_member_of(user, application.organisation))


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


def _recipients(user: User, application: Application) -> list[tuple[str, str]]:
    """(key suffix, address) for each person told about the application, without repeats."""
    recipients = [("", user.email)]
    contact = (application.organisation.contact_email or "").strip()
    if contact and contact.lower() != user.email.lower():
        recipients.append((":organisation-contact", contact))
    return recipients


def _queue_submitted_emails(session: Session, user: User, application: Application) -> None:
    body = render_template(
        "applications/emails/submitted.txt", application=application,
        view_url=external_url("applications.view_application", application_id=application.id),
    )
    for suffix, address in _recipients(user, application):
        queue_email(
            session, to_address=address,
            subject=f"Application {application.reference} received",
            body_text=body,
            idempotency_key=f"application-submitted:{application.id}{suffix}",
        )


# --- Withdrawing --------------------------------------------------------------------------

def withdraw_application(session: Session, user: User, application: Application,
                         reason: str) -> Application:
    """Withdraw a submitted application before a decision. Repeating it does nothing."""
    application = _lock(session, application.id)
    if application.status is ApplicationStatus.WITHDRAWN:
        return application
    if not permissions.may_withdraw_application(user, application):
        raise Refusal("This application can no longer be withdrawn")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": "Enter why you are withdrawing the application"})
    if len(reason) > MAX_WITHDRAWAL_REASON:
        raise ValidationFailed({"reason": "The reason must be "
                                f"{MAX_WITHDRAWAL_REASON} characters or fewer"})
    before = application.status.value
    application.status = ApplicationStatus.WITHDRAWN
    application.withdrawn_at = clock.utcnow()
    application.withdrawal_reason = reason
    _release_unpublished_award(session, application)
    session.flush()
    record_event(
        session, actor_id=user.id, action="application.withdrawn",
        entity_type="application", entity_id=application.id,
        before={"status": before}, after={"status": application.status.value, "reason": reason},
    )
    body = render_template(
        "applications/emails/withdrawn.txt", application=application, user=user,
        view_url=external_url("applications.view_application", application_id=application.id),
    )
    for suffix, address in _recipients(user, application):
        queue_email(
            session, to_address=address,
            subject=f"Application {application.reference} withdrawn",
            body_text=body,
            idempotency_key=f"application-withdrawn:{application.id}{suffix}",
        )
    logger.info("application %s withdrawn", application.id)
    return application


# --- Fair share ---------------------------------------------------------------------------

def _release_unpublished_award(session: Session, application: Application) -> None:
    """A decided application withdrawn before its decision is published gives its award's
    money back to the round at once."""
    award = session.scalars(select(Award).where(
        Award.application_id == application.id, Award.status.not_in(RELEASED_STATUSES))
    ).one_or_none()
    if award is None:
        return
    award.status = AwardStatus.WITHDRAWN
    award.withdrawn_at = clock.utcnow()
    award.withdrawal_reason = ("The applicant withdrew the application before the decision "
                               "was published")
    logger.info("award %s of %sp released: application %s withdrawn", award.id,
                award.amount_pence, application.id)


def recent_ppaf_award(session: Session, organisation: Organisation,
                      now: datetime) -> Award | None:
    """The organisation's latest Police Property Act Fund award of the last 12 months, if any.

    Counts awards the organisation has been told about (the round's decisions are published,
    or the award was imported) and has not declined or had withdrawn. An award's date is the
    day it was awarded, or when that is not recorded, when it was made.
    """
    today = clock.to_london(now).date()
    since_day = _a_year_before(today)
    since = now - (today - since_day)
    return session.scalars(
        select(Award)
        .join(Award.round)
        .join(Round.fund)
        .where(
            Award.organisation_id == organisation.id,
            Fund.code == FAIR_SHARE_FUND_CODE,
            Award.status.not_in(RELEASED_STATUSES),
            or_(Round.decisions_published_at.is_not(None),
                Award.external_identifier.is_not(None)),
            or_(Award.awarded_on >= since_day,
                and_(Award.awarded_on.is_(None), Award.created_at >= since)),
        )
        .options(joinedload(Award.round).joinedload(Round.fund))
        .order_by(Award.awarded_on.desc().nulls_last(), Award.created_at.desc())
        .limit(1)
    ).first()


def _a_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def fair_share_warning(award: Award) -> str:
    """The warning an applicant sees when their organisation had a recent grant."""
    when = award.awarded_on or clock.to_london(award.created_at).date()
    return (
        f"Your organisation had a {award.round.fund.name} grant of "
        f"{format_pounds(award.amount_pence)} in {when:%B %Y}. You can still apply, but the "
        "panel gives priority to organisations that have not had a recent grant."
    )


# --- Assisted digital ---------------------------------------------------------------------

def open_rounds_for(session: Session, organisation: Organisation,
                    now: datetime) -> list[Round]:
    """The rounds open now that accept the organisation's type, closing soonest first."""
    accepting = select(RoundOrganisationType.round_id).where(
        RoundOrganisationType.organisation_type == organisation.organisation_type)
    return list(session.scalars(
        select(Round)
        .where(Round.kind == RoundKind.OPEN, Round.launched_at.is_not(None),
               Round.archived_at.is_(None), Round.assessing_at.is_(None),
               Round.decided_at.is_(None), Round.decisions_published_at.is_(None),
               Round.opens_at <= now, Round.closes_at > now, Round.id.in_(accepting))
        .options(joinedload(Round.fund))
        .order_by(Round.closes_at, Round.code)
    ))
