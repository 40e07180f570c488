"""Allocations' email: the offer of an award, from the formula's shares or the top-slice, to
the recipient organisation's contact."""

from sqlalchemy.orm import Session

from grants.awards.models import Award
from grants.awards.notifications import offer_made
from grants.core.emails import email

AWARD_OFFERED = email("allocations.offered", "Grant offer: {award.title}")


def award_offered(session: Session, award: Award) -> None:
    offer_made(session, AWARD_OFFERED, award)
