"""The form that uploads one of an application's documents."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovRadioInput
from wtforms import RadioField

from grants.applications.models import DocumentKind
from grants.documents.operations.checks import ALLOWED_TEXT, MAX_MEGABYTES


class DocumentUploadForm(FlaskForm):
    kind = RadioField(
        "Which document are you uploading?",
        choices=[(kind.value, kind.label) for kind in DocumentKind],
        description="A document you have already uploaded is replaced by the new file.",
        validate_choice=False, widget=GovRadioInput())
    document_file = FileField(
        "Upload a file",
        description=f"A {ALLOWED_TEXT}, smaller than {MAX_MEGABYTES}MB.",
        widget=GovFileInput())
