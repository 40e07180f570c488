"""Applications: starting one, loading it, saving its sections, and what applicants see.

Rules specific to each section's answers are in `rules`; submitting is in `submission`.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from grants.accounts.models import User
from grants.applications.models import (
    Application,
    ApplicationSection,
    ApplicationStatus,
    SectionStatus,
)
from grants.applications.sections import SECTIONS, SECTIONS_BY_KEY
from grants.areas.models import LocalAuthority
from grants.core import clock
from grants.core.errors import Conflict, NotFound, Refusal, ValidationFailed
from grants.funds.models import Round, RoundKind, RoundStatus
from grants.organisations.models import Organisation
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

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


# --- Starting -----------------------------------------------------------------------------

class RoundNotOpen(Refusal):
    pass


def why_organisation_cannot_apply(round_: Round, organisation: Organisation) -> str | None:
    """The reason this organisation may not apply to the round, in words for the applicant."""
    allowed = round_.organisation_types
    if organisation.organisation_type not in allowed:
        kinds = ", ".join(kind.label.lower() for kind in sorted(allowed, key=_type_order))
        return (f"{organisation.name} is a {organisation.organisation_type.label.lower()}. "
                f"This round is open to: {kinds}.")
    return None


def _type_order(kind) -> int:
    return list(type(kind)).index(kind)


def ensure_round_open(round_: Round) -> None:
    """Refuse when the round is not open now, judged by the server's clock."""
    now = clock.utcnow()
    status = round_.status_at(now)
    if round_.kind is not RoundKind.OPEN:
        raise RoundNotOpen("Organisations cannot apply to this round")
    if status is RoundStatus.UPCOMING:
        raise RoundNotOpen(f"This round opens at {_london(round_.opens_at)}")
    if status is not RoundStatus.OPEN:
        raise RoundNotOpen(f"This round closed at {_london(round_.closes_at)}")


def _london(moment) -> str:
    local = clock.to_london(moment)
    hour = local.strftime("%I").lstrip("0") or "12"
    return (f"{hour}:{local:%M}{local.strftime('%p').lower()} on {local.day} {local:%B %Y} "
            f"({clock.zone_abbreviation(moment)})")


def start_application(session: Session, user: User, round_: Round,
                      organisation: Organisation, *, assisted: bool = False
                      ) -> tuple[Application, bool]:
    """Start the organisation's application to the round, or open the one it already has.

    Returns the application and whether it is new. One application per organisation per
    round: a second start opens the first.
    """
    existing = session.scalars(select(Application).where(
        Application.round_id == round_.id, Application.organisation_id == organisation.id)
    ).one_or_none()
    if existing is not None:
        return existing, False
    ensure_round_open(round_)
    reason = why_organisation_cannot_apply(round_, organisation)
    if reason:
        raise Refusal(reason)
    application = Application(round=round_, organisation=organisation, created_by=user,
                              assisted_by=user if assisted else None)
    session.add(application)
    session.flush()
    record_event(
        session, actor_id=user.id, action="application.started", entity_type="application",
        entity_id=application.id,
        after={"round": round_.code, "organisation_id": organisation.id},
        note=("assisted digital: started by staff on the organisation's behalf"
              if assisted else ""),
    )
    logger.info("application %s started for organisation %s in round %s", application.id,
                organisation.id, round_.id)
    return application, True


# --- Loading ------------------------------------------------------------------------------

def get_application(session: Session, application_id: int) -> Application:
    """The application with what its pages read, or NotFound."""
    application = session.scalars(
        select(Application)
        .where(Application.id == application_id)
        .options(
            joinedload(Application.round).selectinload(Round.priorities),
            joinedload(Application.organisation),
            selectinload(Application.sections),
            selectinload(Application.budget_lines),
            selectinload(Application.further_priorities),
            selectinload(Application.key_aims),
            # Each area is shown with its county: loaded with it, not one query a county.
            selectinload(Application.areas).joinedload(LocalAuthority.county),
            selectinload(Application.documents),
        )
    ).one_or_none()
    if application is None:
        raise NotFound("Application not found")
    return application


def section_row(application: Application, key: str) -> ApplicationSection | None:
    return next((row for row in application.sections if row.key == key), None)


def section_status(application: Application, key: str) -> SectionStatus:
    row = section_row(application, key)
    return row.status if row else SectionStatus.NOT_STARTED


def task_list(application: Application) -> list[tuple[Any, SectionStatus]]:
    return [(section, section_status(application, section.key)) for section in SECTIONS]


def all_sections_complete(application: Application) -> bool:
    return all(status is SectionStatus.COMPLETED for _, status in task_list(application))


# --- Saving a section ---------------------------------------------------------------------

class SectionChanged(Conflict):
    """Someone else saved the section after this person opened it."""

    def __init__(self, row: ApplicationSection) -> None:
        who = row.updated_by.name if row.updated_by else "Someone"
        when = _london(row.updated_at) if row.updated_at else "just now"
        super().__init__(
            f"{who} changed this section at {when}, after you opened it. Your answers are "
            "shown below but have not been saved. Check them, then save again."
        )
        self.row = row


@dataclass
class SaveOutcome:
    completed: bool
    # Problems found by the section's rules (the form's own checks come on top).
    errors: dict[str, str] = field(default_factory=dict)


def ensure_editable(application: Application) -> None:
    if application.status is not ApplicationStatus.DRAFT:
        raise Refusal("This application has been submitted, so it cannot be changed")
    ensure_round_open(application.round)


def save_section(
    session: Session,
    user: User,
    application: Application,
    key: str,
    *,
    answers: dict[str, Any],
    expected_version: int | None,
    apply: Callable[[Session, Application], None] | None,
) -> SaveOutcome:
    """Keep everything typed in the section, and apply it when it passes every check.

    `answers` are what the person typed, stored whatever their state so nothing is lost.
    `apply` writes the checked answers to the application, raising ValidationFailed when a
    rule says no; it is None when the form's own checks failed or the person chose "save and
    come back later" with answers that do not pass. The section is completed only when
    `apply` succeeds. A save made on a stale version raises SectionChanged and saves nothing.
    """
    if key not in SECTIONS_BY_KEY:
        raise NotFound("No such section")
    ensure_editable(application)
    row = section_row(application, key)
    if row is None:
        row = ApplicationSection(application=application, key=key, answers={}, version=0)
        session.add(row)
    if expected_version is not None and expected_version != row.version:
        raise SectionChanged(row)

    errors: dict[str, str] = {}
    completed = False
    if apply is not None:
        try:
            with session.begin_nested():
                apply(session, application)
            completed = True
        except ValidationFailed as failure:
            errors = failure.errors
    row.answers = answers
    row.status = SectionStatus.COMPLETED if completed else SectionStatus.IN_PROGRESS
    row.version += 1
    row.updated_at = clock.utcnow()
    row.updated_by = user
    application.updated_at = row.updated_at
    session.flush()
    if completed:
        record_event(session, actor_id=user.id, action="application.section_completed",
                     entity_type="application", entity_id=application.id,
                     after={"section": key},
                     note=_assisted_note(user, application))
    return SaveOutcome(completed=completed, errors=errors)


def _assisted_note(user: User, application: Application) -> str:
    member_ids = {m.user_id for m in application.organisation.memberships}
    if user.id not in member_ids:
        return "assisted digital: completed by staff on the organisation's behalf"
    return ""
