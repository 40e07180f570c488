"""The language a page speaks: English, or Welsh where the office offers it and the visitor
chose it with the switch every page carries (the Welsh Language Standards).

The choice lives in a cookie, not the session, so a public page stays one that anyone may
keep (grants.core.caching): those pages vary by Cookie, so a copy kept for one language is
never served to someone who chose the other. Without the compiled catalogues
(`make translations`) the service speaks English only and offers no switch.
"""

import functools
import os
from typing import Any

from flask import (
    Flask,
    abort,
    current_app,
    g,
    has_request_context,
    redirect,
    request,
    url_for,
)
from flask_babel import get_babel, get_locale

from grants.core.links import safe_path
from grants.pages.views import words
from grants.pages.views.blueprint import bp
from grants.pages.views.layout import office_of_page

ENGLISH, WELSH = "en", "cy"
LANGUAGES = (ENGLISH, WELSH)
LANGUAGE_COOKIE = "language"
LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 3600
# Each language's name in itself: the switch offers the other language in its own words.
OWN_NAMES = {ENGLISH: "English", WELSH: "Cymraeg"}
# What the switch says to a screen reader, in the language it switches to.
SWITCH_LABELS = {ENGLISH: "Change the language to English",
                 WELSH: "Newid yr iaith i’r Gymraeg"}


def init_app(app: Flask) -> None:
    app.context_processor(language_context)
    words.install(app)


def language_of_request() -> str:
    """English, or Welsh when the page's office offers it, its catalogue is compiled and the
    visitor chose it. (Emails and commands speak English until they learn whose language.)"""
    if not has_request_context() or request.cookies.get(LANGUAGE_COOKIE) != WELSH:
        return ENGLISH
    return WELSH if offers_welsh() else ENGLISH


def offers_welsh() -> bool:
    """Whether this request's pages may be had in Welsh."""
    return office_of_page().welsh and _compiled(tuple(get_babel().translation_directories))


@functools.cache
def _compiled(directories: tuple[str, ...]) -> bool:
    return any(os.path.exists(os.path.join(directory, WELSH, "LC_MESSAGES", "messages.mo"))
               for directory in directories)


def language_context() -> dict[str, Any]:
    """`html_lang` for `<html lang>`, and the switch to the other language (None when the
    office offers only English)."""
    if not has_request_context():
        return {"html_lang": ENGLISH, "language_switch": None}
    # Once a request: each form field's widget renders a template of its own, which asks again.
    remembered = g.get("language_context")
    if remembered is None:
        g.language_context = remembered = _language_context()
    return remembered


def _language_context() -> dict[str, Any]:
    current = str(get_locale() or ENGLISH)
    if not offers_welsh():
        return {"html_lang": current, "language_switch": None}
    other = WELSH if current == ENGLISH else ENGLISH
    here = request.full_path.rstrip("?") if request.method == "GET" else request.path
    return {
        "html_lang": current,
        "language_switch": {
            "href": url_for("pages.choose_language", code=other, next=here),
            "lang": other,
            "text": OWN_NAMES[other],
            "label": SWITCH_LABELS[other],
        },
    }


@bp.get("/language/<code>")
def choose_language(code: str):
    """Remember the visitor's language and go back to the page they were on (a link, so it
    works without JavaScript; only ever to a page of this site)."""
    if code not in LANGUAGES or (code == WELSH and not offers_welsh()):
        abort(404)
    response = redirect(safe_path(request.args.get("next")) or url_for("pages.home"))
    if code == ENGLISH:
        # English is what a visitor without the cookie gets: their pages are everyone's.
        response.delete_cookie(LANGUAGE_COOKIE, samesite="Lax",
                               secure=current_app.config["SESSION_COOKIE_SECURE"])
    else:
        response.set_cookie(LANGUAGE_COOKIE, code, max_age=LANGUAGE_COOKIE_MAX_AGE,
                            httponly=True, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response  # never kept by a cache, as it sets a cookie (grants.core.caching)
