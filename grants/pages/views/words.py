"""A page's words in the request's language: the translations Flask-Babel chooses for the
request, found for its first word and kept for the rest of it (grants.pages.views.language
decides which language that is)."""

from contextvars import ContextVar
from typing import Any

from babel.support import NullTranslations
from flask import Flask, has_request_context
from flask.globals import request_ctx
from flask_babel import get_translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

# The request's translations, found for its first word and kept for the rest of it, with the
# request they are for (which a later request cannot be).
_of_request: ContextVar[tuple[object, NullTranslations] | None] = ContextVar(
    "translations_of_request", default=None)


def install(app: Flask) -> None:
    # The pages' words through the request's translations found once, and formatted only when
    # they hold a placeholder: Flask-Babel's callables, wrapped by Jinja's, found them again
    # for every word and formatted each, which cost the layout page alone (seventy words)
    # more than a millisecond. What a word means is unchanged (Jinja's "new style" gettext).
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
        newstyle=True)
    app.jinja_env.globals.update(gettext=page_gettext, _=page_gettext, ngettext=page_ngettext)


@pass_context
def page_gettext(context: Context, string: str, /, **variables: Any) -> str:
    """A page's word in the request's language, with its placeholders filled."""
    return _formatted(context, request_translations().ugettext(string), variables)


@pass_context
def page_ngettext(context: Context, singular: str, plural: str, num: int, /,
                  **variables: Any) -> str:
    """A page's words for `num` things in the request's language, placeholders filled."""
    variables.setdefault("num", num)
    return _formatted(context, request_translations().ungettext(singular, plural, num),
                      variables)


def _formatted(context: Context, text: str, variables: dict[str, Any]) -> str:
    if context.eval_ctx.autoescape:
        text = Markup(text)
    # As Jinja does, a word is a format string even without values ("%%" is "%").
    return text % variables if variables or "%" in text else text


def said(text: str) -> str:
    """Marked words (`N_`) in the request's language."""
    return request_translations().ugettext(text)


def request_translations() -> NullTranslations:
    """The translations of the request's language, as Flask-Babel chooses them (outside a
    request, each time)."""
    if not has_request_context():
        return get_translations()
    request_now = request_ctx._get_current_object()
    kept = _of_request.get()
    if kept is not None and kept[0] is request_now:
        return kept[1]
    translations = get_translations()
    _of_request.set((request_now, translations))
    return translations
