"""Direct awards' email: the offer of a direct award, to the recipient organisation's contact,
once a second member of staff has signed it off."""

import logging

from sqlalchemy.orm import Session

from grants.awards.models import Award
from grants.core.emails import email, rendered
from grants.core.links import external_url
from grants.records.operations.outbox import queue_email

logger = logging.getLogger(__name__)

AWARD_OFFERED = email("direct_awards.offered", "Grant offer: {award.title}")


def award_offered(session: Session, award: Award) -> None:
    address = (award.organisation.contact_email or "").strip()
    if not address:
        logger.warning("direct award %s: no contact address for the offer email", award.id)
        return
    queue_email(session, to_address=address, idempotency_key=f"award-offered:{award.id}",
                **rendered(AWARD_OFFERED, award=award,
                           offer_url=external_url("awards.view_offer", award_id=award.id)))
