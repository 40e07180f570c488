"""Publishing a round's signed-off decisions: awards become offers, and each applicant is told
their outcome by email and on their dashboard. Every kind of round has the step: a nomination
round's approved nominations and an allocation round's shares and top-slice awards are offered,
and their recipients (and High Sheriffs) told, here too. Publishing again does nothing."""

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from grants.accounts.models import User
from grants.allocations.operations.confirmation import announce_allocation
from grants.applications.models import Application, ApplicationStatus
from grants.assessment.operations.recipients import applicant_recipients
from grants.auth import permissions
from grants.awards.models import Award, AwardStatus
from grants.awards.operations.committed import committed_pence
from grants.awards.operations.public_reasons import (
    PublicReason,
    missing_public_reasons,
    round_public_reasons,
)
from grants.awards.operations.publicity import decisions_published
from grants.core import clock
from grants.core.errors import Forbidden
from grants.core.locks import lock_row
from grants.decisions import notifications
from grants.decisions.models import Decision
from grants.decisions.operations.guard import release_withdrawn_awards
from grants.decisions.operations.queries import round_awards, round_decisions, user_names
from grants.decisions.operations.rules import AWARD_OUTCOMES, DecisionRefused, iso
from grants.decisions.operations.sign_off import sign_off_problems, what_is_undecided
from grants.funds.models import Round, RoundKind
from grants.nominations.operations.deciding import announce_approved
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)


@dataclass
class Published:
    round: Round
    awarded: int = 0
    declined: int = 0
    already: bool = False


@dataclass(frozen=True)
class Publication:
    """Where a round stands on the way to publishing its decisions, for one member of staff:
    what the sign-off and publish sections of its staff page show."""

    round: Round
    sign_off_problems: list[str]
    publish_problems: list[str]
    signed_off_by_name: str
    public_reasons: list[PublicReason]

    @property
    def published(self) -> bool:
        return decisions_published(self.round)


def publication(session: Session, user: User, round_: Round) -> Publication:
    """The round's sign-off and publishing as `user` may act on them."""
    names = user_names(session, [round_.decisions_signed_off_by_id])
    return Publication(round=round_, sign_off_problems=sign_off_problems(session, round_, user),
                       publish_problems=publish_problems(session, round_),
                       signed_off_by_name=names.get(round_.decisions_signed_off_by_id, ""),
                       public_reasons=round_public_reasons(session, round_.id))


def publish_problems(session: Session, round_: Round) -> list[str]:
    if decisions_published(round_):
        return ["The decisions have been published"]
    problems = []
    if round_.decisions_signed_off_at is None:
        problems.append("A second member of staff must sign off the decisions before they "
                        "are published")
    return (problems + what_is_undecided(session, round_)
            + missing_public_reasons(round_public_reasons(session, round_.id)))


def publish(session: Session, user: User, round_id: int) -> Published:
    """Tell every applicant their outcome: awards become offers; each applicant gets an email
    and sees the outcome on their dashboard. Publishing again does nothing."""
    if not permissions.may_decide(user):
        raise Forbidden("Only staff publish decisions")
    round_ = lock_row(session, Round, round_id, missing="Round not found")
    if decisions_published(round_):
        return Published(round=round_, already=True)
    problems = publish_problems(session, round_)
    if problems:
        raise DecisionRefused(". ".join(problems))
    now = clock.utcnow()
    round_.decisions_published_at = now
    if round_.kind is RoundKind.OPEN:
        result = _publish_applications(session, user, round_, now)
    else:
        result = Published(round=round_)
        if round_.kind is RoundKind.NOMINATION:
            result.awarded = announce_approved(session, user, round_, now)
        else:
            result.awarded = announce_allocation(session, user, round_, now)
    session.flush()
    record_event(session, actor_id=user.id, action="round.decisions_published",
                 entity_type="round", entity_id=round_.id,
                 before={"decisions_published_at": None},
                 after={"decisions_published_at": iso(now), "awarded": result.awarded,
                        "declined": result.declined,
                        "committed_pence": committed_pence(session, round_.id)})
    logger.info("round %s: decisions published by user %s (%s awarded, %s declined)",
                round_.id, user.id, result.awarded, result.declined)
    return result


def _publish_applications(session: Session, user: User, round_: Round,
                          now: datetime) -> Published:
    """An open round's decisions on applications: each applicant told, awards offered."""
    round_id = round_.id
    release_withdrawn_awards(session, round_, user.id)
    result = Published(round=round_)
    decisions = round_decisions(session, round_id)
    awards = round_awards(session, round_id)
    applications = session.scalars(
        select(Application)
        .where(Application.round_id == round_id,
               Application.status.in_([ApplicationStatus.AWARDED, ApplicationStatus.DECLINED]))
        .options(joinedload(Application.organisation))
        .order_by(Application.reference)).all()
    for application in applications:
        decision = decisions.get(application.id)
        if decision is None:
            continue
        _publish_one(session, user, application, decision, awards.get(application.id), now)
        if decision.outcome in AWARD_OUTCOMES:
            result.awarded += 1
        else:
            result.declined += 1
    return result


def _publish_one(session: Session, user: User, application: Application, decision: Decision,
                 award: Award | None, now: datetime) -> None:
    awarded = decision.outcome in AWARD_OUTCOMES and award is not None
    if awarded and award.status is AwardStatus.PROPOSED:
        award.status = AwardStatus.OFFERED
        award.offered_at = now
        award.awarded_on = award.awarded_on or clock.to_london(now).date()
    session.flush()
    record_event(session, actor_id=user.id, action="application.decision_published",
                 entity_type="application", entity_id=application.id,
                 after={"decision_id": decision.id, "outcome": decision.outcome.value,
                        "award_id": award.id if awarded else None,
                        "award_status": award.status.value if awarded else None},
                 note="Decision published to the applicant")
    recipients = applicant_recipients(session, application)
    if awarded:
        notifications.awarded(session, application, decision, award, recipients)
    else:
        notifications.declined(session, application, decision, recipients)
    if awarded:
        logger.info("award %s offered to organisation %s: %s pence", award.id,
                    application.organisation_id, award.amount_pence)
