"""An application's documents section: uploading, replacing and removing its files, using the
documents its organisation keeps, and completing the section once every kind it must have is
there.

The files are checked and stored by the documents area (`grants.documents.operations`); what
each kind needs (its date, how long it stays good) is `grants.documents.operations.kinds`.
"""

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.applications.models import Application, Document, DocumentKind, SectionStatus
from grants.applications.operations.answers import SaveOutcome, ensure_editable, save_section
from grants.applications.operations.loading import section_status
from grants.auth import permissions
from grants.core import clock
from grants.core.errors import Refusal, ValidationFailed, or_not_found
from grants.core.locks import lock_row
from grants.core.translatable import N_, Words
from grants.documents.models import OrganisationDocument
from grants.documents.operations.checks import CheckedFile
from grants.documents.operations.kept import (
    KeptDocument,
    date_field,
    file_field,
    find_kept,
    kept_documents,
)
from grants.documents.operations.kinds import REQUIRED_KINDS, RULES, is_current
from grants.documents.operations.storage import (
    DocumentStorage,
    copy_stored,
    delete_document,
    delete_when_committed,
    store_checked,
)
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

SECTION_KEY = "documents"


def document_of_kind(application: Application, kind: DocumentKind) -> Document | None:
    return next((doc for doc in application.documents if doc.kind is kind), None)


def documents_of_kind(application: Application, kind: DocumentKind) -> list[Document]:
    return [doc for doc in application.documents if doc.kind is kind]


def documents_by_kind(application: Application) -> dict[DocumentKind, list[Document]]:
    return {kind: documents_of_kind(application, kind) for kind in DocumentKind}


def missing_kinds(application: Application) -> list[DocumentKind]:
    """The kinds the application must have and has not."""
    return [kind for kind in REQUIRED_KINDS if document_of_kind(application, kind) is None]


@dataclass(frozen=True)
class KeptOffer:
    """A document the organisation keeps, as the application's page offers it: to use (it is
    good today and the application has not got it), or, out of date, to say so."""

    kept: KeptDocument
    usable: bool


def kept_offers(session: Session, application: Application, today: date
                ) -> dict[DocumentKind, list[KeptOffer]]:
    """For each kind, what the organisation keeps that the application could use: the newest
    one of a kind that has one, unless the application has that very file already; every
    supporting document it has not got."""
    have = {doc.sha256 for doc in application.documents}
    offers: dict[DocumentKind, list[KeptOffer]] = {}
    for kind, kept in kept_documents(session, application.organisation_id, today).items():
        candidates = kept if RULES[kind].several else kept[:1]
        offers[kind] = [KeptOffer(item, item.current) for item in candidates
                        if item.document.sha256 not in have]
    return offers


def upload_document(session: Session, storage: DocumentStorage, user: User,
                    application: Application, kind: DocumentKind, checked: CheckedFile,
                    document_date: date | None = None, *, today: date | None = None
                    ) -> Document:
    """Store a checked file as the application's document of this kind, replacing any it had
    (adding to them, for a kind that takes several). A kind that goes out of date refuses a
    file that is out of date by `today` already (when given).

    The new file is deleted again if the transaction does not commit; a replaced file is
    deleted only once it does. The caller has checked that the user may edit the application.
    """
    if today is not None and not is_current(kind, document_date, today):
        raise ValidationFailed({date_field(kind): RULES[kind].stale_reason})
    _lock_editable(session, application)
    stored = store_checked(session, storage, checked, user.id)
    return _attach(session, storage, user, application, kind, stored, document_date)


def use_kept_document(session: Session, storage: DocumentStorage, user: User,
                      application: Application, kept_id: int, *, today: date) -> Document:
    """Give the application its own copy of a document its organisation keeps, as it is
    now: replacing the organisation's document later does not change the application's."""
    kept = find_kept(session, application.organisation_id, kept_id)
    if not is_current(kept.kind, kept.document_date, today):
        raise Refusal(Words(
            N_("The %(document)s your organisation keeps is out of date. %(reason)s."),
            document=kept.kind.label.lower(), reason=RULES[kept.kind].stale_reason))
    _lock_editable(session, application)
    stored = copy_stored(session, storage, kept, user.id)
    return _attach(session, storage, user, application, kept.kind, stored, kept.document_date,
                   kept=kept)


