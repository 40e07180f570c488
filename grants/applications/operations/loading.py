"""Loading an application with what its pages read, its sections' progress, and the status
its applicant sees."""

import functools
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session, joinedload, selectinload

from grants.applications.models import (
    Application,
    ApplicationSection,
    ApplicationStatus,
    SectionStatus,
)
from grants.applications.operations.sections import sections_for
from grants.areas.models import LocalAuthority
from grants.awards.operations.publicity import decisions_published
from grants.core.errors import or_not_found
from grants.core.translatable import N_
from grants.funds.models import QuestionSection, Round

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
    ApplicationStatus.DRAFT: N_("Draft"),
    ApplicationStatus.SUBMITTED: N_("Submitted"),
    ApplicationStatus.INELIGIBLE: N_("Not eligible"),
    ApplicationStatus.WITHDRAWN: N_("Withdrawn"),
    ApplicationStatus.AWARDED: N_("Awarded"),
    ApplicationStatus.DECLINED: N_("Not funded"),
    ApplicationStatus.OFFER_ACCEPTED: N_("Offer accepted"),
    ApplicationStatus.PAID: N_("Paid"),
    ApplicationStatus.MONITORING_DUE: N_("Report due"),
    ApplicationStatus.CLOSED: N_("Closed"),
}


def applicant_status(application: Application) -> str:
    """The status an applicant may see: no decision shows before the round publishes them.
    Marked for the catalogue: a page says it in its language with `_(status)`."""
    status = application.status
    if status in _BEING_ASSESSED:
        return N_("Being assessed")
    if status in _OUTCOMES and not decisions_published(application.round):
        return N_("Being assessed")
    return _APPLICANT_WORDS[status]


def launched_round(session: Session, code: str) -> Round:
    """The launched, unarchived round with this code, or NotFound."""
    round_ = session.scalars(select(Round).where(
        Round.code == code, Round.launched_at.is_not(None), Round.archived_at.is_(None))
    ).one_or_none()
    return or_not_found(round_, "Round not found")


def get_application(session: Session, application_id: int, *,
                    answers: bool = True) -> Application:
    """The application with what its pages read, or NotFound. Without `answers`, only what
    its task list reads: the round and its sections of questions, the organisation and the
    state of each section (three queries, not eleven)."""
    application = session.scalars(_application_statement(answers),
                                  {"application_id": application_id}).first()
    return or_not_found(application, "Application not found")


@functools.cache
def _application_statement(answers: bool) -> Select:
    """The query of `get_application`, built once for each kind (every page of an
    application runs it; building it with its loader options cost more than running it)."""
    options = [
        joinedload(Application.round).selectinload(Round.question_sections),
        joinedload(Application.organisation),
        selectinload(Application.sections),
    ]
    if answers:
        options += [
            joinedload(Application.round).selectinload(Round.priorities),
            joinedload(Application.round).selectinload(Round.question_sections)
            .selectinload(QuestionSection.questions),
            selectinload(Application.budget_lines),
            selectinload(Application.further_priorities),
            selectinload(Application.key_aims),
            # Each area is shown with its county: loaded with it, not one query a county.
            selectinload(Application.areas).joinedload(LocalAuthority.county),
            selectinload(Application.documents),
            # The answers to the round's own questions are read (one query) only when the
            # round asks any: `questions.stored_values`.
        ]
    return (select(Application).where(Application.id == bindparam("application_id"))
            .options(*options))


def section_row(application: Application, key: str) -> ApplicationSection | None:
    return next((row for row in application.sections if row.key == key), None)


def section_status(application: Application, key: str) -> SectionStatus:
    row = section_row(application, key)
    return row.status if row else SectionStatus.NOT_STARTED


def task_list(application: Application) -> list[tuple[Any, SectionStatus]]:
    return [(section, section_status(application, section.key))
            for section in sections_for(application.round)]


def all_sections_complete(application: Application) -> bool:
    return all(status is SectionStatus.COMPLETED for _, status in task_list(application))
