"""The internal notes staff keep on an application. Applicants never see them."""

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from grants.accounts.models import User
from grants.applications.models import Application
from grants.assessment.models import InternalNote
from grants.auth import permissions
from grants.core.errors import Forbidden, required_text
from grants.records.operations.audit import record_event

MAX_NOTE_LENGTH = 5000


def notes_for(session: Session, application_id: int) -> list[InternalNote]:
    """Staff's notes on the application, newest first, with their authors."""
    return list(session.scalars(
        select(InternalNote)
        .where(InternalNote.application_id == application_id)
        .options(joinedload(InternalNote.author))
        .order_by(InternalNote.created_at.desc(), InternalNote.id.desc())
    ))


def add_note(session: Session, user: User, application: Application, body: str) -> InternalNote:
    """Keep a note on the application for staff. Applicants never see notes."""
    if not permissions.may_screen(user):
        raise Forbidden("Only staff can keep notes on applications")
    text = required_text(body, "body", "Enter the note", MAX_NOTE_LENGTH, "The note")
    note = InternalNote(application_id=application.id, author_id=user.id, body=text)
    session.add(note)
    session.flush()
    # The event says a note was added; its words stay in the note alone.
    record_event(
        session, actor_id=user.id, action="application.note_added",
        entity_type="application", entity_id=application.id, after={"note_id": note.id},
    )
    return note
