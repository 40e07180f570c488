"""The documents section of an application: use the documents the organisation keeps, upload,
replace, remove and download files.

The files are checked, stored and opened by the documents area; what the section asks for,
and who may change it, is the application's.
"""

import logging
from collections.abc import Callable

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from grants.applications.forms.documents import ApplicationDocumentsForm
from grants.applications.models import Application, Document, DocumentKind
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
from grants.core import clock
from grants.core.downloads import private_attachment
from grants.core.errors import Refusal, ValidationFailed
from grants.core.refusals import in_page_language, mark_refused, pressed, refused, show_errors
from grants.core.translatable import N_
from grants.documents.forms import Upload
from grants.documents.operations import kept
from grants.documents.operations.checks import ACCEPT, FILE_FIELD
from grants.documents.operations.downloads import open_document, size_text
from grants.documents.operations.kinds import RULES
from grants.documents.operations.storage import storage_for
from grants.extensions import db

logger = logging.getLogger(__name__)

ACTIONS = ("upload", "continue", "later")
SECTION_KEY = application_documents.SECTION_KEY
FIRST_FILE_FIELD = kept.file_field(DocumentKind.SAFEGUARDING_POLICY)


def _editable_application(application_id: int) -> Application:
    return application_for(permissions.may_edit_application, application_id)


def _closed_reason(application: Application) -> str | None:
    """Why the documents cannot change now, or None when they can."""
    try:
        ensure_editable(application)
    except Refusal as error:
        return in_page_language(error.message)
    return None


@bp.route("/applications/<int:application_id>/documents", methods=["GET", "POST"])
@login_required
def documents(application_id: int):
    """Each kind of document with its file, what the organisation keeps to use, and the form
    that uploads files."""
    if request.method == "GET":
        application = viewable_application(application_id)
        return _render(application, ApplicationDocumentsForm())

    application = _editable_application(application_id)
    form = ApplicationDocumentsForm()
    action = request.form.get("action")
    if action not in ACTIONS:
        action = "upload"
    if not form.validate_on_submit():
        mark_refused()
        return _render(application, form)
    try:
        # Files chosen before "Save and continue" are uploaded, not silently dropped.
        uploads = _upload(application, form)
        if action == "upload":
            if not uploads:
                raise ValidationFailed({FIRST_FILE_FIELD: N_("Select a file to upload")})
            return redirect(url_for("applications.documents", application_id=application.id))
        outcome = application_documents.save_documents_section(
            db.session, current_user, application, complete=action == "continue")
    except ValidationFailed as failure:
        show_errors(form, failure, FIRST_FILE_FIELD)
        return _render(application, form)
    except Refusal as error:
        return refused(error, "applications.task_list", application_id=application_id)

    if action == "later":
        return saved_for_later(application, "documents")
    if outcome.completed:
        return to_next_section(application, SECTION_KEY)
    _show_on_form(form, outcome.errors)
    return _render(application, form)


def _upload(application: Application, form: ApplicationDocumentsForm) -> list[Upload]:
    """Upload every chosen file as its kind, and keep it for the organisation too when asked
    (by one of its members); ValidationFailed names each problem, and nothing is kept."""
    today = clock.today_in_london()
    uploads = form.checked_uploads(today)
    storage = storage_for(current_app.config)
    keep = form.keeps and permissions.is_member_of(current_user, application.organisation)
    for upload in uploads:
        document = application_documents.upload_document(
            db.session, storage, current_user, application, upload.kind, upload.checked,
            upload.document_date, today=today)
        if keep:
            kept.keep_document(db.session, storage, current_user.id,
                               application.organisation_id, upload.kind, upload.checked,
                               upload.document_date, today=today)
        words = {"document": _(upload.kind.label), "file": document.original_filename}
        flash(_("%(document)s uploaded: %(file)s. It is kept for future applications too.",
                **words) if keep else _("%(document)s uploaded: %(file)s", **words), "success")
    return uploads


def _show_on_form(form: ApplicationDocumentsForm, errors: dict[str, str]) -> None:
    """The section's own problems (documents missing), which are saved, not refused."""
    for name, message in errors.items():
        field = form[FIRST_FILE_FIELD if name == FILE_FIELD or name not in form else name]
        field.errors = [*field.errors, in_page_language(message)]


def _render(application: Application, form: ApplicationDocumentsForm):
    closed_reason = _closed_reason(application)
    may_edit = permissions.may_edit_application(current_user, application)
    editable = may_edit and closed_reason is None
    have = application_documents.documents_by_kind(application)
    rows = [
        {"kind": kind, "rule": RULES[kind], "document": document,
         "size": size_text(document.size_bytes)}
        for kind, documents in have.items() for document in documents
    ] + [{"kind": kind, "rule": RULES[kind], "document": None, "size": None}
         for kind in application_documents.missing_kinds(application)]
    rows.sort(key=lambda row: list(RULES).index(row["kind"]))
    offers = (application_documents.kept_offers(db.session, application,
                                                clock.today_in_london())
              if editable else {})
    usable = [offer for kind_offers in offers.values() for offer in kind_offers if offer.usable]
    # Out of date, and the application has none of its kind: say why it is asked for again.
    stale = [offer for kind, kind_offers in offers.items() for offer in kind_offers
             if not offer.usable and not have[kind]]
    return render_template(
        "applications/documents.html", application=application,
        section=SECTIONS_BY_KEY[SECTION_KEY], form=form, rows=rows, editable=editable,
        closed_reason=closed_reason if may_edit else None, rules=RULES, have=have,
        usable=usable, stale=stale, accept=ACCEPT,
        may_keep=permissions.is_member_of(current_user, application.organisation),
        back_url=url_for("applications.task_list", application_id=application.id)
        if may_edit else url_for("applications.view_application",
                                 application_id=application.id),
    )


def _pressed(application: Application, done: str, change: Callable[[], Document]):
    """A button that changes one of the application's documents: back to the documents page,
    saying what was `done` to which ("added", "removed")."""
    said = {"added": N_("%(document)s added: %(file)s"),
            "removed": N_("%(document)s removed: %(file)s")}[done]
    return pressed(
        change,
        done=lambda document: _(said, document=_(document.kind.label),
                                file=document.original_filename),
        endpoint="applications.documents", application_id=application.id)


@bp.post("/applications/<int:application_id>/documents/use/<int:kept_document_id>")
@login_required
def use_kept_document(application_id: int, kept_document_id: int):
    """Use a document the organisation keeps: the application takes its own copy."""
    application = _editable_application(application_id)
    kept.find_kept(db.session, application.organisation_id, kept_document_id)
    return _pressed(application, "added", lambda: application_documents.use_kept_document(
        db.session, storage_for(current_app.config), current_user, application,
        kept_document_id, today=clock.today_in_london()))


@bp.post("/applications/<int:application_id>/documents/<int:document_id>/remove")
@login_required
def remove_document(application_id: int, document_id: int):
    application = _editable_application(application_id)
    if not any(doc.id == document_id for doc in application.documents):
        abort(404)
    return _pressed(application, "removed", lambda: application_documents.remove_document(
        db.session, storage_for(current_app.config), current_user, application, document_id))


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
