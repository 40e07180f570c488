"""The form of an application's documents section: the organisation's upload fields (one per
kind, saying what to upload), and whether to keep what is uploaded for future applications."""

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput
from wtforms import RadioField

from grants.documents.forms import DocumentsForm

KEEP = "yes"


class ApplicationDocumentsForm(DocumentsForm):
    keep = RadioField(
        "Keep these documents for future applications?",
        choices=[(KEEP, "Yes"), ("no", "No, use them for this application only")],
        default=KEEP,
        description="They are kept on your organisation's documents page, so the next "
                    "application can use them without uploading them again.",
        widget=GovRadioInput())

    @property
    def keeps(self) -> bool:
        return self.keep.data == KEEP
