"""The form that uploads an organisation's documents: for each kind, a file field that says
what to upload and, where the kind has one, the document's date. The application's documents
section uses the same fields, with its own question about keeping the files."""

from dataclasses import dataclass
from datetime import date

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput

from grants.core.errors import ValidationFailed
from grants.core.fields import DayMonthYearField
from grants.core.translatable import N_, Words
from grants.core.translatable import lazy_text as _l
from grants.documents.models import DocumentKind
from grants.documents.operations.checks import (
    ALLOWED_TEXT,
    FILE_FIELD,
    MAX_MEGABYTES,
    CheckedFile,
    FileRefused,
    check_file,
)
from grants.documents.operations.kept import date_field, file_field
from grants.documents.operations.kinds import RULES, date_problem

FORMATS_HINT = _l("A %(formats)s, each smaller than %(megabytes)sMB.", formats=ALLOWED_TEXT,
                  megabytes=MAX_MEGABYTES)
# At most this many files in one post of a kind that takes several.
MAX_FILES_AT_ONCE = 10


@dataclass(frozen=True)
class Upload:
    """A file that passed the checks, with the kind and date it was given as."""

    kind: DocumentKind
    checked: CheckedFile
    document_date: date | None


class DocumentsForm(FlaskForm):
    """One file field per kind (several files at once where the kind takes several) and a
    date per kind that has one. Fields are added below, one pair per kind, in RULES' order."""

    def kind_fields(self, kinds=None) -> list[tuple[DocumentKind, object, object | None]]:
        """(kind, file field, date field or None) for each kind, in the page's order."""
        return [(kind, self[file_field(kind)],
                 self[date_field(kind)] if RULES[kind].date_question else None)
                for kind in (kinds if kinds is not None else RULES)]

    def checked_uploads(self, today: date, kinds=None) -> list[Upload]:
        """Every file chosen, checked, with its kind's date; ValidationFailed names each
        problem on its field, so that nothing is kept when anything is wrong."""
        errors: dict[str, str] = {}
        uploads: list[Upload] = []
        for kind, files_field, when_field in self.kind_fields(kinds):
            chosen = files_field.data
            files = [chosen] if chosen and not isinstance(chosen, list) else list(chosen or [])
            files = [file for file in files if getattr(file, "filename", None)]
            if not files:
                continue
            if len(files) > MAX_FILES_AT_ONCE:
                errors[files_field.name] = Words(
                    N_("Choose %(most)s files or fewer at once"), most=MAX_FILES_AT_ONCE)
                continue
            document_date = when_field.data if when_field is not None else None
            if when_field is not None and not when_field.errors:
                problem = date_problem(kind, document_date, today)
                if problem:
                    errors[when_field.name] = problem
            for file in files:
                try:
                    checked = check_file(file.filename, file.stream)
                except FileRefused as refused:
                    message = refused.errors[FILE_FIELD]
                    errors[files_field.name] = (
                        Words(N_("%(file)s: %(problem)s"), file=file.filename, problem=message)
                        if len(files) > 1 else message)
                    break
                uploads.append(Upload(kind, checked, document_date))
        if errors:
            raise ValidationFailed(errors)
        return uploads


def _add_kind_fields(form_class: type[FlaskForm]) -> None:
    for kind, rule in RULES.items():
        if rule.several:
            field = MultipleFileField(_l(rule.upload_label), description=_l(
                "You can choose more than one file. %(formats)s", formats=FORMATS_HINT),
                widget=GovFileInput(multiple=True))
        else:
            field = FileField(_l(rule.upload_label), description=FORMATS_HINT,
                              widget=GovFileInput())
        setattr(form_class, file_field(kind), field)
        if rule.date_question:
            setattr(form_class, date_field(kind), DayMonthYearField(
                _l(rule.date_question), called=_l("The date"),
                description=_l("For example, %(example)s", example="27 3 2026")))


_add_kind_fields(DocumentsForm)
