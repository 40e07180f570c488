"""The emails about organisations: a request to join, its decision, a member's invitation to
join, and the invitation to claim an organisation's account, with the signed link that
invitation carries."""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.accounts.operations import tokens
from grants.core.emails import email, rendered
from grants.core.links import external_url
from grants.organisations.models import Membership, MembershipInvitation, Organisation
from grants.records.operations.outbox import queue_email

MEMBERSHIP_REQUESTED = email("organisations.membership_requested",
                             "A request to join {organisation.name}")
MEMBERSHIP_APPROVED = email("organisations.membership_approved",
                            "You have joined {organisation.name}")
# Without the name: the person may have asked by a number, which must not tell them the name
# unless the members approve.
MEMBERSHIP_REJECTED = email("organisations.membership_rejected",
                            "Your request to join an organisation")
JOIN_REQUESTED = email("organisations.join_requested", "Your request to join an organisation")
# The name someone typed never comes first, nor in the subject of an email to a stranger.
MEMBERSHIP_INVITATION = email("organisations.membership_invitation",
                              "An invitation to join an organisation on the grants service")
INVITATION_ENDPOINT = "organisations.accept_invitation"
CLAIM_INVITATION = email("organisations.claim_invitation",
                         "Claim {organisation.name}'s account on the grants service")


def membership_requested(session: Session, membership: Membership, member: Membership) -> None:
    """Tell an active member that someone asked to join their organisation."""
    organisation = membership.organisation
    queue_email(
        session, to_address=member.user.email,
        idempotency_key=f"membership-requested:{membership.id}:{member.user_id}",
        **rendered(MEMBERSHIP_REQUESTED, user=membership.user, organisation=organisation,
                   join_url=external_url("organisations.view_organisation",
                                         organisation_id=organisation.id)))


def membership_approved(session: Session, membership: Membership) -> None:
    queue_email(session, to_address=membership.user.email,
                **rendered(MEMBERSHIP_APPROVED, organisation=membership.organisation))


def membership_rejected(session: Session, membership: Membership) -> None:
    queue_email(session, to_address=membership.user.email,
                **rendered(MEMBERSHIP_REJECTED,
                           numbers=numbers_of(membership.organisation)))


def numbers_of(organisation: Organisation) -> str:
    """The organisation's numbers in words ("charity number 1123456"), or "" without any."""
    numbers = []
    if organisation.charity_number:
        numbers.append(f"charity number {organisation.charity_number}")
    if organisation.company_number:
        numbers.append(f"company number {organisation.company_number}")
    return " and ".join(numbers)


def join_requested(session: Session, user: User, number: str) -> None:
    """Tell the person who asked to join by a number what happens next: the same words whether
    or not an organisation has the number."""
    queue_email(session, to_address=user.email,
                **rendered(JOIN_REQUESTED, number=number,
                           dashboard_url=external_url("organisations.dashboard")))


def membership_invitation(session: Session, invitation: MembershipInvitation, token: str, *,
                          max_age_days: int) -> None:
    """Email the invited address the link that joins it to the organisation."""
    queue_email(
        session, to_address=invitation.email,
        idempotency_key=f"membership-invitation:{invitation.id}",
        **rendered(MEMBERSHIP_INVITATION, organisation=invitation.organisation,
                   invited_by=invitation.invited_by, email=invitation.email,
                   invitation_url=external_url(INVITATION_ENDPOINT, token=token),
                   max_age_days=max_age_days))


def claim_invitation(session: Session, organisation: Organisation, *, name: str, email: str,
                     invited_by: User, reason: str, key: str) -> None:
    """Email the contact a link to claim the organisation's account."""
    queue_email(
        session, to_address=email, idempotency_key=key,
        **rendered(CLAIM_INVITATION, organisation=organisation, name=name,
                   invited_by=invited_by, reason=reason,
                   claim_url=claim_url(organisation.id, email), max_age_days=max_age_days()))


# --- The claim link: made for the invitation, read back when it is opened -----------------

CLAIM_SALT = "grants.organisations.claim"
# How long an invitation link works, unless the configuration says otherwise.
DEFAULT_MAX_AGE_DAYS = 30
CLAIM_ENDPOINT = "nominations.claim_organisation"


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
