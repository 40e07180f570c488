"""Claiming an organisation's account: someone outside the service (a High Sheriff, say) added
the organisation, and its contact is emailed a signed, time-limited link. Whoever opens it,
signed in with that email address, becomes an approved member."""

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.accounts.models import Role, User, UserRole
from grants.core import clock
from grants.core.errors import Refusal, or_not_found
from grants.organisations import notifications
from grants.organisations.models import Membership, MembershipStatus, Organisation
from grants.organisations.notifications import ClaimInvitation
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)


class ClaimRefused(Refusal):
    """The invitation cannot be used by this person; the message says why."""

    status_code = 409


def invite_to_claim(session: Session, organisation: Organisation, *, name: str, email: str,
                    invited_by: User, reason: str, key: str) -> None:
    """Email the contact a link to claim the organisation's account. `reason` finishes the
    sentence "... because ..." in the email."""
    notifications.claim_invitation(session, organisation, name=name, email=email,
                                   invited_by=invited_by, reason=reason, key=key)
    record_event(session, actor_id=invited_by.id, action="organisation.claim_invited",
                 entity_type="organisation", entity_id=organisation.id,
                 after={"invited_by_id": invited_by.id})
    logger.info("organisation %s: claim invitation sent by user %s", organisation.id,
                invited_by.id)


def invitation_organisation(session: Session, invitation: ClaimInvitation) -> Organisation:
    organisation = session.get(Organisation, invitation.organisation_id)
    return or_not_found(organisation, "Organisation not found")


def claim(session: Session, user: User, token: str) -> Organisation:
    """Make the person an approved member of the invitation's organisation. They must be
    signed in with the address the invitation was sent to; claiming again changes nothing."""
    invitation = notifications.read_claim_token(token)
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
