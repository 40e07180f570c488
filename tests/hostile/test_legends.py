"""Every group of radios or checkboxes in the app has a question above it: a fieldset whose
legend says something (WCAG 1.3.1 and 3.3.2). axe does not check this: a group of radios with
no legend passes it, while neither a sighted person nor a screen reader hears what is asked.

The hostile walk (tests/hostile/walk.py) finds the page of every form of the app; this test
reads each such page, for each of the first few addresses of every form, and every section of
an application.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from grants.applications.operations.sections import SECTIONS_BY_KEY
from tests.hostile import walk
from tests.hostile.pages import post_forms


@dataclass
class _Fieldset:
    legend: str = ""
    in_legend: bool = False


@dataclass
class Choices:
    """The radios and checkboxes of one name, and the legend each sits under ("" for none)."""

    kind: str
    legends: list[str] = field(default_factory=list)


class _ChoiceReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fieldsets: list[_Fieldset] = []
        self.choices: dict[str, Choices] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "fieldset":
            self.fieldsets.append(_Fieldset())
        elif tag == "legend" and self.fieldsets:
            self.fieldsets[-1].in_legend = True
        elif tag == "input" and attributes.get("type") in {"radio", "checkbox"}:
            name = attributes.get("name") or ""
            found = self.choices.setdefault(name, Choices(attributes["type"]))
            found.legends.append(" ".join(self.fieldsets[-1].legend.split())
                                 if self.fieldsets else "")

    def handle_endtag(self, tag):
        if tag == "fieldset" and self.fieldsets:
            self.fieldsets.pop()
        elif tag == "legend" and self.fieldsets:
            self.fieldsets[-1].in_legend = False

    def handle_data(self, data):
        if self.fieldsets and self.fieldsets[-1].in_legend:
            self.fieldsets[-1].legend += data


def groups_without_a_legend(html: str) -> list[str]:
    """The names of the page's radio groups, and groups of two or more checkboxes, where a
    choice sits in no fieldset or under a legend that says nothing. (A single checkbox, such
    as "I confirm", is its own label.)"""
    reader = _ChoiceReader()
    reader.feed(html)
    return sorted(name for name, found in reader.choices.items()
                  if (found.kind == "radio" or len(found.legends) > 1)
                  and not all(found.legends))


@pytest.mark.parametrize("html,missing", [
    ('<fieldset><legend> Which? </legend><input type="radio" name="a"></fieldset>', []),
    ('<input type="radio" name="a"><input type="radio" name="a">', ["a"]),
    ('<fieldset><legend class="x">  </legend><input type="radio" name="a"></fieldset>', ["a"]),
    ('<fieldset><input type="checkbox" name="b"><input type="checkbox" name="b"></fieldset>',
     ["b"]),
    ('<fieldset><legend>Outer</legend><fieldset><legend></legend>'
     '<input type="checkbox" name="c"><input type="checkbox" name="c"></fieldset></fieldset>',
     ["c"]),
    ('<input type="checkbox" name="confirm">', []),
])
def test_a_group_is_found_without_a_legend(html, missing):
    assert groups_without_a_legend(html) == missing


def form_pages(app, world, people, monkeypatch) -> dict[str, str]:
    """The page of every form the walk finds, at each of the first few addresses the data set
    builds for it, and of every section of an application: {where: html}."""
    # Every section: the built-in ones and the round's own.
    monkeypatch.setattr(walk, "CALLS_PER_RULE", len(SECTIONS_BY_KEY) + 1)
    adapter = app.url_map.bind("localhost")
    pages: dict[str, str] = {}
    for rule in walk.changing_rules(app):
        for path in walk.paths_for(app, rule, world):
            values = adapter.match(path, method="POST")[1]
            pages.update(_showing(app, world, people, rule, path, values))
    return pages


def _showing(app, world, people, rule, path, values) -> dict[str, str]:
    """The first page, as the first person, that shows a form posting to `path`."""
    for person in walk.people_for(path):
        for page in walk.pages_for(app, world, rule, path, values):
            html = people.page(person, page)
            if html is not None and any(form.action == path
                                        for form in post_forms(html, page)):
                return {f"{page} as {person}": html}
    return {}


def test_every_group_of_radios_or_checkboxes_in_the_app_has_a_legend(app, world, people,
                                                                     monkeypatch):
    pages = form_pages(app, world, people, monkeypatch)
    assert len(pages) > 100, "the walk found too few form pages to judge"
    assert any("/sections/budget" in where for where in pages)

    missing = {where: names for where, html in pages.items()
               if (names := groups_without_a_legend(html))}

    assert not missing, "radios or checkboxes with no legend above them:\n  " + "\n  ".join(
        f"{where}: {', '.join(names)}" for where, names in sorted(missing.items()))
