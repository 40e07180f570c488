"""The demo's awards ceremony: this financial year's recipients of every fund invited to an
evening at Oxford Town Hall six weeks from now: one of them has replied, staff took another's
reply by phone and cancelled a third's invitation. Never in production."""

import logging
from datetime import time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.ceremonies.models import Ceremony, CeremonyInvitation
from grants.ceremonies.operations.changing import cancel_invitation, take_reply_by_phone
from grants.ceremonies.operations.inviting import recipients, send_invitations
from grants.ceremonies.operations.planning import CeremonyEntry, create_ceremony, financial_years
from grants.ceremonies.operations.replying import Reply, reply
from grants.core import clock
from grants.organisations.models import Membership, MembershipStatus

logger = logging.getLogger(__name__)

WEEKS_AHEAD = 6
CANCELLED_MESSAGE = ("As agreed on the phone, we have cancelled this invitation: the "
                     "Commissioner will present your award at your own open day instead.")


def seed_demo_ceremony(session: Session, staff: User) -> Ceremony | None:
    """Plan the ceremony, invite every recipient of the year and record one member's reply;
    nothing when the year has no recipients yet."""
    today = clock.today_in_london()
    this_year = financial_years(today)[0]
    ceremony = create_ceremony(session, staff, CeremonyEntry(
        title=f"Community awards {this_year}",
        day=today + timedelta(weeks=WEEKS_AHEAD), at=time(18, 30), place="Oxford Town Hall",
        address="St Aldate's\nOxford\nOX1 1BX",
        notes="Doors open at 6pm. The hall has step-free access from St Aldate's and a hearing "
              "loop. Light refreshments are served after the presentations.",
        financial_year=this_year))
    chosen = [recipient.organisation.id for recipient in recipients(session, ceremony)]
    if not chosen:
        logger.info("seed-demo: no recipients this year, so no ceremony invitations")
        return ceremony
    invitations = send_invitations(session, staff, ceremony, chosen)
    for invitation in invitations:
        member = session.scalars(select(User).join(Membership, Membership.user_id == User.id).where(
            Membership.organisation_id == invitation.organisation_id,
            Membership.status == MembershipStatus.ACTIVE).order_by(User.id)).first()
        if member is not None:
            reply(session, member, invitation, Reply(
                attending=True, guests=3, guest_names="Chair, treasurer and a volunteer",
                access_needs="One wheelchair user", photo_consent=True))
            break
    _phone_reply_and_cancellation(session, staff,
                                  [invitation for invitation in invitations
                                   if not invitation.replied])
    logger.info("seed-demo: ceremony %s with %d invitations", ceremony.id, len(invitations))
    return ceremony


def _phone_reply_and_cancellation(session: Session, staff: User,
                                  unanswered: list[CeremonyInvitation]) -> None:
    """So that a newcomer sees each on the guest list: one reply staff took by phone, and one
    invitation cancelled (its certificate stays the recipient's)."""
    if unanswered:
        take_reply_by_phone(session, staff, unanswered[0], Reply(
            attending=True, guests=2, guest_names="Our manager and a volunteer",
            photo_consent=False))
    if len(unanswered) > 1:
        cancel_invitation(session, staff, unanswered[-1], CANCELLED_MESSAGE)