def _attach(session: Session, storage: DocumentStorage, user: User, application: Application,
            kind: DocumentKind, stored: dict[str, Any], document_date: date | None, *,
            kept: OrganisationDocument | None = None) -> Document:
    # Read after the lock, so two uploads of the same kind at once leave one document.
    replaced = [] if RULES[kind].several else session.scalars(select(Document).where(
        Document.application_id == application.id, Document.kind == kind)).all()
    before = _describe(replaced[0]) if replaced else None
    for previous in replaced:
        session.delete(previous)
        delete_when_committed(session, storage, previous.storage_key)
    session.flush()
    document = Document(application_id=application.id, kind=kind,
                        document_date=document_date if RULES[kind].date_question else None,
                        **stored)
    session.add(document)
    session.flush()
    session.expire(application, ["documents"])
    note = _assisted_note(user, application)
    if kept is not None:
        note = " ".join(filter(None, [f"from the organisation's document {kept.id}", note]))
    record_event(
        session, actor_id=user.id,
        action="application.document_replaced" if replaced else "application.document_uploaded",
        entity_type="application", entity_id=application.id,
        before=before, after=_describe(document), note=note,
    )
    _mark_in_progress_if_not_started(session, user, application)
    logger.info("document %s (%s) added to application %s", document.id, kind.value,
                application.id)
    return document


def remove_document(session: Session, storage: DocumentStorage, user: User,
                    application: Application, document_id: int) -> Document:
    """Remove one of the application's documents; its file goes once the removal commits. A
    completed documents section is back in progress, as a document is now missing."""
    _lock_editable(session, application)
    document = find_document(application, document_id)
    before = _describe(document)
    delete_document(session, storage, application.documents, document)
    record_event(session, actor_id=user.id, action="application.document_removed",
                 entity_type="application", entity_id=application.id, before=before,
                 note=_assisted_note(user, application))
    if section_status(application, SECTION_KEY) is SectionStatus.COMPLETED:
        save_section(session, user, application, SECTION_KEY, answers={},
                              expected_version=None, apply=None)
    logger.info("document %s (%s) removed from application %s", document_id,
                document.kind.value, application.id)
    return document


def _lock_editable(session: Session, application: Application) -> None:
    """Lock the application's row and check, with its status as it is now, that it may change:
    uploads and removals wait for each other and for a submission in progress."""
    lock_row(session, Application, application.id)  # read afresh: submitted since the page loaded?
    ensure_editable(application)
    # A changed document changes the application: its version moves on, so a submission
    # made from a check-your-answers page opened before the change is sent back to check.
    application.updated_at = clock.utcnow()


def find_document(application: Application, document_id: int) -> Document:
    document = next((doc for doc in application.documents if doc.id == document_id), None)
    return or_not_found(document, "Document not found")


def save_documents_section(session: Session, user: User, application: Application, *,
                           complete: bool) -> SaveOutcome:
    """Mark the section: completed when asked and every kind of document is there, otherwise
    in progress. The outcome's errors say which documents are missing."""

    def require_every_document(_session: Session, app: Application) -> None:
        missing = missing_kinds(app)
        if missing:
            raise ValidationFailed({file_field(kind): RULES[kind].upload_label
                                    for kind in missing})

    return save_section(session, user, application, SECTION_KEY, answers={},
                                 expected_version=None,
                                 apply=require_every_document if complete else None)


def _mark_in_progress_if_not_started(session: Session, user: User,
                                     application: Application) -> None:
    if section_status(application, SECTION_KEY) is SectionStatus.NOT_STARTED:
        save_section(session, user, application, SECTION_KEY, answers={},
                              expected_version=None, apply=None)


def _describe(document: Document) -> dict:
    """What the audit trail records about a document: never its content."""
    return {"document_id": document.id, "kind": document.kind.value,
            "filename": document.original_filename, "size_bytes": document.size_bytes,
            "sha256": document.sha256}


def _assisted_note(user: User, application: Application) -> str:
    if permissions.is_member_of(user, application.organisation):
        return ""
    return "assisted digital: done by staff on the organisation's behalf"
