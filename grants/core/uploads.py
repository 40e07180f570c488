"""The file chosen on an import page: every such page reads its file field the same way, and
repeats no more than the start of a long file name in its messages."""

from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage

# How much of an uploaded file's name a message repeats.
FILE_NAME_SHOWN = 60


def chosen_file(form: FlaskForm, field: str, missing: str) -> FileStorage | None:
    """The file sent in the form's `field`, on a valid POST; None when the page is to show
    (again): it is not a POST, the form's own checks failed, or no file was chosen (then
    `missing` is the field's error)."""
    if not form.validate_on_submit():
        return None
    chosen = form[field].data
    if not chosen or not chosen.filename:
        form[field].errors = [missing]
        return None
    return chosen


def shown_name(chosen: FileStorage) -> str:
    """The file's name as a message repeats it: its start, when it is long."""
    return chosen.filename[:FILE_NAME_SHOWN]
