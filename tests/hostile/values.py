"""Random and nasty values for form fields, as hypothesis strategies."""

from hypothesis import strategies as st

from tests.hostile.pages import Field, Form

LONG = "A" * 10_001
NASTY_TEXT = (
    LONG,
    "word " * 2_500,
    "nul\x00inside",
    "\x00",
    "bell\x07escape\x1b[31mdelete\x7f",
    "\u202eright-to-left override\u202c and \u200fmark\u200e",
    "\ufeffzero\u200bwidth",
    "😀🚓👮‍♀️🏴󠁧󠁢󠁥󠁮󠁧󠁿" * 20,
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\"><svg onload=alert(1)>",
    "'; DROP TABLE application; --",
    "\" OR 1=1 --",
    "{{ 7 * 7 }}",
    "%s%s%n",
    "../../../../etc/passwd",
    "=HYPERLINK(\"http://evil.example\")",
    " ",
    "\r\n\t",
)
NASTY_NUMBERS = (
    "-1", "-0.01", "0", "0.5", "12.345", "1e30", "-1e30", "99999999999999999999",
    "9" * 400, "NaN", "Infinity", "-Infinity", "1,000,000.999", "£-5", "0x10", "١٢٣",
    "１２３", "1_000", "²", "3²",
)
# Day, month and year of dates that cannot be, or that the service cannot mean.
IMPOSSIBLE_DATES = (
    ("31", "2", "2026"), ("29", "2", "2027"), ("1", "1", "0"), ("1", "1", "99999"),
    ("0", "0", "0"), ("-1", "13", "2026"), ("32", "12", "2026"), ("1", "1", "1"),
    ("1.5", "1", "2026"), ("", "2", ""), ("x", "y", "z"), ("31", "4", "10000"),
)


def _random_text():
    return st.text(st.characters(exclude_categories=["Cs"]), max_size=40)


def nasty_value(found: Field):
    """A strategy of values to send in place of the field's own."""
    nasty = st.sampled_from(NASTY_TEXT) | st.sampled_from(NASTY_NUMBERS) | _random_text()
    if found.kind == "date":
        return st.sampled_from(IMPOSSIBLE_DATES) | st.tuples(nasty, nasty, nasty)
    if found.kind == "number":
        return st.sampled_from(NASTY_NUMBERS) | nasty
    if found.kind in {"choice", "checkbox"}:
        return nasty | st.sampled_from(["-1", "0", "999999999", "9" * 30])
    return nasty


def good_value(found: Field):
    """A strategy of the values the page itself offers for the field."""
    if found.kind == "date":
        return st.just(tuple((found.options + ["", "", ""])[:3]))
    if found.kind in {"choice", "checkbox"} and found.options:
        return st.sampled_from(found.options)
    return st.just(found.value)


@st.composite
def submissions(draw, form: Form):
    """The (name, value) pairs of one post: each field kept, spoiled, left out or repeated.

    A value is a string, a (day, month, year) tuple for a date, or b"" for a file sent where
    text is expected.
    """
    pairs = []
    for name, found in form.fields.items():
        if name == "csrf_token":
            continue
        how = draw(st.sampled_from(["good", "nasty", "nasty", "missing", "repeated", "file"]))
        if how == "missing":
            continue
        if how == "file":
            pairs.append((name, b"<script>alert(1)</script>"))
            continue
        value = draw(good_value(found) if how == "good" else nasty_value(found))
        pairs.append((name, value))
        if how == "repeated":
            pairs.append((name, draw(nasty_value(found))))
    return pairs


def spoiled_everywhere(form: Form, text: str, date: tuple[str, str, str]) -> list:
    """A post that puts one value in every field (and one impossible date in every date)."""
    return [(name, date if found.kind == "date" else text)
            for name, found in form.fields.items() if name != "csrf_token"]


def repeated_everywhere(form: Form) -> list:
    """A post that sends every field twice: once as the page offers, once long."""
    pairs = []
    for name, found in form.fields.items():
        if name == "csrf_token":
            continue
        good = (tuple((found.options + ["", "", ""])[:3]) if found.kind == "date"
                else found.value or (found.options[0] if found.options else ""))
        pairs += [(name, good), (name, LONG)]
    return pairs


def as_offered(form: Form) -> list:
    """A post of every field as the page offers it: its value, its chosen or first option, its
    date as shown; a checkbox only when ticked."""
    pairs = []
    for name, found in form.fields.items():
        if name == "csrf_token" or (found.kind == "checkbox" and not found.value):
            continue
        if found.kind == "date":
            pairs.append((name, tuple((found.options + ["", "", ""])[:3])))
        else:
            pairs.append((name, found.value or (found.options[0] if found.options else "")))
    return pairs
