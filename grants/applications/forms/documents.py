"""The form of an application's documents section: the organisation's upload fields (one per
kind, saying what to upload), and whether to keep what is uploaded for future applications."""

from wtforms import RadioField

from grants.core.translatable import lazy_text as _l
from grants.core.widgets import RadioInput
from grants.documents.forms import DocumentsForm

KEEP = "yes"


class ApplicationDocumentsForm(DocumentsForm):
    keep = RadioField(
        _l("Keep these documents for future applications?"),
        choices=[(KEEP, _l("Yes")),
                 ("no", _l("No, use them for this application only"))],
        default=KEEP,
        description=_l("They are kept on your organisation's documents page, so the next "
                       "application can use them without uploading them again."),
        widget=RadioInput())

    @property
    def keeps(self) -> bool:
        return self.keep.data == KEEP
