"""The guest list staff read and download: every invited organisation with its reply, and the
figures above it (invited, replied, coming, people, access needs to plan for)."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from grants.ceremonies.models import Ceremony, CeremonyInvitation
from grants.core import clock
from grants.core.spreadsheets import csv_text
from grants.organisations.models import Organisation

HEADER = ("Organisation", "Invitation emailed to", "Invited on", "Replied on", "Attending",
          "Number of people", "Names", "Access needs", "Photo consent", "Reply taken by phone",
          "Cancelled on")


@dataclass(frozen=True)
class GuestFigures:
    invited: int
    replied: int
    attending: int  # organisations coming
    people: int
    with_access_needs: int


def guest_list(session: Session, ceremony: Ceremony) -> list[CeremonyInvitation]:
    """The ceremony's invitations, by organisation name: one query."""
    return list(session.scalars(
        select(CeremonyInvitation).join(CeremonyInvitation.organisation)
        .where(CeremonyInvitation.ceremony_id == ceremony.id)
        .options(joinedload(CeremonyInvitation.organisation))
        .order_by(Organisation.name, CeremonyInvitation.id)))


def figures(invitations: list[CeremonyInvitation]) -> GuestFigures:
    """The guest list's figures, of the invitations not cancelled."""
    invitations = [i for i in invitations if not i.cancelled]
    coming = [i for i in invitations if i.attending]
    return GuestFigures(
        invited=len(invitations), replied=sum(1 for i in invitations if i.replied),
        attending=len(coming), people=sum(i.guests or 0 for i in coming),
        with_access_needs=sum(1 for i in coming if i.access_needs))


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("Yes" if value else "No")


def _london_day(moment) -> str:
    return clock.to_london(moment).date().isoformat() if moment else ""


def guest_list_csv(invitations: list[CeremonyInvitation]) -> str:
    """A row per invited organisation, every cell made formula-safe."""
    return csv_text([HEADER, *(
        [i.organisation.name, i.sent_to, _london_day(i.invited_at), _london_day(i.replied_at),
         _yes_no(i.attending), i.guests, i.guest_names, i.access_needs,
         _yes_no(i.photo_consent), _yes_no(i.replied_by_phone) if i.replied else "",
         _london_day(i.cancelled_at)]
        for i in invitations)])


def guest_list_file_name(ceremony: Ceremony) -> str:
    return f"ceremony-{ceremony.id}-guests-{ceremony.financial_year.replace('/', '-')}.csv"
