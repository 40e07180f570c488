"""Rules about applications that every part of the service shares."""

from grants.applications.models import Application, ApplicationStatus

# Internal states an applicant sees only as "being assessed".
_BEING_ASSESSED = frozenset({ApplicationStatus.ELIGIBLE, ApplicationStatus.IN_REVIEW})
_OUTCOMES = frozenset({
    ApplicationStatus.AWARDED,
    ApplicationStatus.DECLINED,
    ApplicationStatus.OFFER_ACCEPTED,
    ApplicationStatus.PAID,
    ApplicationStatus.MONITORING_DUE,
    ApplicationStatus.CLOSED,
})

_APPLICANT_WORDS = {
    ApplicationStatus.DRAFT: "Draft",
    ApplicationStatus.SUBMITTED: "Submitted",
    ApplicationStatus.INELIGIBLE: "Not eligible",
    ApplicationStatus.WITHDRAWN: "Withdrawn",
    ApplicationStatus.AWARDED: "Awarded",
    ApplicationStatus.DECLINED: "Not funded",
    ApplicationStatus.OFFER_ACCEPTED: "Offer accepted",
    ApplicationStatus.PAID: "Paid",
    ApplicationStatus.MONITORING_DUE: "Report due",
    ApplicationStatus.CLOSED: "Closed",
}


def applicant_status(application: Application) -> str:
    """The status an applicant may see: no decision shows before the round publishes them."""
    status = application.status
    if status in _BEING_ASSESSED:
        return "Being assessed"
    if status in _OUTCOMES and application.round.decisions_published_at is None:
        return "Being assessed"
    return _APPLICANT_WORDS[status]
