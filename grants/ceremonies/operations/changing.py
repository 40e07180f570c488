"""Staff's changes to a ceremony and its invitations: changing the ceremony's details (every
organisation invited is told), sending one invitation again to another address (the contact
changed, or the email bounced), cancelling it (its contact is told, and its link stops
answering), and recording a reply an organisation gave by phone, on its behalf.

Each is audited; none keeps the reply's people (names, access needs) in the audit record."""

import logging

from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.ceremonies import notifications
from grants.ceremonies.models import Ceremony, CeremonyInvitation
from grants.ceremonies.operations.planning import CeremonyEntry, checked
from grants.ceremonies.operations.replying import Reply, record_reply, why_not_open
from grants.core import clock
from grants.core.errors import Refusal, ValidationFailed
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

MAX_ADDRESS = 254
MAX_MESSAGE = 1000
ADDRESS_FORMAT = "Enter an email address in the correct format, like name@example.org"
ALREADY_CANCELLED = "This invitation has been cancelled"
WHOSE_FIXED = ("Whose recipients are invited cannot change once invitations are sent: cancel "
               "them first")
# What the invited are told of when it changes.
TOLD_OF = ("title", "starts_at", "place", "address", "notes")


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


def change_ceremony(session: Session, user: User, ceremony: Ceremony,
                    entry: CeremonyEntry) -> Ceremony:
    """Change the ceremony's details until it starts; every organisation invited (and not
    cancelled) is emailed the new details with its link when what they were told changes.
    Whose recipients it is for stays as it is once anyone is invited. Audited."""
    Refusal.raise_if(why_not_open(ceremony))
    values = checked(session, entry)
    live = [invitation for invitation in ceremony.invitations if not invitation.cancelled]
    if live and (entry.fund_id != ceremony.fund_id
                 or entry.financial_year != ceremony.financial_year):
        raise ValidationFailed({"fund" if entry.fund_id != ceremony.fund_id
                                else "financial_year": WHOSE_FIXED})
    before = {name: getattr(ceremony, name) for name in TOLD_OF}
    for name, value in values.items():
        setattr(ceremony, name, value)
    ceremony.fund_id, ceremony.financial_year = entry.fund_id, entry.financial_year
    session.flush()
    changed = sorted(name for name in TOLD_OF if getattr(ceremony, name) != before[name])
    if changed:
        for invitation in live:
            notifications.ceremony_changed(session, invitation)
    record_event(session, actor_id=user.id, action="ceremony.changed", entity_type="ceremony",
                 entity_id=ceremony.id,
                 before={"starts_at": before["starts_at"].isoformat(),
                         "place": before["place"]},
                 after={"starts_at": ceremony.starts_at.isoformat(), "place": ceremony.place,
                        "changed": changed, "told": len(live) if changed else 0})
    logger.info("ceremony %s changed by user %s: %s", ceremony.id, user.id, changed)
    return ceremony
