"""The ceremony's email: the invitation to the awards event, to the invited organisation's
contact, with the link to reply (signed in as a member of the organisation)."""

import logging

from sqlalchemy.orm import Session

from grants.ceremonies.models import CeremonyInvitation
from grants.core.emails import email, rendered
from grants.core.links import external_url
from grants.records.operations.outbox import queue_email

logger = logging.getLogger(__name__)

INVITED = email("ceremonies.invitation", "Invitation: {ceremony.title}")


def invited(session: Session, invitation: CeremonyInvitation) -> None:
    if not invitation.sent_to:
        logger.warning("ceremony invitation %s: no contact address for the email",
                       invitation.id)
        return
    queue_email(session, to_address=invitation.sent_to,
                idempotency_key=f"ceremony-invitation:{invitation.id}",
                **rendered(INVITED, ceremony=invitation.ceremony,
                           organisation=invitation.organisation,
                           reply_url=external_url("ceremonies.reply",
                                                  invitation_id=invitation.id)))
