"""An organisation's documents page: its members keep the documents applications ask for
(upload, replace, remove, see their dates); staff see them, read-only."""

import logging

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from grants.auth import permissions
from grants.auth.decorators import permitted
from grants.core import clock
from grants.core.downloads import private_attachment
from grants.core.errors import ValidationFailed
from grants.core.refusals import mark_refused, pressed, show_errors
from grants.core.translatable import N_
from grants.documents.forms import DocumentsForm
from grants.documents.models import DocumentKind
from grants.documents.operations import kept
from grants.documents.operations.checks import ACCEPT
from grants.documents.operations.downloads import open_document, size_text
from grants.documents.operations.kinds import RULES
from grants.documents.operations.storage import storage_for
from grants.extensions import db
from grants.organisations.operations.listing import get_organisation

logger = logging.getLogger(__name__)

bp = Blueprint("documents", __name__)

FIRST_FILE_FIELD = kept.file_field(DocumentKind.SAFEGUARDING_POLICY)


def _organisation_for(check, organisation_id: int):
    """The organisation, when the person may do this to its documents; 404 when they may not
    see it at all, 403 when they may only look."""
    return permitted(get_organisation(db.session, organisation_id),
                     permissions.may_view_organisation, check)


@bp.route("/organisations/<int:organisation_id>/documents", methods=["GET", "POST"])
@login_required
def organisation_documents(organisation_id: int):
    """What the organisation keeps, each kind with its dates, and the form that adds more."""
    if request.method == "GET":
        organisation = _organisation_for(permissions.may_view_organisation, organisation_id)
        return _render(organisation, DocumentsForm())
    organisation = _organisation_for(permissions.may_change_organisation_documents,
                                     organisation_id)
    form = DocumentsForm()
    if not form.validate_on_submit():
        mark_refused()
        return _render(organisation, form)
    today = clock.today_in_london()
    try:
        uploads = form.checked_uploads(today)
        if not uploads:
            raise ValidationFailed({FIRST_FILE_FIELD: N_("Select a file to upload")})
        storage = storage_for(current_app.config)
        for upload in uploads:
            kept.keep_document(db.session, storage, current_user.id, organisation.id,
                               upload.kind, upload.checked, upload.document_date, today=today)
    except ValidationFailed as failure:
        show_errors(form, failure, FIRST_FILE_FIELD)
        return _render(organisation, form)
    names = ", ".join(upload.checked.original_filename for upload in uploads)
    flash(_("Saved for your applications: %(names)s", names=names), "success")
    return redirect(url_for("documents.organisation_documents", organisation_id=organisation.id))


def _render(organisation, form: DocumentsForm):
    today = clock.today_in_london()
    documents = kept.kept_documents(db.session, organisation.id, today)
    return render_template(
        "documents/organisation.html", organisation=organisation, form=form,
        rules=RULES, documents=documents, size_text=size_text, accept=ACCEPT,
        may_change=permissions.may_change_organisation_documents(current_user, organisation))


@bp.get("/organisations/<int:organisation_id>/documents/<int:document_id>")
@login_required
def download_organisation_document(organisation_id: int, document_id: int):
    """The file, as an attachment, to the organisation's members and staff."""
    organisation = _organisation_for(permissions.may_view_organisation, organisation_id)
    document = kept.find_kept(db.session, organisation.id, document_id)
    file = open_document(storage_for(current_app.config), document,
                         f"organisation {organisation.id}")
    return private_attachment(file, download_name=document.original_filename,
                              mimetype=document.content_type)


@bp.post("/organisations/<int:organisation_id>/documents/<int:document_id>/remove")
@login_required
def remove_organisation_document(organisation_id: int, document_id: int):
    organisation = _organisation_for(permissions.may_change_organisation_documents,
                                     organisation_id)
    kept.find_kept(db.session, organisation.id, document_id)
    return pressed(
        lambda: kept.remove_kept_document(db.session, storage_for(current_app.config),
                                          current_user.id, organisation.id, document_id),
        done=lambda document: _("%(document)s removed: %(file)s",
                                document=_(document.kind.label),
                                file=document.original_filename),
        endpoint="documents.organisation_documents", organisation_id=organisation.id)
