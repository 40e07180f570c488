"""The monitoring blueprint, and what its pages share."""

from flask import Blueprint

from grants.documents.operations.downloads import size_text
from grants.monitoring.models import MonitoringReport

bp = Blueprint("monitoring", __name__)


def document_rows(report: MonitoringReport) -> list[dict]:
    """The report's documents, oldest first, each with its size as people read it."""
    return [{"document": document, "size": size_text(document.size_bytes)}
            for document in sorted(report.documents, key=lambda d: (d.uploaded_at, d.id))]
