"""Claiming an organisation's account: someone outside the service (a High Sheriff, say) added
the organisation, and its contact is emailed a signed, time-limited link. Whoever opens it,
signed in with that email address, becomes an approved member."""

import logging
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, render_template
from itsdangerous import BadSignature, SignatureExpired
from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.accounts.models import Role, User, UserRole
from grants.accounts.operations import tokens
from grants.core import clock
from grants.core.errors import NotFound, Refusal
from grants.core.links import external_url
from grants.organisations.models import Membership, MembershipStatus, Organisation
from grants.records.operations.audit import record_event
from grants.records.operations.outbox import queue_email

logger = logging.getLogger(__name__)

CLAIM_SALT = "grants.organisations.claim"
# How long an invitation link works, unless the configuration says otherwise.
DEFAULT_MAX_AGE_DAYS = 30
CLAIM_ENDPOINT = "nominations.claim_organisation"


class ClaimRefused(Refusal):
    """The invitation cannot be used by this person; the message says why."""

    status_code = 409


@dataclass(frozen=True)
class ClaimInvitation:
    organisation_id: int
    email: str


def max_age_days() -> int:
    return int(current_app.config.get("CLAIM_INVITATION_MAX_AGE_DAYS", DEFAULT_MAX_AGE_DAYS))


def make_claim_token(organisation_id: int, email: str) -> str:
    """A token for a link that lets the owner of this email address claim the organisation."""
    # The account tokens' serializer reads the service clock, so tests can age a link.
    return tokens.signed_serializer(current_app.config["SECRET_KEY"], CLAIM_SALT).dumps(
        {"organisation_id": organisation_id, "email": email.strip().lower()})


def read_claim_token(token: str) -> ClaimInvitation:
    """The invitation in a claim token, or InvalidToken / ExpiredToken."""
    try:
        payload = tokens.signed_serializer(current_app.config["SECRET_KEY"], CLAIM_SALT).loads(
            token, max_age=int(timedelta(days=max_age_days()).total_seconds()))
    except SignatureExpired:
        raise tokens.ExpiredToken("This invitation has expired") from None
    except BadSignature:
        raise tokens.InvalidToken("This invitation link is not valid") from None
    try:
        return ClaimInvitation(organisation_id=int(payload["organisation_id"]),
                               email=str(payload["email"]))
    except (TypeError, KeyError, ValueError):
        raise tokens.InvalidToken("This invitation link is not valid") from None


def claim_url(organisation_id: int, email: str) -> str:
    return external_url(CLAIM_ENDPOINT, token=make_claim_token(organisation_id, email))


def invite_to_claim(session: Session, organisation: Organisation, *, name: str, email: str,
                    invited_by: User, reason: str, key: str) -> None:
    """Email the contact a link to claim the organisation's account. `reason` finishes the
    sentence "... because ..." in the email."""
    body = render_template(
        "nominations/emails/claim_invitation.txt", organisation=organisation, name=name,
        invited_by=invited_by, reason=reason, claim_url=claim_url(organisation.id, email),
        max_age_days=max_age_days())
    queue_email(session, to_address=email,
                subject=f"Claim {organisation.name}'s account on the grants service",
                body_text=body, idempotency_key=key)
    record_event(session, actor_id=invited_by.id, action="organisation.claim_invited",
                 entity_type="organisation", entity_id=organisation.id,
                 after={"invited_by_id": invited_by.id})
    logger.info("organisation %s: claim invitation sent by user %s", organisation.id,
                invited_by.id)


def invitation_organisation(session: Session, invitation: ClaimInvitation) -> Organisation:
    organisation = session.get(Organisation, invitation.organisation_id)
    if organisation is None:
        raise NotFound("Organisation not found")
    return organisation


def claim(session: Session, user: User, token: str) -> Organisation:
    """Make the person an approved member of the invitation's organisation. They must be
    signed in with the address the invitation was sent to; claiming again changes nothing."""
    invitation = read_claim_token(token)
    organisation = invitation_organisation(session, invitation)
    if user.email != invitation.email:
        raise ClaimRefused("This invitation was sent to a different email address. Sign out, "
                           "then sign in or create an account with the address the "
                           "invitation was sent to")
    membership = session.scalars(select(Membership).where(
        Membership.user_id == user.id, Membership.organisation_id == organisation.id)
    ).one_or_none()
    if membership is not None and membership.status is MembershipStatus.ACTIVE:
        return organisation
    now = clock.utcnow()
    if membership is None:
        membership = Membership(user=user, organisation=organisation,
                                status=MembershipStatus.ACTIVE, approved_at=now)
        session.add(membership)
    else:
        membership.status = MembershipStatus.ACTIVE
        membership.approved_at = now
    if not user.has_role(Role.APPLICANT):
        # A member works on the organisation's offers and applications from the dashboard.
        user.role_rows.append(UserRole(role=Role.APPLICANT))
    session.flush()
    record_event(session, actor_id=user.id, action="membership.claimed",
                 entity_type="organisation", entity_id=organisation.id,
                 after={"user_id": user.id, "status": MembershipStatus.ACTIVE.value})
    logger.info("organisation %s claimed by user %s", organisation.id, user.id)
    return organisation
