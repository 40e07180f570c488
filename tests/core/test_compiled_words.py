"""Templates compiled for a language with their plain words written in say exactly what Jinja's
own i18n extension would have said, looking each word up as the page renders."""

import pytest
from babel.support import Translations
from jinja2 import DictLoader, Environment

from grants.pages.views import compiled_words, words
from grants.pages.views.compiled_words import CompiledWords, CompiledWordsEnvironment

CATALOGUE = {
    "Home": "Hafan",
    "Fish & chips": "Pysgod a <b>sglodion</b>",
    "100%% sure": "100%% siŵr",
    "Hello %(name)s": "Helo %(name)s",
    "Closes in %(num)s day": "Yn cau mewn %(num)s diwrnod",
}
TEMPLATES = {
    "trans.html": "{% trans %}Home{% endtrans %}",
    "call.html": '{{ _("Home") }}',
    "filtered.html": '{{ _("Home")|upper }} {{ _("Home").lower() }} {{ _("Home")[0] }}',
    "markup.html": '{{ _("Fish & chips") }} {% trans %}Fish & chips{% endtrans %}',
    "percent.html": '{% trans %}100%% sure{% endtrans %} {{ _("100%% sure") }}',
    "values.html": ('{{ _("Hello %(name)s", name=who) }} '
                    "{% trans name=who %}Hello {{ name }}{% endtrans %}"),
    "missing.html": '{{ _("Not in the catalogue") }} {% trans %}Nor this{% endtrans %}',
    "text.txt": '{{ _("Fish & chips") }} {{ _("Hello %(name)s", name=who) }}',
}


class Catalogue(Translations):
    def __init__(self, entries: dict[str, str]) -> None:
        super().__init__()
        self._catalog = dict(entries)


def jinjas_own(catalogue: Translations) -> Environment:
    environment = Environment(loader=DictLoader(TEMPLATES), extensions=["jinja2.ext.i18n"],
                              autoescape=lambda name: name.endswith(".html"))
    environment.install_gettext_translations(catalogue, newstyle=True)
    return environment


@pytest.fixture
def compiled(app, monkeypatch):
    def for_language(language: str, catalogue: Translations) -> Environment:
        monkeypatch.setattr(compiled_words, "_language_now", lambda: language)
        monkeypatch.setattr(compiled_words, "translations_for", lambda _: catalogue)
        monkeypatch.setattr(words, "request_translations", lambda: catalogue)
        environment = CompiledWordsEnvironment(
            app, loader=DictLoader(TEMPLATES), autoescape=lambda name: name.endswith(".html"))
        environment.add_extension(CompiledWords)
        environment.install_gettext_callables(gettext=catalogue.ugettext,
                                              ngettext=catalogue.ungettext, newstyle=True)
        environment.globals.update(_=words.page_gettext, gettext=words.page_gettext)
        return environment
    return for_language


@pytest.mark.parametrize("name", sorted(TEMPLATES))
@pytest.mark.parametrize("language", ["cy", "en"])
def test_a_template_compiled_for_a_language_says_what_a_lookup_would(compiled, name,
                                                                      language):
    catalogue = Catalogue(CATALOGUE if language == "cy" else {})
    with_words_written_in = compiled(language, catalogue).get_template(name)
    looked_up = jinjas_own(catalogue).get_template(name)
    assert with_words_written_in.render(who="<Sam>") == looked_up.render(who="<Sam>")


def test_plain_words_are_written_into_the_template_and_words_with_values_are_looked_up(
        compiled):
    environment = compiled("cy", Catalogue(CATALOGUE))
    source = environment.compile(TEMPLATES["markup.html"], name="cy:markup.html", raw=True)
    assert "Pysgod a <b>sglodion</b>" in source and "gettext" not in source
    looked_up = environment.compile(TEMPLATES["values.html"], name="cy:values.html", raw=True)
    assert "Hello %(name)s" in looked_up


def test_a_template_is_compiled_once_for_each_language(compiled):
    welsh = compiled("cy", Catalogue(CATALOGUE))
    assert welsh.get_template("call.html").render() == "Hafan"
    assert welsh.get_template("call.html").name == "cy:call.html"
    assert compiled_words.template_of("cy:call.html") == "call.html"
    assert compiled_words.language_of("govuk_frontend_jinja/template.html") == "en"

