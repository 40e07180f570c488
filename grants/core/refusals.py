"""The one way views show a refusal: on the form's fields, or on the page a button came from.

Neither rolls back itself: showing a refusal marks the request as refused, and the request's
end rolls back (see `create_app`), so a refused change leaves nothing half-saved.
"""

from collections.abc import Callable
from typing import TypeVar

from flask import flash, g, redirect, url_for
from flask_babel import get_locale, gettext
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from grants.core.errors import Refusal, ValidationFailed
from grants.core.translatable import Moment, Words

T = TypeVar("T")


def mark_refused() -> None:
    """Have the request's end roll back instead of committing."""
    g.refused = True


def was_refused() -> bool:
    return bool(g.get("refused"))


def in_page_language(message):
    """A refusal's words in the page's language: an operation says them in English, marked
    for the catalogue (grants.core.translatable), and English pages show them as they are. A
    message with values (`Words`) is translated before its values are put in."""
    if not message or str(get_locale() or "en") == "en":
        return message
    if isinstance(message, Words):
        language = str(get_locale())
        return gettext(message.message, **{
            name: (value.said_in(language) if hasattr(value, "said_in")
                   else in_page_language(value) if isinstance(value, Words) else value)
            for name, value in message.values.items()})
    return gettext(str(message))


def as_said(value):
    """A value on a page in the page's language when it is marked words (`Words`, `Moment`),
    and as it is otherwise: what someone typed is shown as typed, even where it happens to
    read as words the catalogue knows."""
    if isinstance(value, Moment) and str(get_locale() or "en") != "en":
        return value.said_in(str(get_locale()))
    return in_page_language(value) if isinstance(value, Words) else value


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
        message = in_page_language(message)
        if message not in field.errors:
            field.errors = [*field.errors, message]


def refused(error: Refusal, endpoint: str, **values):
    """A refusal that belongs to no field: say why on the page the person came from."""
    mark_refused()
    flash(in_page_language(error.message), "info")
    return redirect(url_for(endpoint, **values))


def pressed(action: Callable[[], T], *, done: str | Callable[[T], str], endpoint: str,
            **values) -> Response:
    """What a button's POST does: carry out `action`, then go back to the page at `endpoint`
    saying it is done (`done`, or `done(result)`), or, when refused, saying why."""
    try:
        result = action()
    except Refusal as error:
        return refused(error, endpoint, **values)
    flash(done(result) if callable(done) else done, "success")
    return redirect(url_for(endpoint, **values))


def carry_out(form: FlaskForm, action: Callable[[], T], *, field: str,
              done: str | Callable[[T], str] | None, then: str | Callable[[T], str] | None = None,
              refusals_to: str | None = None, back_to: str | None = None,
              category: str = "success", ruled_out: str | None = None) -> Response | None:
    """What every form's POST does: check the answers, carry out `action`, say what happened.

    Returns the redirect to answer with, or None when the page is to show (again, with its
    errors): it is not a POST, the form's own checks failed, or the action refused. A refusal
    is shown on the field it names (`field` when it names none); with `refusals_to`, a
    refusal that is not about the answers (a rule of the record's state) is said on that page
    instead. When done, `done` (or `done(result)`) is flashed and the person is sent to `then`
    (or `then(result)`). `back_to` is the page the person goes back to either way (both
    `then` and `refusals_to`). `ruled_out` is why the record's state rules the form out before
    anyone fills it in (a `why_not_…` check's answer): then, GET or POST, nothing is done and
    the person is told why on the page at `refusals_to`.
    """
    if back_to is not None:
        then = refusals_to = back_to
    if ruled_out:
        flash(ruled_out, "info")
        return redirect(refusals_to)
    if not form.validate_on_submit():
        return None
    try:
        result = action()
    except ValidationFailed as failure:
        show_errors(form, failure, field)
        return None
    except Refusal as refusal:
        if refusals_to is None:
            show_errors(form, refusal, field)
            return None
        mark_refused()
        flash(in_page_language(refusal.message), "info")
        return redirect(refusals_to)
    message = done(result) if callable(done) else done
    if message:
        flash(message, category)
    return redirect(then(result) if callable(then) else then)
