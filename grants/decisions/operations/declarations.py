"""Deciders' conflict-of-interest declarations: whoever decides on an application first says
whether they have a conflict with it; a conflict means someone else must decide."""

import logging

from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.applications.models import Application
from grants.auth import permissions
from grants.core import clock
from grants.core.errors import Conflict, Forbidden, ValidationFailed
from grants.core.locks import lock_row
from grants.decisions.models import DeciderDeclaration
from grants.decisions.operations.queries import declaration_for
from grants.decisions.operations.rules import MAX_NOTE, DecisionRefused
from grants.funds.models import Round
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)


def declare(session: Session, user: User, application: Application, *,
            has_conflict: bool | None, note: str = "") -> DeciderDeclaration:
    """Whoever decides on an application first declares any conflict of interest with it. A
    conflict means they cannot decide on it. A repeated form changes nothing."""
    if not permissions.may_decide(user):
        raise Forbidden("Only staff decide on applications")
    round_ = lock_row(session, Round, application.round_id, missing="Round not found")
    if round_.decisions_published_at is not None:
        raise DecisionRefused("This round's decisions have been published")
    note = (note or "").strip()
    existing = declaration_for(session, application.id, user.id)
    if existing is not None:
        if existing.has_conflict == has_conflict:
            return existing
        raise Conflict("You have already declared "
                       + ("a conflict of interest" if existing.has_conflict
                          else "that you have no conflict of interest")
                       + " with this application")
    if has_conflict is None:
        raise ValidationFailed({"conflict": "Select whether you have a conflict of interest"})
    if has_conflict and not note:
        raise ValidationFailed({"note": "Describe your conflict of interest"})
    if len(note) > MAX_NOTE:
        raise ValidationFailed({"note": f"Description must be {MAX_NOTE:,} characters or fewer"})
    declaration = DeciderDeclaration(application_id=application.id, user_id=user.id,
                                     has_conflict=has_conflict, note=note if has_conflict else "",
                                     declared_at=clock.utcnow())
    session.add(declaration)
    session.flush()
    record_event(
        session, actor_id=user.id, action="application.decider_declared",
        entity_type="application", entity_id=application.id,
        after={"has_conflict": has_conflict, "note": declaration.note,
               "declaration_id": declaration.id},
        note=("Conflict of interest declared by a decider: " + note) if has_conflict
        else "No conflict of interest declared by a decider",
    )
    logger.info("user %s declared %s on application %s", user.id,
                "a conflict" if has_conflict else "no conflict", application.id)
    return declaration
