"""Templates compiled once for each language, with their plain words already translated.

A page's words are mostly plain: a `{% trans %}` block without values, or `_("…")` with one
string. Looked up as the page renders, each costs a call (seventy on the plainest page, a third
of its time). So a template is compiled for the language of the request that first asks for it
in that language ("cy:base.html" beside "base.html", which is English), and its plain words are
written into the compiled template in that language, as constants, exactly as the lookup would
have given them (marked safe where the template escapes, "%%" read as "%"). Words with values,
plurals or a context are still looked up as the page renders (grants.pages.views.words).

The catalogue is read when a template is compiled: as with Flask-Babel's own translations,
which are kept for the life of the process, a changed catalogue shows after a restart.
"""

import functools
import threading
from collections.abc import Iterator
from typing import Any

from babel import Locale
from babel.support import NullTranslations, Translations
from flask import g, has_request_context
from flask.templating import Environment
from flask_babel import get_babel, get_locale
from jinja2 import BaseLoader, nodes
from jinja2.ext import InternationalizationExtension
from jinja2.lexer import Token, TokenStream

# The language the templates are written in: their names carry no language.
SOURCE_LANGUAGE = "en"
_SEPARATOR = ":"


class CompiledWordsEnvironment(Environment):
    """Flask's environment, with each template loaded under the request's language."""

    def __init__(self, app: Any, **options: Any) -> None:
        super().__init__(app, **options)
        self.loader = _LanguageLoader(self.loader)

    def _load_template(self, name: str, globals: Any) -> Any:  # noqa: A002 (Jinja's name)
        language = _language_now()
        if language != SOURCE_LANGUAGE:
            name = f"{language}{_SEPARATOR}{name}"
        return super()._load_template(name, globals)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        template = super()._parse(source, name, filename)
        _merge_outputs(template)
        return template


def _merge_outputs(node: nodes.Node) -> None:
    """Join each run of outputs side by side into one, so that the words written in as
    constants join the template's text around them: the page then yields one piece of text
    where it yielded one for each `{% trans %}` and the text between (and each piece passes
    up through every template the page extends)."""
    for field, value in node.iter_fields():
        if isinstance(value, list):
            joined: list[Any] = []
            for item in value:
                if (isinstance(item, nodes.Output) and joined
                        and isinstance(joined[-1], nodes.Output)):
                    joined[-1].nodes.extend(item.nodes)
                else:
                    joined.append(item)
            setattr(node, field, joined)
            for item in joined:
                if isinstance(item, nodes.Node):
                    _merge_outputs(item)
        elif isinstance(value, nodes.Node):
            _merge_outputs(value)


class _LanguageLoader(BaseLoader):
    """The app's loader, for a name with or without its language."""

    def __init__(self, loader: BaseLoader) -> None:
        self.loader = loader

    def get_source(self, environment: Any, template: str) -> Any:
        return self.loader.get_source(environment, template_of(template))

    def list_templates(self) -> list[str]:
        return self.loader.list_templates()


def template_of(name: str) -> str:
    """The template a name loads, without its language."""
    language, separator, rest = name.partition(_SEPARATOR)
    return rest if separator and "/" not in language else name


def language_of(name: str | None) -> str:
    """The language a template of this name is compiled in."""
    if not name:
        return SOURCE_LANGUAGE
    language, separator, _ = name.partition(_SEPARATOR)
    return language if separator and "/" not in language else SOURCE_LANGUAGE


def _language_now() -> str:
    """The language the request's pages speak (Flask-Babel's choice, which a command or an
    email can force); the templates' own outside one. Asked for every template a page loads:
    the locale Flask-Babel keeps for the request (or forces) is read where it keeps it, and
    looked for only when it has none yet."""
    if not has_request_context():
        return SOURCE_LANGUAGE
    kept = getattr(getattr(g._get_current_object(), "_flask_babel", None), "babel_locale", None)
    locale = kept if kept is not None else get_locale()
    return _name_of(locale) if locale else SOURCE_LANGUAGE


@functools.lru_cache(maxsize=16)
def _name_of(locale: Locale) -> str:
    return str(locale)


@functools.cache
def _translations(directories: tuple[str, ...], domain: str, language: str) -> NullTranslations:
    if language == SOURCE_LANGUAGE:
        return NullTranslations()
    translations = Translations()
    for directory in directories:
        translations.merge(Translations.load(directory, [language], domain))
    return translations


def translations_for(language: str) -> NullTranslations:
    """The catalogue of a language as Flask-Babel reads it."""
    babel = get_babel()
    return _translations(tuple(babel.translation_directories), babel.default_domain, language)


def _said(text: str, language: str) -> str | None:
    """The plain words in the language, as a page's lookup would give them; None when they
    would need values."""
    said = translations_for(language).ugettext(text)
    if "%" not in said:
        return said
    try:
        return said % {}
    except (KeyError, TypeError, ValueError):
        return None


class CompiledWords(InternationalizationExtension):
    """Jinja's i18n extension, writing plain words into the template in its language."""

    # What the `{% trans %}` tag being parsed is compiled for, in this thread.
    _compiling = threading.local()

    def parse(self, parser: Any) -> Any:
        self._compiling.now = (language_of(parser.name), self._escapes(parser.name))
        try:
            return super().parse(parser)
        finally:
            self._compiling.now = None

    def _escapes(self, name: str | None) -> bool:
        autoescape = self.environment.autoescape
        if not callable(autoescape):
            return bool(autoescape)
        return bool(autoescape(template_of(name) if name is not None else None))

    def _make_node(self, singular, plural, context, variables, plural_expr, vars_referenced,
                   num_called_num):
        language, escapes = getattr(self._compiling, "now", None) or (None, False)
        if language and plural is None and context is None and not variables:
            said = _said(singular, language)
            if said is not None:
                constant: nodes.Expr = nodes.Const(said)
                if escapes:
                    constant = nodes.MarkSafe(constant)
                return nodes.Output([constant])
        return super()._make_node(singular, plural, context, variables, plural_expr,
                                  vars_referenced, num_called_num)

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        """`_("plain words")` as the words themselves in the template's language."""
        language = language_of(stream.name)
        escapes = self._escapes(stream.name)
        held: list[Token] = []
        for token in stream:
            held.append(token)
            if not _may_be_plain_call(held):
                yield from held[:-1]
                held = [token] if _may_be_plain_call([token]) else []
                if not held:
                    yield token
                continue
            if len(held) == 4:
                said = _said(held[2].value, language)
                if said is None:
                    yield from held
                else:
                    yield from _constant(held[0].lineno, said, escapes)
                held = []
        yield from held


def _constant(lineno: int, said: str, escapes: bool) -> Iterator[Token]:
    """`("words"|safe)`, or `("words")` where the template does not escape: what the call
    gave, in brackets so that what follows it (a filter, a method) applies as it did."""
    yield Token(lineno, "lparen", "(")
    yield Token(lineno, "string", said)
    if escapes:
        yield Token(lineno, "pipe", "|")
        yield Token(lineno, "name", "safe")
    yield Token(lineno, "rparen", ")")


# `_`, `(`, a string, `)`: a call with plain words only.
_PLAIN_CALL = (("name", "_"), ("lparen", None), ("string", None), ("rparen", None))


def _may_be_plain_call(tokens: list[Token]) -> bool:
    return len(tokens) <= len(_PLAIN_CALL) and all(
        token.type == kind and (value is None or token.value == value)
        for token, (kind, value) in zip(tokens, _PLAIN_CALL, strict=False))
