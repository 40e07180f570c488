"""Saving a section's answers: everything typed is kept, and the section is completed only
when its answers pass the round's rules (see `rules`)."""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.applications.models import (
    Application,
    ApplicationSection,
    ApplicationStatus,
    SectionStatus,
)
from grants.applications.operations.loading import section_row
from grants.applications.operations.sections import section_for
from grants.applications.operations.starting import ensure_round_open
from grants.core import clock
from grants.core.errors import Conflict, NotFound, Refusal, ValidationFailed
from grants.core.translatable import N_, Moment, Words
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)


class SectionChanged(Conflict):
    """Someone else saved the section after this person opened it."""

    def __init__(self, row: ApplicationSection) -> None:
        who = row.updated_by.name if row.updated_by else Words(N_("Someone"))
        when = Moment(row.updated_at) if row.updated_at else Words(N_("just now"))
        super().__init__(Words(
            N_("%(who)s changed this section at %(when)s, after you opened it. Your answers "
               "are shown below but have not been saved. Check them, then save again."),
            who=who, when=when))
        self.row = row


@dataclass
class SaveOutcome:
    completed: bool
    # Problems found by the section's rules (the form's own checks come on top).
    errors: dict[str, str] = field(default_factory=dict)


def ensure_editable(application: Application) -> None:
    if application.status is not ApplicationStatus.DRAFT:
        raise Refusal(N_("This application has been submitted, so it cannot be changed"))
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
    if section_for(application.round, key) is None:
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
