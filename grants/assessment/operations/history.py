"""The application's history on the staff page: its audit events, in words."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.records.models import AuditEvent

HISTORY_LABELS = {
    "application.started": "Application started",
    "application.section_completed": "Section completed",
    "application.submitted": "Application sent",
    "application.withdrawn": "Application withdrawn",
    "application.screening_answers_saved": "Eligibility answers saved",
    "application.screened": "Screened",
    "application.screening_reversed": "Screening decision reversed",
    "application.clarification_asked": "Question asked",
    "application.clarification_answered": "Question answered",
    "application.note_added": "Internal note added",
    "application.document_uploaded": "Document uploaded",
    "application.document_replaced": "Document replaced",
    "application.document_removed": "Document removed",
    "application.moderated": "Score moderated",
    "application.status_changed": "Status changed",
    "application.decider_declared": "Decider declared any conflict of interest",
    "application.decided": "Decision made",
    "application.decision_changed": "Decision changed",
    "application.decision_published": "Decision published",
    "application.award_released": "Award released",
}


def history_label(action: str) -> str:
    return HISTORY_LABELS.get(action) or action.replace("_", " ").replace(".", ": ").capitalize()


def application_history(session: Session,
                        application_id: int) -> list[tuple[AuditEvent, str | None]]:
    """The application's audit events, newest first, each with its actor's name: one query."""
    return [(event, name) for event, name in session.execute(
        select(AuditEvent, User.name)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.entity_type == "application", AuditEvent.entity_id == application_id)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    )]
