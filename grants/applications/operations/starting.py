"""Starting an application: who may apply to a round, and whether it is open now."""

import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.applications.models import Application
from grants.applications.operations.from_check import CheckedStart, start_from_check
from grants.applications.operations.from_interest import (
    refuse_unless_invited,
    start_from_interest,
)
from grants.core import clock
from grants.core.errors import Refusal
from grants.core.translatable import N_, Listed, Moment, Words
from grants.funds.models import Round, RoundKind, RoundStatus
from grants.funds.operations.who_may_apply import (
    may_apply_as,
    types_that_may_apply,
)
from grants.organisations.models import Organisation
from grants.organisations.operations.listing import organisations_of
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)


class RoundNotOpen(Refusal):
    pass


def why_organisation_cannot_apply(round_: Round, organisation: Organisation) -> str | None:
    """The reason this organisation may not apply to the round, in words for the applicant."""
    if may_apply_as(round_, organisation.organisation_type):
        return None
    return Words(N_("%(organisation)s is a %(kind)s. This round is open to: %(kinds)s."),
                 organisation=organisation.name,
                 kind=Listed([organisation.organisation_type.label]),
                 kinds=Listed(kind.label for kind in types_that_may_apply(round_)))


@dataclass(frozen=True)
class OrganisationChoices:
    """A person's organisations, for starting something in a round: why each may not apply
    (`reasons`, by id: None when it may), and so those that may and those that may not."""

    organisations: list[Organisation]
    reasons: dict[int, str | None]

    @property
    def eligible(self) -> list[Organisation]:
        return [o for o in self.organisations if self.reasons[o.id] is None]

    @property
    def ineligible(self) -> list[Organisation]:
        return [o for o in self.organisations if self.reasons[o.id] is not None]


def organisation_choices(session: Session, round_: Round,
                         organisation_ids: frozenset[int]) -> OrganisationChoices:
    """The organisations with these ids (a person's own) as choices for starting in the round."""
    organisations = organisations_of(session, organisation_ids)
    return OrganisationChoices(
        organisations, {o.id: why_organisation_cannot_apply(round_, o) for o in organisations})


def ensure_round_open(round_: Round) -> None:
    """Refuse when the round is not open now, judged by the server's clock."""
    now = clock.utcnow()
    status = round_.status_at(now)
    if round_.kind is not RoundKind.OPEN:
        raise RoundNotOpen(N_("Organisations cannot apply to this round"))
    if status is RoundStatus.UPCOMING:
        raise RoundNotOpen(Words(N_("This round opens at %(moment)s"),
                                 moment=Moment(round_.opens_at)))
    if status is not RoundStatus.OPEN:
        raise RoundNotOpen(Words(N_("This round closed at %(moment)s"),
                                 moment=Moment(round_.closes_at)))


def start_application(session: Session, user: User, round_: Round,
                      organisation: Organisation, *, assisted: bool = False,
                      checked: CheckedStart | None = None) -> tuple[Application, bool]:
    """Start the organisation's application to the round, or open the one it already has.

    Returns the application and whether it is new. One application per organisation per
    round: a second start opens the first. A new one starts with the answers `checked` in the
    round's eligibility check, if the person took it; in a round with an expression-of-
    interest stage, only an invited organisation may start one, from its first stage's answers.
    """
    existing = session.scalars(select(Application).where(
        Application.round_id == round_.id, Application.organisation_id == organisation.id)
    ).one_or_none()
    if existing is not None:
        return existing, False
    ensure_round_open(round_)
    Refusal.raise_if(why_organisation_cannot_apply(round_, organisation))
    invitation = refuse_unless_invited(session, round_, organisation)
    application = Application(round=round_, organisation=organisation, created_by=user,
                              assisted_by=user if assisted else None)
    session.add(application)
    session.flush()
    if checked is not None:
        start_from_check(session, application, checked)
    if invitation is not None:
        start_from_interest(session, application, invitation)
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
