"""The documents section of an application: upload, replace, remove and download files."""

import logging

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovRadioInput
from wtforms import RadioField

from grants.applications import documents as document_services
from grants.applications import services
from grants.applications.blueprint import bp
from grants.applications.documents import FILE_FIELD, FileRefused
from grants.applications.models import Application, DocumentKind
from grants.applications.sections import SECTIONS_BY_KEY, next_section
from grants.applications.storage import MissingFile, storage_for
from grants.auth import permissions
from grants.core.errors import Refusal
from grants.extensions import db

logger = logging.getLogger(__name__)

KIND_FIELD = "kind"
ACTIONS = ("upload", "continue", "later")


class DocumentUploadForm(FlaskForm):
    kind = RadioField(
        "Which document are you uploading?",
        choices=[(kind.value, kind.label) for kind in DocumentKind],
        description="A document you have already uploaded is replaced by the new file.",
        validate_choice=False, widget=GovRadioInput())
    document_file = FileField(
        "Upload a file",
        description=(f"A {document_services.ALLOWED_TEXT}, smaller than "
                     f"{document_services.MAX_MEGABYTES}MB."),
        widget=GovFileInput())


def _viewable_application(application_id: int) -> Application:
    """The application, when the person may see it; 404 when they may not."""
    application = services.get_application(db.session, application_id)
    if not permissions.may_view_application(current_user, application):
        abort(404)
    return application


def _editable_application(application_id: int) -> Application:
    application = _viewable_application(application_id)
    if not permissions.may_edit_application(current_user, application):
        abort(403)
    return application


def _closed_reason(application: Application) -> str | None:
    """Why the documents cannot change now, or None when they can."""
    try:
        services.ensure_editable(application)
    except Refusal as error:
        return error.message
    return None


@bp.route("/applications/<int:application_id>/documents", methods=["GET", "POST"])
@login_required
def documents(application_id: int):
    """The three documents, each with its file, and the form that uploads one."""
    if request.method == "GET":
        application = _viewable_application(application_id)
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
            errors = _upload(application, form)
            if errors:
                db.session.rollback()
                return _render_errors(application_id, form, errors)
            if action == "upload":
                return redirect(url_for("applications.documents",
                                        application_id=application.id))
        outcome = document_services.save_documents_section(
            db.session, current_user, application, complete=action == "continue")
    except Refusal as error:
        db.session.rollback()
        flash(error.message, "info")
        return redirect(url_for("applications.task_list", application_id=application_id))

    if action == "later":
        flash("Your documents are saved. You can come back to them at any time before the "
              "round closes.", "success")
        return redirect(url_for("applications.task_list", application_id=application.id))
    if outcome.completed:
        return redirect(_next_url(application))
    return _render_errors(application_id, form, outcome.errors)


def _upload(application: Application, form: DocumentUploadForm) -> dict[str, str]:
    """Upload the chosen file as the chosen kind; the problems by field, if any."""
    errors: dict[str, str] = {}
    kind = _kind(form.kind.data)
    if kind is None:
        errors[KIND_FIELD] = "Select which document you are uploading"
    chosen = form.document_file.data
    checked = None
    try:
        checked = document_services.check_file(chosen.filename if chosen else None,
                                               chosen.stream if chosen else None)
    except FileRefused as refused:
        errors.update(refused.errors)
    if errors:
        return errors
    document = document_services.upload_document(
        db.session, storage_for(current_app.config), current_user, application, kind, checked)
    flash(f"{kind.label} uploaded: {document.original_filename}", "success")
    return {}


def _kind(value: str | None) -> DocumentKind | None:
    try:
        return DocumentKind(value)
    except ValueError:
        return None


def _next_url(application: Application) -> str:
    following = next_section(document_services.SECTION_KEY)
    if following is not None and following.endpoint in current_app.view_functions:
        return url_for(following.endpoint, application_id=application.id, key=following.key)
    return url_for("applications.task_list", application_id=application.id)


def _render_errors(application_id: int, form: DocumentUploadForm, errors: dict[str, str]):
    for name, message in errors.items():
        field = getattr(form, name if name in (KIND_FIELD, FILE_FIELD) else FILE_FIELD)
        field.errors = [*field.errors, message]
    # Load it again: a rollback expired what was loaded.
    return _render(_viewable_application(application_id), form)


def _render(application: Application, form: DocumentUploadForm):
    closed_reason = _closed_reason(application)
    may_edit = permissions.may_edit_application(current_user, application)
    editable = may_edit and closed_reason is None
    rows = [
        {"kind": kind, "document": document,
         "size": size_text(document.size_bytes) if document else None}
        for kind, document in document_services.documents_by_kind(application).items()
    ]
    return render_template(
        "applications/documents.html", application=application, section=SECTIONS_BY_KEY[
            document_services.SECTION_KEY], form=form, rows=rows, editable=editable,
        closed_reason=closed_reason if may_edit else None,
        accept=document_services.ACCEPT,
        back_url=url_for("applications.task_list", application_id=application.id)
        if may_edit else _url_if_registered("applications.view_application",
                                            application_id=application.id),
    )


def _url_if_registered(endpoint: str, **values) -> str | None:
    return url_for(endpoint, **values) if endpoint in current_app.view_functions else None


def size_text(size_bytes: int) -> str:
    """A file size as people read it: 512 bytes, 12KB, 2.5MB."""
    if size_bytes < 1024:
        return f"{size_bytes} bytes" if size_bytes != 1 else "1 byte"
    if size_bytes < 1024 * 1024:
        return f"{round(size_bytes / 1024)}KB"
    return f"{size_bytes / (1024 * 1024):.1f}MB".replace(".0MB", "MB")


@bp.post("/applications/<int:application_id>/documents/<int:document_id>/remove")
@login_required
def remove_document(application_id: int, document_id: int):
    application = _editable_application(application_id)
    if not any(doc.id == document_id for doc in application.documents):
        abort(404)
    try:
        document = document_services.remove_document(
            db.session, storage_for(current_app.config), current_user, application,
            document_id)
    except Refusal as error:
        db.session.rollback()
        flash(error.message, "info")
        return redirect(url_for("applications.documents", application_id=application_id))
    flash(f"{document.kind.label} removed: {document.original_filename}", "success")
    return redirect(url_for("applications.documents", application_id=application_id))


@bp.get("/applications/<int:application_id>/documents/<int:document_id>")
@login_required
def download_document(application_id: int, document_id: int):
    """The file, as an attachment, to the people who may see the application."""
    application = _viewable_application(application_id)
    document = next((doc for doc in application.documents if doc.id == document_id), None)
    if document is None:
        abort(404)
    try:
        file = document_services.open_document(storage_for(current_app.config), document)
    except MissingFile:
        logger.error("document %s of application %s has no stored file", document.id,
                     application.id)
        abort(404)
    response = send_file(
        file, mimetype=document.content_type, as_attachment=True,
        download_name=document.original_filename, conditional=False, etag=False,
        max_age=None)
    # Someone else's accounts: never kept by a shared cache or the browser's.
    response.headers["Cache-Control"] = "private, no-store"
    return response
