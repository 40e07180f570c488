"""The documents section of an application: upload, replace, remove and download files.

The files are checked, stored and opened by the documents area; what the section asks for,
and who may change it, is the application's.
"""

import logging

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from grants.applications.forms.documents import DocumentUploadForm
from grants.applications.models import Application, DocumentKind
from grants.applications.operations import documents as application_documents
from grants.applications.operations.answers import ensure_editable
from grants.applications.operations.sections import SECTIONS_BY_KEY
from grants.applications.views.blueprint import bp
from grants.applications.views.common import (
    application_for,
    saved_for_later,
    to_next_section,
    viewable_application,
)
from grants.auth import permissions
from grants.core.downloads import private_attachment
from grants.core.errors import Refusal, ValidationFailed
from grants.core.refusals import pressed, refused, show_errors
from grants.documents.operations.checks import ACCEPT, FILE_FIELD, FileRefused, check_file
from grants.documents.operations.downloads import open_document, size_text
from grants.documents.operations.storage import storage_for
from grants.extensions import db

logger = logging.getLogger(__name__)

KIND_FIELD = "kind"
ACTIONS = ("upload", "continue", "later")
SECTION_KEY = application_documents.SECTION_KEY


def _editable_application(application_id: int) -> Application:
    return application_for(permissions.may_edit_application, application_id)


def _closed_reason(application: Application) -> str | None:
    """Why the documents cannot change now, or None when they can."""
    try:
        ensure_editable(application)
    except Refusal as error:
        return error.message
    return None


@bp.route("/applications/<int:application_id>/documents", methods=["GET", "POST"])
@login_required
def documents(application_id: int):
    """The three documents, each with its file, and the form that uploads one."""
    if request.method == "GET":
        application = viewable_application(application_id)
        return _render(application, DocumentUploadForm())

    application = _editable_application(application_id)
    form = DocumentUploadForm()
    action = request.form.get("action")
    if action not in ACTIONS:
        action = "upload"
    chosen = form.document_file.data
    try:
        if action == "upload" or chosen:
            # A file chosen before "Save and continue" is uploaded, not silently dropped.
            _upload(application, form)
            if action == "upload":
                return redirect(url_for("applications.documents",
                                        application_id=application.id))
        outcome = application_documents.save_documents_section(
            db.session, current_user, application, complete=action == "continue")
    except ValidationFailed as failure:
        show_errors(form, failure, FILE_FIELD)
        return _render(application, form)
    except Refusal as error:
        return refused(error, "applications.task_list", application_id=application_id)

    if action == "later":
        return saved_for_later(application, "documents")
    if outcome.completed:
        return to_next_section(application, SECTION_KEY)
    _show_on_form(form, outcome.errors)
    return _render(application, form)


def _upload(application: Application, form: DocumentUploadForm) -> None:
    """Upload the chosen file as the chosen kind; ValidationFailed names each problem."""
    errors: dict[str, str] = {}
    kind = _kind(form.kind.data)
    if kind is None:
        errors[KIND_FIELD] = "Select which document you are uploading"
    chosen = form.document_file.data
    checked = None
    try:
        checked = check_file(chosen.filename if chosen else None,
                             chosen.stream if chosen else None)
    except FileRefused as refused_file:
        errors.update(refused_file.errors)
    if errors:
        raise ValidationFailed(errors)
    document = application_documents.upload_document(
        db.session, storage_for(current_app.config), current_user, application, kind, checked)
    flash(f"{kind.label} uploaded: {document.original_filename}", "success")


def _kind(value: str | None) -> DocumentKind | None:
    try:
        return DocumentKind(value)
    except ValueError:
        return None


def _show_on_form(form: DocumentUploadForm, errors: dict[str, str]) -> None:
    """The section's own problems (documents missing), which are saved, not refused."""
    for name, message in errors.items():
        field = getattr(form, name if name in (KIND_FIELD, FILE_FIELD) else FILE_FIELD)
        field.errors = [*field.errors, message]


def _render(application: Application, form: DocumentUploadForm):
    closed_reason = _closed_reason(application)
    may_edit = permissions.may_edit_application(current_user, application)
    editable = may_edit and closed_reason is None
    rows = [
        {"kind": kind, "document": document,
         "size": size_text(document.size_bytes) if document else None}
        for kind, document in application_documents.documents_by_kind(application).items()
    ]
    return render_template(
        "applications/documents.html", application=application,
        section=SECTIONS_BY_KEY[SECTION_KEY], form=form, rows=rows, editable=editable,
        closed_reason=closed_reason if may_edit else None,
        accept=ACCEPT,
        back_url=url_for("applications.task_list", application_id=application.id)
        if may_edit else url_for("applications.view_application",
                                 application_id=application.id),
    )


@bp.post("/applications/<int:application_id>/documents/<int:document_id>/remove")
@login_required
def remove_document(application_id: int, document_id: int):
    application = _editable_application(application_id)
    if not any(doc.id == document_id for doc in application.documents):
        abort(404)
    return pressed(
        lambda: application_documents.remove_document(
            db.session, storage_for(current_app.config), current_user, application, document_id),
        done=lambda document: f"{document.kind.label} removed: {document.original_filename}",
        endpoint="applications.documents", application_id=application_id)


@bp.get("/applications/<int:application_id>/documents/<int:document_id>")
@login_required
def download_document(application_id: int, document_id: int):
    """The file, as an attachment, to the people who may see the application."""
    application = viewable_application(application_id)
    document = next((doc for doc in application.documents if doc.id == document_id), None)
    if document is None:
        abort(404)
    file = open_document(storage_for(current_app.config), document,
                         f"application {application.id}")
    return private_attachment(file, download_name=document.original_filename,
                              mimetype=document.content_type)
