"""How views show a service's refusal: on the form's fields, or on the page a button came from.

Both roll back what the request had started, so a refused change leaves nothing half-saved.
"""

from flask import flash, redirect, url_for
from flask_wtf import FlaskForm

from grants.errors import GrantsError, ValidationFailed
from grants.extensions import db


def show_errors(form: FlaskForm, error: GrantsError, fallback: str) -> None:
    """Put a service's refusal on the fields it is about (others on `fallback`)."""
    db.session.rollback()
    messages = error.errors if isinstance(error, ValidationFailed) else {error.field: error.message}
    for name, message in messages.items():
        field = form._fields.get(name) if name else None
        field = field if field is not None else form._fields[fallback]
        if message not in field.errors:
            field.errors = [*field.errors, message]


def refused(error: GrantsError, endpoint: str, **values):
    """A refusal that belongs to no field: say why on the page the person came from."""
    db.session.rollback()
    flash(error.message, "info")
    return redirect(url_for(endpoint, **values))
