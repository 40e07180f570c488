"""What each field of a form certainly refuses, read from the WTForms form that rendered it.

The walk opens each page with the app's forms watched, so it knows the field classes, choices,
filters and validators behind the HTML. From them a `Rule` says, for one value posted once (or
not at all), whether that value is certainly bad: a refusal any correct form must give. Values
a rule cannot be sure of (a Unicode digit, a second value for the field, an email address
without its domain's rules) are not judged, and the post may be taken or refused.

Some knowledge comes from the field's kind, not its validators: a date must be a real date, an
amount of money whole pence of £0 or more, a whole number has no fraction, a choice is one of
those offered. The rest comes from the validators: required, and the longest and shortest text.
"""

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from flask_wtf import FlaskForm
from markupsafe import escape
from wtforms import (
    BooleanField,
    DateField,
    FileField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from grants.core.fields import (
    DayMonthYearField,
    LondonDateField,
    MoneyField,
    TimeOfDayField,
    WholeNumberField,
)
from grants.core.validators import Pounds, WholeNumber
from grants.monitoring.forms import OptionalWholeNumber

# Money and whole numbers people could mean: ASCII digits with thousands commas, and pence.
_PLAIN_AMOUNT = re.compile(r"[0-9]+(?:\.[0-9]+)?")
# Far beyond any grant or budget the service could take (a thousand times £1bn).
_HOPELESS_PENCE = 10**14


@dataclass
class Rule:
    """What one field refuses."""

    name: str
    id: str
    kind: str = "text"  # text, money, whole, date, choice, choices, other
    # Left out (or sent empty) is an error.
    required: bool = False
    # Sent as spaces only (after the field's filters) is an error too.
    blank_is_missing: bool = False
    max_length: int | None = None
    min_length: int | None = None
    filters: tuple = ()
    allow_zero: bool = True
    allow_negative: bool = True
    least: int | None = None
    most: int | None = None
    # The offered values, coerced as the field coerces what is sent.
    coerce: object = None
    choices: list = field(default_factory=list)


@contextmanager
def forms_built():
    """The FlaskForm instances the requests inside the block build, in order."""
    built: list[FlaskForm] = []
    original = FlaskForm.__init__

    def watched(self, *args, **kwargs):
        original(self, *args, **kwargs)
        built.append(self)

    FlaskForm.__init__ = watched
    try:
        yield built
    finally:
        FlaskForm.__init__ = original


def rules_of(form: FlaskForm) -> dict[str, Rule]:
    """A rule for each field of a built form, by the name the page posts it under."""
    return {wtf_field.name: _rule(wtf_field) for wtf_field in form
            if wtf_field.name != "csrf_token"}


def matching_rules(names: set[str], built: list[dict[str, Rule]]) -> dict[str, Rule]:
    """The rules of the built form that has the HTML form's fields (most in common wins)."""
    best, overlap = {}, 0
    for rules in built:
        common = len(names & set(rules))
        if common > overlap:
            best, overlap = rules, common
    return best


def _rule(wtf_field) -> Rule:
    kinds = {type(validator) for validator in wtf_field.validators}
    rule = Rule(name=wtf_field.name, id=wtf_field.id, filters=tuple(wtf_field.filters))
    rule.required = Optional not in kinds and (
        InputRequired in kinds
        or (DataRequired in kinds and not wtf_field.default)
        or bool(getattr(wtf_field, "required_message", None)))
    rule.blank_is_missing = DataRequired in kinds or bool(
        getattr(wtf_field, "required_message", None))
    _read_validators(rule, wtf_field.validators)
    _read_kind(rule, wtf_field, optional=Optional in kinds)
    return rule


def _read_validators(rule: Rule, validators) -> None:
    for validator in validators:
        if isinstance(validator, Length):
            rule.max_length = validator.max if validator.max >= 0 else None
            rule.min_length = validator.min if validator.min > 0 else None
        elif isinstance(validator, NumberRange):
            rule.least, rule.most = validator.min, validator.max
        elif isinstance(validator, Pounds):
            rule.kind, rule.allow_zero = "money", validator.allow_zero
        elif isinstance(validator, WholeNumber | OptionalWholeNumber):
            rule.kind = "whole"
            rule.allow_negative = isinstance(validator, WholeNumber)


def _read_kind(rule: Rule, wtf_field, *, optional: bool) -> None:
    if isinstance(wtf_field, MoneyField):
        rule.kind, rule.allow_zero = "money", wtf_field.allow_zero
    elif isinstance(wtf_field, WholeNumberField | IntegerField):
        rule.kind = "whole"
    elif isinstance(wtf_field, DayMonthYearField | LondonDateField | DateField):
        rule.kind = "date"
        # A London date is always asked for; the others say so with a validator.
        rule.required = rule.required or isinstance(wtf_field, LondonDateField)
    elif isinstance(wtf_field, TimeOfDayField):
        rule.kind, rule.required, rule.blank_is_missing = "other", True, True
    elif isinstance(wtf_field, SelectField | RadioField | SelectMultipleField):
        _read_choices(rule, wtf_field, optional=optional)
    elif isinstance(wtf_field, BooleanField | FileField):
        rule.kind, rule.blank_is_missing = "other", False
    elif rule.kind == "text" and (not isinstance(wtf_field, StringField) or (
            type(wtf_field).process_formdata is not StringField.process_formdata)):
        # A field that reads what is sent in its own way: only its validators are judged.
        rule.kind = "other"


def _read_choices(rule: Rule, wtf_field, *, optional: bool) -> None:
    if not wtf_field.validate_choice or wtf_field.choices is None:
        rule.kind = "other"
        return
    rule.kind = "choices" if isinstance(wtf_field, SelectMultipleField) else "choice"
    rule.coerce = wtf_field.coerce
    rule.choices = [_coerced(wtf_field.coerce, value)
                    for value in _choice_values(wtf_field.choices)]
    if rule.kind == "choice" and wtf_field.default is None and not optional:
        # Nothing chosen matches no choice, so it is "Not a valid choice".
        rule.required = rule.required or None not in rule.choices


def _choice_values(choices) -> list:
    if isinstance(choices, dict):
        return [value for group in choices.values() for value in _choice_values(group)]
    return [choice[0] if isinstance(choice, list | tuple) else choice for choice in choices]


def _coerced(coerce, value):
    try:
        return coerce(value)
    except (TypeError, ValueError):
        return object()


def is_certainly_bad(rule: Rule, sent: list) -> bool:
    """Whether what was sent for the field (each value as posted) must be refused."""
    if not sent:
        return rule.required
    if len(sent) > 1:
        if rule.kind == "choices" and all(isinstance(value, str) for value in sent):
            return any(_not_offered(rule, value) for value in sent)
        return False  # which of two values counts is the field's business
    value = sent[0]
    if isinstance(value, bytes):
        return False  # a file where text is expected: the 400 page, no field errors
    if rule.kind == "date":
        return isinstance(value, tuple) and _bad_date(rule, value)
    if isinstance(value, tuple):
        return False
    if rule.kind in {"choice", "choices"}:
        return _not_offered(rule, value)
    return _bad_text(rule, value)


def _bad_text(rule: Rule, value: str) -> bool:
    text = _filtered(rule, value)
    stripped = text.strip() if isinstance(text, str) else text
    if not stripped:
        # Required text of spaces only is missing; optional fields skip their other checks.
        return rule.required and (value == "" or rule.blank_is_missing or rule.kind == "text")
    if rule.kind == "money":
        return _bad_money(rule, stripped)
    if rule.kind == "whole":
        return _bad_whole(rule, stripped)
    if rule.kind == "text" and isinstance(text, str):
        return (rule.max_length is not None and len(text) > rule.max_length) or (
            rule.min_length is not None and len(text) < rule.min_length)
    return False


def _filtered(rule: Rule, value: str):
    for run in rule.filters:
        value = run(value)
    return value


def _not_offered(rule: Rule, value: str) -> bool:
    try:
        return rule.coerce(value) not in rule.choices
    except (TypeError, ValueError):
        return True


def _bad_date(rule: Rule, parts: tuple) -> bool:
    parts = [part.strip() for part in parts]
    if not any(parts):
        return rule.required
    if not all(parts):
        return True  # half typed
    if not all(part.isdecimal() for part in parts):
        return True  # letters, signs, points, superscripts, controls
    if not all(part.isascii() for part in parts):
        return False  # other scripts' digits: a field may read them
    day, month, year = (int(part) for part in parts)
    if len(parts[2]) != 4:
        return True
    try:
        date(year, month, day)
    except ValueError:
        return True
    return False


def _bad_money(rule: Rule, text: str) -> bool:
    amount = text.replace(" ", "").removeprefix("£").replace(",", "")
    if amount.startswith("-") and _PLAIN_AMOUNT.fullmatch(amount[1:]):
        return amount.strip("-0.") != ""  # less than nothing
    if not _PLAIN_AMOUNT.fullmatch(amount):
        return True  # not plainly an amount: letters, exponents, other scripts, NaN
    pounds, _, pence = amount.partition(".")
    if len(pence) > 2:
        return True  # a fraction of a penny
    total = int(pounds) * 100 + int(pence.ljust(2, "0") or 0)
    return total >= _HOPELESS_PENCE or (total == 0 and not rule.allow_zero)


def _bad_whole(rule: Rule, text: str) -> bool:
    number = text.replace(" ", "").replace(",", "")
    if re.search(r"[^\d+\-_]", number):
        return True  # a fraction, an exponent, a word, a superscript
    if not re.fullmatch(r"-?[0-9]+", number):
        return False  # a sign or underscore, or another script's digits: a field may read it
    value = int(number)
    if value < 0 and not rule.allow_negative:
        return True
    return (rule.least is not None and value < rule.least) or (
        rule.most is not None and value > rule.most)


def sent_values(pairs: list) -> dict[str, list]:
    """The values of a post, by field name, in order."""
    sent: dict[str, list] = {}
    for name, value in pairs:
        sent.setdefault(name, []).append(value)
    return sent


def certainly_bad_fields(rules: dict[str, Rule], pairs: list) -> list[Rule]:
    """The fields whose value in this post any correct form must refuse."""
    sent = sent_values(pairs)
    return [rule for name, rule in rules.items() if is_certainly_bad(rule, sent.get(name, []))]


def not_refused_on_the_page(html: str, built: list[FlaskForm], bad: list[Rule]) -> list[str]:
    """The bad fields the posted form took, or refused without the page saying why.

    The posted form is the one the request built with most of the fields; a field's refusal is
    an error on that field shown on the page (a field shows its first error; some pages show a
    field's errors beside another field, as key aims' beside their priorities).
    """
    names = {rule.name for rule in bad}
    form = max(built, key=lambda form: len(names & set(form._fields)), default=None)
    missed = []
    for rule in bad:
        posted = form._fields.get(rule.name) if form is not None else None
        errors = [str(message) for message in posted.errors] if posted is not None else []
        if not any(str(escape(message)) in html for message in errors):
            missed.append(rule.name)
    return missed
