"""The emails about an application: sent, and withdrawn. Each goes to the person who acted and
to the organisation's contact, when that is someone else."""

from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.applications.models import Application
from grants.core.emails import email, rendered
from grants.core.links import external_url
from grants.offices.operations.speaking import office_of_round
from grants.records.operations.outbox import queue_to_each

SUBMITTED = email("applications.submitted", "Application {application.reference} received")
WITHDRAWN = email("applications.withdrawn", "Application {application.reference} withdrawn")


def recipients(user: User, application: Application) -> list[tuple[str, str]]:
    """(key suffix, address) for each person told about the application, without repeats."""
    found = [("", user.email)]
    contact = (application.organisation.contact_email or "").strip()
    if contact and contact.lower() != user.email.lower():
        found.append((":organisation-contact", contact))
    return found


def application_submitted(session: Session, user: User, application: Application) -> None:
    queue_to_each(session, recipients(user, application),
                  key=f"application-submitted:{application.id}",
                  **rendered(SUBMITTED, office=office_of_round(session, application.round),
                             application=application, view_url=_view_url(application)))


def application_withdrawn(session: Session, user: User, application: Application) -> None:
    queue_to_each(session, recipients(user, application),
                  key=f"application-withdrawn:{application.id}",
                  **rendered(WITHDRAWN, office=office_of_round(session, application.round),
                             application=application, user=user,
                             view_url=_view_url(application)))


def _view_url(application: Application) -> str:
    return external_url("applications.view_application", application_id=application.id)
