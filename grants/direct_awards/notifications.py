"""Direct awards' email: the offer of a direct award, to the recipient organisation's contact,
once a second member of staff has signed it off."""

from sqlalchemy.orm import Session

from grants.awards.models import Award
from grants.awards.notifications import offer_made
from grants.core.emails import email

AWARD_OFFERED = email("direct_awards.offered", "Grant offer: {award.title}")


def award_offered(session: Session, award: Award) -> None:
    offer_made(session, AWARD_OFFERED, award)
