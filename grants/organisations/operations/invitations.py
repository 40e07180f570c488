"""Invitations to join an organisation: a member sends one to an email address, and its link,
opened by the account with that address, makes that person a member.

The link holds a random token of which only a hash is kept. It works once, until it expires,
and only for the account whose email address it was sent to; to anyone else it says so without
naming the organisation.
"""

import hashlib
import logging
import secrets
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from grants.accounts.models import Role, User, UserRole
from grants.accounts.operations.users import checked_email
from grants.core import clock
from grants.core.errors import NotFound, Refusal
from grants.core.translatable import N_
from grants.organisations import notifications
from grants.organisations.models import (
    Membership,
    MembershipInvitation,
    MembershipStatus,
    Organisation,
)
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

TOKEN_BYTES = 32
# Longer than any token we make; anything longer is not looked up.
MAX_TOKEN_LENGTH = 100


class InvitationRefused(Refusal):
    """The invitation was genuine but cannot be used any more; the message says why."""

    status_code = 410


class NotTheInvitedAccount(InvitationRefused):
    """Someone signed in with another email address opened the invitation."""

    status_code = 403


def hashed(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(session: Session, organisation: Organisation, inviter: User, email: str, *,
           max_age_days: int) -> MembershipInvitation:
    """Email an invitation to join the organisation to this address."""
    email = checked_email(email)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = clock.utcnow()
    invitation = MembershipInvitation(
        organisation=organisation, email=email, token_hash=hashed(token), invited_by=inviter,
        created_at=now, expires_at=now + timedelta(days=max_age_days))
    session.add(invitation)
    session.flush()
    record_event(session, actor_id=inviter.id, action="membership.invited",
                 entity_type="organisation", entity_id=organisation.id,
                 after={"invitation_id": invitation.id})
    logger.info("organisation %s: invitation %s sent by user %s", organisation.id,
                invitation.id, inviter.id)
    notifications.membership_invitation(session, invitation, token, max_age_days=max_age_days)
    return invitation


def open_invitations(session: Session, organisation: Organisation) -> list[MembershipInvitation]:
    """The organisation's invitations not yet used and not expired, newest first."""
    return list(session.scalars(
        select(MembershipInvitation)
        .where(MembershipInvitation.organisation_id == organisation.id,
               MembershipInvitation.used_at.is_(None),
               MembershipInvitation.expires_at > clock.utcnow())
        .order_by(MembershipInvitation.created_at.desc(), MembershipInvitation.id.desc())))


def invitation_for(session: Session, token: str) -> MembershipInvitation:
    """The invitation the token belongs to; NotFound when none does."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise NotFound("Invitation not found")
    invitation = session.scalars(select(MembershipInvitation).where(
        MembershipInvitation.token_hash == hashed(token))).one_or_none()
    if invitation is None:
        raise NotFound("Invitation not found")
    return invitation


def check_usable(invitation: MembershipInvitation, user: User) -> None:
    """Refused unless the person holds the invited address and the invitation is unused and
    in date. The address is checked first, so nobody else learns anything more."""
    if user.email != invitation.email:
        raise NotTheInvitedAccount(
            N_("This invitation was sent to a different email address. Sign out, then sign in "
               "or create an account with the address the invitation was sent to"))
    if invitation.used_at is not None:
        raise InvitationRefused(N_("This invitation has already been used"))
    if invitation.expires_at <= clock.utcnow():
        raise InvitationRefused(N_("This invitation has expired"))


def accept(session: Session, user: User, token: str) -> Organisation:
    """Make the person an approved member of the invitation's organisation, and use the
    invitation up."""
    invitation = invitation_for(session, token)
    check_usable(invitation, user)
    now = clock.utcnow()
    # Used once, even by two requests at the same moment: the update applies to one of them.
    taken = session.execute(
        update(MembershipInvitation)
        .where(MembershipInvitation.id == invitation.id, MembershipInvitation.used_at.is_(None))
        .values(used_at=now, used_by_id=user.id)
        .execution_options(synchronize_session=False)).rowcount
    if taken != 1:
        raise InvitationRefused(N_("This invitation has already been used"))
    session.refresh(invitation)
    organisation = invitation.organisation
    membership = session.scalars(select(Membership).where(
        Membership.user_id == user.id, Membership.organisation_id == organisation.id)
    ).one_or_none()
    if membership is None:
        membership = Membership(user=user, organisation=organisation)
        session.add(membership)
    if membership.status is not MembershipStatus.ACTIVE:
        membership.status = MembershipStatus.ACTIVE
        membership.approved_at = now
        membership.approved_by_id = invitation.invited_by_id
    if not user.has_role(Role.APPLICANT):
        # A member works on the organisation's applications from the dashboard.
        user.role_rows.append(UserRole(role=Role.APPLICANT))
    session.flush()
    record_event(session, actor_id=user.id, action="membership.invitation_accepted",
                 entity_type="organisation", entity_id=organisation.id,
                 after={"user_id": user.id, "invitation_id": invitation.id})
    logger.info("organisation %s: user %s joined by invitation %s", organisation.id, user.id,
                invitation.id)
    return organisation
