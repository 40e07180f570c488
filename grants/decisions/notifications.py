"""The emails of deciding: each applicant told their outcome when the round's decisions are
published."""

from collections.abc import Iterable

from sqlalchemy.orm import Session

from grants.applications.models import Application
from grants.awards.models import Award
from grants.core.emails import email, rendered
from grants.core.links import external_url
from grants.decisions.models import Decision
from grants.offices.operations.speaking import office_of_round
from grants.records.operations.outbox import queue_to_each

AWARDED = email("decisions.awarded",
                "Application {application.reference}: you have been offered a grant")
DECLINED = email("decisions.declined", "Application {application.reference}: decision")


def _links(application: Application) -> dict[str, str]:
    return {
        "view_url": external_url("applications.view_application",
                                 application_id=application.id),
        "dashboard_url": external_url("organisations.dashboard"),
    }


def awarded(session: Session, application: Application, decision: Decision, award: Award,
            recipients: Iterable[tuple[str, str]]) -> None:
    """Tell the applicant they have been offered a grant, with the link to the offer."""
    message = rendered(AWARDED, office=office_of_round(session, application.round),
                       application=application, decision=decision, award=award,
                       offer_url=external_url("awards.view_offer", award_id=award.id),
                       **_links(application))
    # Keyed by the decision: a resent publication queues none again.
    queue_to_each(session, recipients, key=f"decision-published:{decision.id}", **message)


def declined(session: Session, application: Application, decision: Decision,
             recipients: Iterable[tuple[str, str]]) -> None:
    """Tell the applicant their application was not funded, with the reason and feedback."""
    message = rendered(DECLINED, office=office_of_round(session, application.round),
                       application=application, decision=decision, award=None,
                       offer_url=None, **_links(application))
    # Keyed by the decision: a resent publication queues none again.
    queue_to_each(session, recipients, key=f"decision-published:{decision.id}", **message)
