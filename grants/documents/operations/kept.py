"""The documents an organisation keeps for its applications: keeping a new one (which replaces
the one of its kind, where the kind has one), removing one, finding what is kept, and giving an
application its own copy of one.

The caller has checked that the person may change the organisation's documents.
"""

import logging
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.core.errors import ValidationFailed, or_not_found
from grants.core.locks import lock_row
from grants.documents.models import DocumentKind, OrganisationDocument
from grants.documents.operations.checks import CheckedFile
from grants.documents.operations.kinds import RULES, date_problem, is_current, review_due
from grants.documents.operations.storage import (
    DocumentStorage,
    delete_when_committed,
    store_checked,
)
from grants.organisations.models import Organisation
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)


def date_field(kind: DocumentKind) -> str:
    """The form field a kind's date is typed in, which its refusals belong to."""
    return f"{kind.value}_date"


def file_field(kind: DocumentKind) -> str:
    """The form field a kind's file is chosen in, which its refusals belong to."""
    return f"{kind.value}_file"


@dataclass(frozen=True)
class KeptDocument:
    """A kept document as the pages show it: the document, the last day it is good for an
    application (none: it does not go out of date) and whether it is good today."""

    document: OrganisationDocument
    review_due: date | None
    current: bool

    @property
    def kind(self) -> DocumentKind:
        return self.document.kind


def kept_documents(session: Session, organisation_id: int, today: date
                   ) -> dict[DocumentKind, list[KeptDocument]]:
    """Every kind with the organisation's documents of it, the newest first."""
    documents = session.scalars(
        select(OrganisationDocument)
        .where(OrganisationDocument.organisation_id == organisation_id)
        .order_by(OrganisationDocument.uploaded_at.desc(), OrganisationDocument.id.desc())).all()
    kept: dict[DocumentKind, list[KeptDocument]] = {kind: [] for kind in RULES}
    for document in documents:
        kept[document.kind].append(KeptDocument(
            document, review_due(document.kind, document.document_date),
            is_current(document.kind, document.document_date, today)))
    return kept


def find_kept(session: Session, organisation_id: int, document_id: int
              ) -> OrganisationDocument:
    """The organisation's document; NotFound when it has none of that id."""
    document = session.get(OrganisationDocument, document_id)
    if document is not None and document.organisation_id != organisation_id:
        document = None
    return or_not_found(document, "Document not found")


def keep_document(session: Session, storage: DocumentStorage, user_id: int,
                  organisation_id: int, kind: DocumentKind, checked: CheckedFile,
                  document_date: date | None, *, today: date) -> OrganisationDocument:
    """Keep a checked file as the organisation's document of this kind, replacing the one it
    kept where the kind has one. The new file is deleted again if the transaction does not
    commit; a replaced one only once it does."""
    problem = date_problem(kind, document_date, today)
    if problem:
        raise ValidationFailed({date_field(kind): problem})
    # Two uploads of the same kind at once leave one document.
    lock_row(session, Organisation, organisation_id)
    stored = store_checked(session, storage, checked, user_id)
    replaced = [] if RULES[kind].several else session.scalars(
        select(OrganisationDocument).where(
            OrganisationDocument.organisation_id == organisation_id,
            OrganisationDocument.kind == kind)).all()
    before = _describe(replaced[0]) if replaced else None
    for previous in replaced:
        session.delete(previous)
        delete_when_committed(session, storage, previous.storage_key)
    session.flush()
    document = OrganisationDocument(organisation_id=organisation_id, kind=kind,
                                    document_date=document_date if RULES[kind].date_question
                                    else None, **stored)
    session.add(document)
    session.flush()
    record_event(session, actor_id=user_id,
                 action="organisation.document_replaced" if replaced
                 else "organisation.document_kept",
                 entity_type="organisation", entity_id=organisation_id,
                 before=before, after=_describe(document))
    logger.info("document %s (%s) kept by organisation %s", document.id, kind.value,
                organisation_id)
    return document


def remove_kept_document(session: Session, storage: DocumentStorage, user_id: int,
                         organisation_id: int, document_id: int) -> OrganisationDocument:
    """Remove one of the organisation's documents; its file goes once the removal commits.
    Applications that used it keep their own copies."""
    lock_row(session, Organisation, organisation_id)
    document = find_kept(session, organisation_id, document_id)
    before = _describe(document)
    session.delete(document)
    session.flush()
    delete_when_committed(session, storage, document.storage_key)
    record_event(session, actor_id=user_id, action="organisation.document_removed",
                 entity_type="organisation", entity_id=organisation_id, before=before)
    logger.info("document %s (%s) removed from organisation %s", document_id,
                document.kind.value, organisation_id)
    return document


def _describe(document: OrganisationDocument) -> dict:
    """What the audit trail records about a document: never its content."""
    return {"document_id": document.id, "kind": document.kind.value,
            "filename": document.original_filename, "size_bytes": document.size_bytes,
            "sha256": document.sha256,
            "document_date": document.document_date.isoformat()
            if document.document_date else None}
