"""Joining an organisation: asking to join, and a member or staff deciding the request."""

from itsdangerous import BadSignature
from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.accounts.operations.tokens import signed_serializer
from grants.core import clock
from grants.core.errors import NotFound, Refusal
from grants.organisations import notifications
from grants.organisations.models import Membership, MembershipStatus, Organisation
from grants.organisations.operations.listing import active_members
from grants.records.operations.audit import record_event

JOIN_SALT = "grants.organisations.join"
# Long enough to ask on the day registration found the organisation.
JOIN_MAX_AGE_SECONDS = 24 * 60 * 60


def join_token(secret_key: str, user_id: int, organisation_id: int) -> str:
    """What lets this person ask to join this organisation: given when registration finds it
    already registered, so nobody can ask to join (and learn the name of) any other by its id."""
    return signed_serializer(secret_key, JOIN_SALT).dumps([user_id, organisation_id])


def check_join_token(secret_key: str, token: str | None, user_id: int,
                     organisation_id: int) -> None:
    """NotFound unless the token was given to this person for this organisation, lately."""
    try:
        payload = signed_serializer(secret_key, JOIN_SALT).loads(
            token or "", max_age=JOIN_MAX_AGE_SECONDS)
    except BadSignature:
        raise NotFound("Organisation not found") from None
    if payload != [user_id, organisation_id]:
        raise NotFound("Organisation not found")


def ask_to_join(session: Session, user: User, organisation: Organisation) -> Membership:
    """A pending membership that an existing member or staff approves. Asking twice is one
    request; a member asking changes nothing."""
    membership = session.scalars(select(Membership).where(
        Membership.user_id == user.id, Membership.organisation_id == organisation.id)
    ).one_or_none()
    if membership is not None:
        return membership
    membership = Membership(user=user, organisation=organisation,
                            status=MembershipStatus.PENDING)
    session.add(membership)
    session.flush()
    record_event(session, actor_id=user.id, action="membership.requested",
                 entity_type="organisation", entity_id=organisation.id,
                 after={"user_id": user.id})
    for member in active_members(organisation):
        notifications.membership_requested(session, membership, member)
    return membership


def decide_membership(session: Session, actor: User, membership: Membership,
                      *, approve: bool) -> None:
    """Approve or reject a request to join. Rejecting removes the request."""
    if membership.status is not MembershipStatus.PENDING:
        raise Refusal("This request has already been decided")
    organisation = membership.organisation
    if approve:
        membership.status = MembershipStatus.ACTIVE
        membership.approved_at = clock.utcnow()
        membership.approved_by_id = actor.id
    else:
        session.delete(membership)
    record_event(session, actor_id=actor.id,
                 action="membership.approved" if approve else "membership.rejected",
                 entity_type="organisation", entity_id=organisation.id,
                 after={"user_id": membership.user_id})
    if approve:
        notifications.membership_approved(session, membership)
    else:
        notifications.membership_rejected(session, membership)
    session.flush()
