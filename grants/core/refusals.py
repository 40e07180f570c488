"""The one way views show a refusal: on the form's fields, or on the page a button came from.

Neither rolls back itself: showing a refusal marks the request as refused, and the request's
end rolls back (see `create_app`), so a refused change leaves nothing half-saved.
"""

from flask import flash, g, redirect, url_for
from flask_wtf import FlaskForm

from grants.core.errors import Refusal


def mark_refused() -> None:
    """Have the request's end roll back instead of committing."""
    g.refused = True


def was_refused() -> bool:
    return bool(g.get("refused"))


def show_errors(form: FlaskForm, error: Refusal, fallback: str, *,
                roll_back: bool = True) -> None:
    """Put a refusal on the fields it is about (any other on `fallback`).

    `roll_back=False` when only a savepoint's work was refused (and is undone already), so
    what the request saved before it is kept: a draft saved before it failed to send.
    """
    if roll_back:
        mark_refused()
    for name, message in error.errors.items():
        field = form._fields.get(name) if name else None
        field = field if field is not None else form._fields[fallback]
        if message not in field.errors:
            field.errors = [*field.errors, message]


def refused(error: Refusal, endpoint: str, **values):
    """A refusal that belongs to no field: say why on the page the person came from."""
    mark_refused()
    flash(error.message, "info")
    return redirect(url_for(endpoint, **values))
