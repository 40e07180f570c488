"""Staff's changes to one invitation: sending it again to another address (the contact
changed, or the email bounced), cancelling it (its contact is told, and its link stops
answering), and recording a reply an organisation gave by phone, on its behalf.

Each is audited; none keeps the reply's people (names, access needs) in the audit record."""

import logging

from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.ceremonies import notifications
from grants.ceremonies.models import CeremonyInvitation
from grants.ceremonies.operations.replying import Reply, record_reply, why_not_open
from grants.core import clock
from grants.core.errors import Refusal, ValidationFailed
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

MAX_ADDRESS = 254
MAX_MESSAGE = 1000
ADDRESS_FORMAT = "Enter an email address in the correct format, like name@example.org"
ALREADY_CANCELLED = "This invitation has been cancelled"


def why_not_changeable(invitation: CeremonyInvitation) -> str | None:
    """Why staff may no longer change the invitation: cancelled, or the ceremony started."""
    if invitation.cancelled:
        return ALREADY_CANCELLED
    return why_not_open(invitation.ceremony)


def _address(text: str) -> str:
    address = text.strip()
    if (not address or "@" not in address.strip("@") or len(address) > MAX_ADDRESS
            or any(character.isspace() for character in address)):
        raise ValidationFailed({"sent_to": ADDRESS_FORMAT})
    return address


def send_again(session: Session, user: User, invitation: CeremonyInvitation,
               sent_to: str) -> CeremonyInvitation:
    """Email the invitation again, to this address (kept as the invitation's); audited. The
    reply already given stays."""
    Refusal.raise_if(why_not_changeable(invitation))
    address = _address(sent_to)
    changed = address != invitation.sent_to
    invitation.sent_to = address
    session.flush()
    notifications.invited_again(session, invitation)
    record_event(session, actor_id=user.id, action="ceremony.invitation_sent_again",
                 entity_type="ceremony_invitation", entity_id=invitation.id,
                 after={"address_changed": changed})
    logger.info("ceremony invitation %s sent again by user %s", invitation.id, user.id)
    return invitation


def cancel_invitation(session: Session, user: User, invitation: CeremonyInvitation,
                      message: str = "") -> CeremonyInvitation:
    """Withdraw the invitation: its contact is emailed (with staff's message, if any), its
    reply link answers 404 from now on and it leaves the guest list's figures; audited."""
    Refusal.raise_if(why_not_changeable(invitation))
    message = message.strip()
    if len(message) > MAX_MESSAGE:
        raise ValidationFailed({"message": f"The message must be {MAX_MESSAGE:,} characters "
                                           "or fewer"})
    invitation.cancelled_at = clock.utcnow()
    invitation.cancelled_by_id = user.id
    session.flush()
    notifications.cancelled(session, invitation, message)
    record_event(session, actor_id=user.id, action="ceremony.invitation_cancelled",
                 entity_type="ceremony_invitation", entity_id=invitation.id,
                 after={"organisation_id": invitation.organisation_id,
                        "emailed": bool(invitation.sent_to)})
    logger.info("ceremony invitation %s cancelled by user %s", invitation.id, user.id)
    return invitation


def take_reply_by_phone(session: Session, user: User, invitation: CeremonyInvitation,
                        answer: Reply) -> CeremonyInvitation:
    """Record (or change) the organisation's reply as staff heard it by phone, on its behalf,
    until the ceremony starts; audited as taken by phone."""
    Refusal.raise_if(why_not_changeable(invitation))
    return record_reply(session, user, invitation, answer, by_phone=True)
