"""Awards' emails to the recipient organisation: an offer accepted, declined or withdrawn, and
its bank details changed. Each is told to the organisation's contact or, when it has none, to
the member who acted."""

import logging

from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.awards.models import Award, BankDetails
from grants.core.emails import email, rendered
from grants.core.links import external_url
from grants.offices.operations.speaking import office_of_round
from grants.records.operations.outbox import queue_email

logger = logging.getLogger(__name__)

OFFER_ACCEPTED = email("awards.accepted", "Grant offer accepted: {label}")
OFFER_DECLINED = email("awards.declined", "Grant offer declined: {label}")
OFFER_WITHDRAWN = email("awards.withdrawn", "Grant offer withdrawn: {label}")
BANK_DETAILS_CHANGED = email("awards.bank_details_changed",
                             "Your bank details were changed: {label}")


def offer_accepted(session: Session, award: Award, user: User, terms) -> None:
    _tell_organisation(session, OFFER_ACCEPTED, award, user, terms,
                       key=f"award-accepted:{award.id}")


def offer_declined(session: Session, award: Award, user: User, terms) -> None:
    _tell_organisation(session, OFFER_DECLINED, award, user, terms,
                       key=f"award-declined:{award.id}")


def offer_withdrawn(session: Session, award: Award, terms) -> None:
    _tell_organisation(session, OFFER_WITHDRAWN, award, None, terms,
                       key=f"award-withdrawn:{award.id}")


def bank_details_changed(session: Session, award: Award, user: User, terms,
                         details: BankDetails) -> None:
    """A check against fraud: the organisation hears of every change of where it is paid."""
    _tell_organisation(session, BANK_DETAILS_CHANGED, award, user, terms,
                       key=f"award-bank-details-changed:{details.id}", details=details)


def offer_made(session: Session, declared, award: Award) -> None:
    """Send the organisation's contact an offer made without an application (an allocation's
    share or top-slice, a direct award), with the link to accept it; each award's once."""
    address = (award.organisation.contact_email or "").strip()
    if not address:
        logger.warning("award %s: no contact address for the %s email", award.id, declared.kind)
        return
    queue_email(session, to_address=address, idempotency_key=f"award-offered:{award.id}",
                **rendered(declared, office=office_of_round(session, award.round), award=award,
                           offer_url=external_url("awards.view_offer", award_id=award.id)))


def label(award: Award) -> str:
    """How the emails name an award: its application's reference, else its title."""
    application = award.application
    if application is not None and application.reference:
        return application.reference
    return award.title or f"award {award.id}"


def _tell_organisation(session: Session, declared, award: Award, user: User | None, terms, *,
                       key: str, **values) -> None:
    """Tell the organisation's contact (or, when it has none, the member who acted)."""
    address = (award.organisation.contact_email or "").strip() or (user.email if user else "")
    if not address:
        kind = declared.template.rsplit("/", 1)[-1].removesuffix(".txt")
        logger.warning("award %s: no address to send the %s email to", award.id, kind)
        return
    queue_email(session, to_address=address, idempotency_key=key, **rendered(
        declared, office=office_of_round(session, award.round), award=award, terms=terms,
        user=user, label=label(award),
        offer_url=external_url("awards.view_offer", award_id=award.id),
        bank_details_url=external_url("awards.bank_details", award_id=award.id), **values))
