"""The reads deciding and its pages need: a round's decisions, awards and declarations in one
query each, the ranking with decided applications kept in place, and what an applicant may see."""

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.applications.models import Application, ApplicationStatus
from grants.applications.operations import loading as application_services
from grants.assessment.operations import ranking
from grants.awards.models import Award
from grants.awards.operations.publicity import decisions_published
from grants.core.errors import only_if_visible
from grants.decisions.models import DeciderDeclaration, Decision
from grants.decisions.operations.rules import (
    DECISION_ACTIONS,
    PUBLISHED_STATUSES,
    SHOWN_STATUSES,
    UNDECIDED_STATUSES,
)
from grants.records.models import AuditEvent


def sent_application(session: Session, application_id: int) -> Application:
    """A sent application (drafts are the applicant's until they send them), or NotFound."""
    application = application_services.get_application(session, application_id)
    # A draft is the applicant's until they send it.
    return only_if_visible(application, application.status is not ApplicationStatus.DRAFT,
                           "Application not found")


def decision_for(session: Session, application_id: int) -> Decision | None:
    return session.scalars(
        select(Decision).where(Decision.application_id == application_id)).one_or_none()


def award_for(session: Session, application_id: int) -> Award | None:
    return session.scalars(
        select(Award).where(Award.application_id == application_id)).one_or_none()


def declaration_for(session: Session, application_id: int,
                    user_id: int) -> DeciderDeclaration | None:
    return session.scalars(
        select(DeciderDeclaration).where(DeciderDeclaration.application_id == application_id,
                                         DeciderDeclaration.user_id == user_id)
    ).one_or_none()


def round_decisions(session: Session, round_id: int) -> dict[int, Decision]:
    """The round's decisions by application id, in one query."""
    rows = session.scalars(
        select(Decision).join(Application, Application.id == Decision.application_id)
        .where(Application.round_id == round_id))
    return {decision.application_id: decision for decision in rows}


def user_names(session: Session, user_ids: Collection[int | None]) -> dict[int, str]:
    """People's names by id, in one query (decisions name their decider by id only)."""
    ids = {user_id for user_id in user_ids if user_id is not None}
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


def round_awards(session: Session, round_id: int) -> dict[int, Award]:
    """The round's awards made from applications, by application id, in one query."""
    rows = session.scalars(
        select(Award).where(Award.round_id == round_id, Award.application_id.is_not(None)))
    return {award.application_id: award for award in rows}


def user_declarations(session: Session, round_id: int,
                      user_id: int) -> dict[int, DeciderDeclaration]:
    """The user's declarations on the round's applications, by application id."""
    rows = session.scalars(
        select(DeciderDeclaration)
        .join(Application, Application.id == DeciderDeclaration.application_id)
        .where(Application.round_id == round_id, DeciderDeclaration.user_id == user_id))
    return {row.application_id: row for row in rows}


def decision_ranking(session: Session, round_id: int,
                     statuses: Collection[ApplicationStatus] = SHOWN_STATUSES
                     ) -> ranking.Ranking:
    """The round's ranking including decided applications, in five queries.

    `ranking.load_ranking` ranks only applications still waiting for a decision (eligible or
    in review); deciding must keep every application in its place, so this ranks the given
    statuses with the ranking module's own rules.
    """
    return ranking.rank_round(session, round_id, list(statuses))


def decider_name(session: Session, decision: Decision | None) -> str:
    if decision is None:
        return ""
    return user_names(session, [decision.decided_by_id]).get(decision.decided_by_id, "")


def published_decision(session: Session, application: Application) -> Decision | None:
    """The decision the applicant may see: only once the round's decisions are published."""
    if not decisions_published(application.round):
        return None
    if application.status not in PUBLISHED_STATUSES:
        return None
    return decision_for(session, application.id)


def published_award(session: Session, application: Application) -> Award | None:
    """The application's award once the round's decisions are published, else None."""
    if not decisions_published(application.round):
        return None
    return award_for(session, application.id)


def undecided_applications(session: Session, round_id: int) -> list[Application]:
    return list(session.scalars(
        select(Application)
        .where(Application.round_id == round_id, Application.status.in_(UNDECIDED_STATUSES))
        .order_by(Application.reference)))


def decider_ids(session: Session, round_id: int) -> set[int]:
    """Everyone who made or changed any of the round's decisions (from the audit record, so a
    decision someone else changed later still counts)."""
    application_ids = select(Application.id).where(Application.round_id == round_id)
    audited = session.scalars(
        select(AuditEvent.actor_id).distinct()
        .where(AuditEvent.entity_type == "application", AuditEvent.action.in_(DECISION_ACTIONS),
               AuditEvent.entity_id.in_(application_ids), AuditEvent.actor_id.is_not(None)))
    current = session.scalars(
        select(Decision.decided_by_id).distinct()
        .join(Application, Application.id == Decision.application_id)
        .where(Application.round_id == round_id))
    return set(audited) | set(current)
