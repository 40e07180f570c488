"""Refuse files sent under the name of a form field that takes text, with the 400 page.

Flask-WTF gives a form the uploaded files together with the text fields, so a crafted request
that sends a file where a form expects text would reach that field's filters (`.strip()`) and
fail with a server error. No page of the service sends one.
"""

import logging
from functools import cache

from flask import Flask, abort, request
from flask_wtf import FlaskForm
from wtforms import FileField
from wtforms.fields.core import UnboundField

logger = logging.getLogger(__name__)


@cache
def _file_field_names() -> frozenset[str]:
    """The names of the file fields of every form the service defines."""
    names, forms = set(), [FlaskForm]
    while forms:
        form = forms.pop()
        forms.extend(form.__subclasses__())
        names.update(name for name, value in vars(form).items()
                     if isinstance(value, UnboundField) and issubclass(value.field_class,
                                                                        FileField))
    return frozenset(names)


def install(app: Flask) -> None:
    @app.before_request
    def refuse_files_for_text_fields():
        if request.method != "POST" or not request.files:
            return
        unexpected = set(request.files) - _file_field_names()
        if unexpected:
            logger.info("Refused a post with files under %s", ", ".join(sorted(unexpected)))
            abort(400)
