"""The files a grant holder sends with a report: adding and removing them."""

import logging

from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.core.errors import ValidationFailed, or_not_found
from grants.documents.operations.storage import (
    DocumentStorage,
    delete_document,
    store_checked,
)
from grants.monitoring.models import MonitoringDocument, MonitoringReport
from grants.monitoring.operations.guard import MonitoringRefused, check_member, locked_report
from grants.monitoring.operations.returns import why_not_editable
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

MAX_DOCUMENTS = 10


def upload_report_document(session: Session, storage: DocumentStorage, user: User,
                           report: MonitoringReport, checked) -> MonitoringDocument:
    """Store a checked file (`grants.documents.operations.checks.check_file`) with the report. The
    file is deleted again if the transaction does not commit."""
    check_member(user, report)
    report = locked_report(session, report)
    MonitoringRefused.raise_if(why_not_editable(report))
    if len(report.documents) >= MAX_DOCUMENTS:
        raise ValidationFailed({"document_file": f"You can send up to {MAX_DOCUMENTS} "
                                                 "documents. Remove one to add another"})
    document = MonitoringDocument(report_id=report.id,
                                  **store_checked(session, storage, checked, user.id))
    session.add(document)
    session.flush()
    session.expire(report, ["documents"])
    record_event(session, actor_id=user.id, action="monitoring_report.document_uploaded",
                 entity_type="monitoring_report", entity_id=report.id,
                 after=_describe(document))
    logger.info("document %s uploaded to monitoring report %s", document.id, report.id)
    return document


def remove_report_document(session: Session, storage: DocumentStorage, user: User,
                           report: MonitoringReport, document_id: int) -> MonitoringDocument:
    """Remove one of the report's documents; its file goes once the removal commits."""
    check_member(user, report)
    report = locked_report(session, report)
    document = find_document(report, document_id)
    MonitoringRefused.raise_if(why_not_editable(report))
    before = _describe(document)
    delete_document(session, storage, report.documents, document)
    record_event(session, actor_id=user.id, action="monitoring_report.document_removed",
                 entity_type="monitoring_report", entity_id=report.id, before=before)
    logger.info("document %s removed from monitoring report %s", document_id, report.id)
    return document


def find_document(report: MonitoringReport, document_id: int) -> MonitoringDocument:
    document = next((doc for doc in report.documents if doc.id == document_id), None)
    return or_not_found(document, "There is no such document")


def _describe(document: MonitoringDocument) -> dict:
    """What the record keeps of a document: never its content."""
    return {"document_id": document.id, "filename": document.original_filename,
            "size_bytes": document.size_bytes, "sha256": document.sha256}
