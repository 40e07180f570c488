"""The emails about an expression of interest: sent, invited to apply, and declined with the
reason. Each goes to the person who sent it and to the organisation's contact, when that is
someone else."""

from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.core.emails import email, rendered
from grants.core.links import external_url
from grants.interest.models import Interest
from grants.offices.operations.speaking import office_of_round
from grants.records.operations.outbox import queue_to_each

SENT = email("interest.sent", "Expression of interest received: {interest.round.title}")
INVITED = email("interest.invited", "You are invited to apply: {interest.round.title}")
DECLINED = email("interest.declined",
                 "Your expression of interest was not taken forward: {interest.round.title}")


def _recipients(user: User | None, interest: Interest) -> list[tuple[str, str]]:
    """(key suffix, address) for each person told, without repeats."""
    found = [("", user.email)] if user is not None else []
    contact = (interest.organisation.contact_email or "").strip()
    if contact and all(contact.lower() != address.lower() for _, address in found):
        found.append((":organisation-contact", contact))
    return found


def _view_url(interest: Interest) -> str:
    return external_url("interest.view_interest", interest_id=interest.id)


def interest_sent(session: Session, user: User, interest: Interest) -> None:
    queue_to_each(session, _recipients(user, interest), key=f"interest-sent:{interest.id}",
                  **rendered(SENT, office=office_of_round(session, interest.round),
                             interest=interest, view_url=_view_url(interest)))


def interest_invited(session: Session, interest: Interest) -> None:
    queue_to_each(session, _recipients(interest.sent_by, interest),
                  key=f"interest-invited:{interest.id}",
                  **rendered(INVITED, office=office_of_round(session, interest.round),
                             interest=interest, view_url=_view_url(interest)))


def interest_declined(session: Session, interest: Interest) -> None:
    queue_to_each(session, _recipients(interest.sent_by, interest),
                  key=f"interest-declined:{interest.id}",
                  **rendered(DECLINED, office=office_of_round(session, interest.round),
                             interest=interest, view_url=_view_url(interest)))
