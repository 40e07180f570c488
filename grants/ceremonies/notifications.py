"""The ceremony's emails, to the invited organisation's contact: the invitation to the awards
event, with the link to reply (signed in as a member of the organisation), sent again when
staff ask; the ceremony's new details when staff change them; and word that staff cancelled
it."""

import logging

from sqlalchemy.orm import Session

from grants.ceremonies.models import Ceremony, CeremonyInvitation
from grants.core import clock
from grants.core.emails import Email, email, rendered
from grants.core.links import external_url
from grants.offices.operations.speaking import OfficeFacts, office_facts
from grants.records.operations.outbox import queue_email

logger = logging.getLogger(__name__)

INVITED = email("ceremonies.invitation", "Invitation: {ceremony.title}")
CANCELLED = email("ceremonies.invitation_cancelled", "Invitation cancelled: {ceremony.title}")
CHANGED = email("ceremonies.ceremony_changed", "Change to the awards ceremony: {ceremony.title}")


def _office(session: Session, ceremony: Ceremony) -> OfficeFacts:
    """The office whose ceremony it is."""
    return office_facts(session, ceremony.office_id)


def _to_invitation(session: Session, invitation: CeremonyInvitation, kind: Email, key: str,
                   **values) -> None:
    """Queue `kind` to the address the invitation went to, with the ceremony, its office and
    the organisation; with no address, only logged."""
    if not invitation.sent_to:
        logger.warning("ceremony invitation %s: no contact address for the email",
                       invitation.id)
        return
    queue_email(session, to_address=invitation.sent_to, idempotency_key=key,
                **rendered(kind, office=_office(session, invitation.ceremony),
                           ceremony=invitation.ceremony,
                           organisation=invitation.organisation, **values))


def _reply_url(invitation: CeremonyInvitation) -> str:
    return external_url("ceremonies.reply", invitation_id=invitation.id)


def invited(session: Session, invitation: CeremonyInvitation, *, again: bool = False) -> None:
    """The invitation, with its link; `again` (to a new address, or after a cancellation)
    is a new email, whichever one went before."""
    key = f"ceremony-invitation:{invitation.id}"
    if again:
        key += f":{clock.utcnow().isoformat()}:{invitation.sent_to}"
    _to_invitation(session, invitation, INVITED, key, reply_url=_reply_url(invitation))


def invited_again(session: Session, invitation: CeremonyInvitation) -> None:
    invited(session, invitation, again=True)


def cancelled(session: Session, invitation: CeremonyInvitation, message: str) -> None:
    """To the address the invitation went to: it is withdrawn, with staff's message."""
    _to_invitation(session, invitation, CANCELLED,
                   f"ceremony-invitation-cancelled:{invitation.id}:"
                   f"{invitation.cancelled_at.isoformat()}", message=message)


def ceremony_changed(session: Session, invitation: CeremonyInvitation) -> None:
    """To the address the invitation went to: the ceremony's new details, with the link."""
    _to_invitation(session, invitation, CHANGED,
                   f"ceremony-changed:{invitation.id}:{clock.utcnow().isoformat()}",
                   reply_url=_reply_url(invitation))
