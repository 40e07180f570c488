"""Nominations' emails: the offer to a nominated organisation, the High Sheriff told of staff's
answer (approved, changes requested, declined). The invitation to claim the account of an
organisation a High Sheriff entered is organisations' own."""

from datetime import datetime

from sqlalchemy.orm import Session

from grants.awards.models import Award
from grants.core.emails import email, rendered
from grants.core.links import external_url
from grants.nominations.models import Nomination
from grants.offices.operations.speaking import office_of_round
from grants.organisations.notifications import claim_url
from grants.records.operations.outbox import queue_email

AWARD_OFFERED = email("nominations.offered",
                      "{organisation.name} has been offered a High Sheriff award")
APPROVED = email("nominations.approved",
                 "Your nomination of {nomination.organisation.name} was approved")
CHANGES_REQUESTED = email("nominations.changes_requested",
                          "Please change your nomination of {nomination.organisation.name}")
DECLINED = email("nominations.declined",
                 "Your nomination of {nomination.organisation.name} was declined")


def award_offered(session: Session, nomination: Nomination, award: Award, address: str, *,
                  with_claim_link: bool) -> None:
    """The organisation's offer, to one of its members or the nomination's contact."""
    organisation = nomination.organisation
    queue_email(session, to_address=address,
                idempotency_key=f"nomination-offer:{award.id}:{address}",
                **rendered(AWARD_OFFERED, office=office_of_round(session, nomination.round),
                           nomination=nomination, award=award,
                           organisation=organisation,
                           offer_url=external_url("awards.view_offer", award_id=award.id),
                           claim_url=(claim_url(organisation.id, address) if with_claim_link
                                      else None)))


def nomination_approved(session: Session, nomination: Nomination) -> None:
    _tell_high_sheriff(session, APPROVED, nomination, "approved")


def changes_requested(session: Session, nomination: Nomination) -> None:
    _tell_high_sheriff(session, CHANGES_REQUESTED, nomination, "changes-requested")


def nomination_declined(session: Session, nomination: Nomination) -> None:
    _tell_high_sheriff(session, DECLINED, nomination, "declined")


def _tell_high_sheriff(session: Session, declared, nomination: Nomination, outcome: str) -> None:
    """Staff's answer, to the High Sheriff who nominated; each answer is sent once."""
    sheriff = nomination.nominated_by
    queue_email(session, to_address=sheriff.email,
                idempotency_key=(f"nomination-{outcome}:{nomination.id}:"
                                 f"{_stamp(nomination.updated_at)}"),
                **rendered(declared, office=office_of_round(session, nomination.round),
                           nomination=nomination, sheriff=sheriff,
                           view_url=external_url("nominations.view_nomination",
                                                 nomination_id=nomination.id)))


def _stamp(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""
