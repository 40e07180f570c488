"""Reading the forms on a rendered page: their action, method and every field a person could
send, with the values the page offers."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, hidden, number, email, date, choice, checkbox, file, ...
    value: str = ""
    # The values offered (choices), or a date's day, month and year as the page shows them.
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    action: str  # a path
    method: str
    fields: dict[str, Field] = field(default_factory=dict)

    def add(self, new: Field) -> None:
        known = self.fields.get(new.name)
        if known is None:
            self.fields[new.name] = new
        elif new.kind == "date" and known.kind == "date":
            # The GOV.UK date input: day, month and year boxes sent under one name.
            known.options.extend(new.options)
        elif new.kind in {"choice", "checkbox"}:
            # Radios and checkboxes of one name are one field with several options.
            known.kind = "choice" if known.kind == "choice" else known.kind
            known.options.extend(option for option in new.options
                                 if option not in known.options)
            if new.value and not known.value:
                known.value = new.value


class _FormReader(HTMLParser):
    def __init__(self, page_path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value if value is not None else "" for name, value in attrs}
        if tag == "form":
            action = urlsplit(urljoin(self.page_path, attributes.get("action", ""))).path
            self._form = Form(action=action or self.page_path,
                              method=attributes.get("method", "get").lower())
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            self._form.add(_input(name, attributes))
        elif tag == "button" and name:
            self._form.add(Field(name, "choice", attributes.get("value", ""),
                                 [attributes.get("value", "")]))
        elif tag == "select" and name:
            self._select = Field(name, "choice")
            self._form.add(self._select)
        elif tag == "option" and self._select is not None:
            value = attributes.get("value", "")
            self._select.options.append(value)
            if "selected" in attributes or not self._select.value:
                self._select.value = value
        elif tag == "textarea" and name:
            self._textarea = Field(name, "textarea")
            self._form.add(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # Browsers drop the one newline that may follow <textarea>.
            self._textarea.value = self._textarea.value.removeprefix("\n")
            self._textarea = None


def _input(name: str, attributes: dict) -> Field:
    kind = attributes.get("type", "text").lower()
    value = attributes.get("value", "")
    if kind in {"radio", "checkbox"}:
        checked = value if "checked" in attributes else ""
        return Field(name, "choice" if kind == "radio" else "checkbox", checked, [value])
    if kind in {"submit", "button", "image"}:
        return Field(name, "choice", value, [value])
    if attributes.get("id", "").endswith(("-day", "-month", "-year")):
        return Field(name, "date", "", [value])
    elif attributes.get("inputmode") in {"numeric", "decimal"} or kind == "number":
        kind = "number"
    return Field(name, kind, value)


def post_forms(html: str, page_path: str) -> list[Form]:
    """The forms on the page that post, in page order."""
    reader = _FormReader(page_path)
    reader.feed(html)
    return [form for form in reader.forms if form.method == "post"]
