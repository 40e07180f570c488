"""The access matrix: every route of the app, GET and POST, asked by every kind of user, answers
as tests/access/table.py says.

Each request runs in its own savepoint, rolled back afterwards, and the browser's cookies are
put back as they were, so no request (a withdrawal, a sign-out, an approval) changes what the
next one sees. POSTs carry a valid CSRF token and an otherwise empty form, so that what is
checked is who may, not what they sent.
"""

import re
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from sqlalchemy import event
from werkzeug.routing import Rule

from grants.extensions import db
from tests.access.table import (
    ALLOWED,
    FORBIDDEN,
    NOT_FOUND,
    SIGN_IN,
    TABLE,
    UNAUTHORISED,
    USER_KINDS,
)
from tests.access.titles import wrong_title
from tests.fixtures.auth import csrf_token_for, sign_in

CHECKED_METHODS = ("GET", "POST")
SIGN_IN_PATH = "/sign-in"


@dataclass(frozen=True)
class Route:
    endpoint: str
    method: str
    rule: Rule


@dataclass
class Browser:
    """A test client signed in as one kind of user, with a CSRF token of its session."""

    kind: str
    client: object
    token: str


def routes_of(app) -> list[Route]:
    """Every rule and method to check: GETs first, so that no POST (removing a document's file,
    which happens outside the database) can change what a GET finds."""
    found = [Route(rule.endpoint, method, rule)
             for rule in app.url_map.iter_rules() if rule.endpoint != "static"
             for method in CHECKED_METHODS if method in rule.methods]
    return sorted(found, key=lambda r: (CHECKED_METHODS.index(r.method), r.endpoint, r.rule.rule))


def outcome_of(response) -> str:
    """The table's word for a response, or a description of an answer the table never gives."""
    status = response.status_code
    if status == 404:
        return NOT_FOUND
    if status == 403:
        return FORBIDDEN
    if status == 401:
        return UNAUTHORISED
    if status in (301, 302, 303, 307, 308):
        location = response.headers.get("Location", "")
        return SIGN_IN if urlsplit(location).path == SIGN_IN_PATH else ALLOWED
    if status in (200, 204):
        return ALLOWED
    return f"status {status}"


def is_text(mimetype: str) -> bool:
    """Pages and the downloads that are text (CSV, JSON, Markdown), where words can be read."""
    return mimetype.startswith("text/") or mimetype == "application/json"


def browser_for(app, world, kind: str) -> Browser:
    client = app.test_client()
    email = world.emails[kind]
    if email is not None:
        assert sign_in(client, email).status_code == 302, f"{kind} could not sign in"
    token = csrf_token_for(client, SIGN_IN_PATH if email is None else "/account/password")
    db.session.remove()
    return Browser(kind, client, token)


WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


@contextmanager
def writes_noted():
    """The statements that write to the database while the block runs."""
    connection = db.engine  # the test's connection (tests/conftest)
    noted: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        if WRITE.match(statement):
            noted.append(" ".join(statement.split())[:80])

    event.listen(connection, "before_cursor_execute", note)
    try:
        yield noted
    finally:
        event.remove(connection, "before_cursor_execute", note)


def ask(browser: Browser, world, route: Route, *, hidden_by: str | None = None,
        other: str | None = None, values: dict | None = None,
        writes: list[str] | None = None) -> tuple[str, str, str]:
    """Send the route's request, undo whatever it changed; returns the path, the outcome and
    the answer's text (empty unless a page or a text download). `values`: the address's
    arguments, instead of the world's; `writes`: a list to note there the statements a GET
    wrote with."""
    if values is None:
        values = world.values_for(route.endpoint, set(route.rule.arguments),
                                  hidden_by=hidden_by, other=other)
    path = route.rule.build(values, append_unknown=False)[1]
    client = browser.client
    cookies = dict(client._cookies)  # Werkzeug's cookie jar: there is no public way to copy it
    savepoint = db.engine.begin_nested()  # db.engine is the test's connection (tests/conftest)
    try:
        if route.method == "GET":
            with writes_noted() as noted:
                response = client.get(path,
                                      query_string=world.query_strings.get(route.endpoint))
                response.get_data()
            if writes is not None:
                writes.extend(noted)
        else:
            fields = world.fields_for(route.endpoint, hidden_by=hidden_by)
            response = client.post(path, data={**fields, "csrf_token": browser.token})
        body = response.get_data()  # a streamed download runs to its end, in the savepoint
        response.close()
        text = body.decode("utf-8", "replace") if is_text(response.mimetype) else ""
        got = outcome_of(response)
        if got == ALLOWED and response.location:
            got = f"{ALLOWED} ({response.location})"
    except Exception as error:  # noqa: BLE001 - a crash is one more mismatch to list
        got, text = f"raised {type(error).__name__}: {error}", ""
    finally:
        db.session.remove()
        savepoint.rollback()
        client._cookies.clear()
        client._cookies.update(cookies)
    return path, got, text


def mismatch(route: Route, path: str, kind: str, expected: str, got: str) -> str | None:
    if got.partition(" (")[0] == expected:
        return None
    return f"{route.endpoint} {route.method} {path} as {kind}: expected {expected}, got {got}"


# The kinds of user for whom every record the world's addresses name is someone else's.
OUTSIDERS = frozenset({"applicant_b", "applicant_pending_a", "sheriff_oxfordshire",
                       "reviewer_unassigned"})


def redirected_outsider(route: Route, path: str, kind: str, got: str) -> str | None:
    """A redirect answered to someone about a record they may not see is a leak: the
    message and the page it leads to tell such a record apart from one that does not exist."""
    names_a_record = any(name.endswith("_id") for name in route.rule.arguments)
    if kind in OUTSIDERS and names_a_record and got.startswith(f"{ALLOWED} ("):
        return (f"{route.endpoint} {route.method} {path} as {kind}: redirected ({got}) about "
                "a record they may not see, instead of 404")
    return None


def leaks(world, route: Route, path: str, kind: str, text: str) -> list[str]:
    return [f"{route.endpoint} {route.method} {path} shows {kind} {words!r}"
            for words, readers in world.private_text.items()
            if kind not in readers and words in text]


def test_every_route_of_the_app_is_in_the_access_table(app):
    in_app = {(route.endpoint, route.method) for route in routes_of(app)}
    in_table = {(endpoint, method) for endpoint, methods in TABLE.items() for method in methods}

    other_methods = sorted(f"{rule.endpoint} {method}" for rule in app.url_map.iter_rules()
                           for method in rule.methods - {"GET", "POST", "HEAD", "OPTIONS"})
    assert not other_methods, f"the matrix checks only GET and POST, not: {other_methods}"
    missing = sorted(in_app - in_table)
    stale = sorted(in_table - in_app)
    assert not missing, ("routes missing from tests/access/table.py (say who may use them):\n"
                         + "\n".join(f"  {endpoint} {method}" for endpoint, method in missing))
    assert not stale, ("tests/access/table.py names routes the app does not have:\n"
                       + "\n".join(f"  {endpoint} {method}" for endpoint, method in stale))


def test_every_row_of_the_access_table_names_every_kind_of_user():
    incomplete = [f"{endpoint} {method}" for endpoint, methods in TABLE.items()
                  for method, outcomes in methods.items() if set(outcomes) != set(USER_KINDS)]

    assert not incomplete


@pytest.mark.parametrize("kind", USER_KINDS)
def test_every_route_answers_this_kind_of_user_as_the_access_table_says(app, world, kind):
    """...no page it answers shows them words of a record that is not theirs, every page's
    title starts with its h1 (tests/access/titles.py), and no GET writes to the database (what
    time changes is the daily job's)."""
    browser = browser_for(app, world, kind)
    routes = routes_of(app)

    mismatches = []
    for route in routes:
        expected = TABLE.get(route.endpoint, {}).get(route.method, {}).get(kind)
        if expected is None:
            mismatches.append(f"{route.endpoint} {route.method}: not in the access table")
            continue
        writes: list[str] = []
        path, got, text = ask(browser, world, route, writes=writes)
        mismatches.append(mismatch(route, path, kind, expected, got))
        mismatches.append(redirected_outsider(route, path, kind, got))
        mismatches.extend(leaks(world, route, path, kind, text))
        mismatches.extend(f"{route.endpoint} GET {path} as {kind} wrote: {statement}"
                          for statement in writes)
        if route.method == "GET" and got == ALLOWED and "<html" in text:
            if wrong := wrong_title(text):
                mismatches.append(f"{route.endpoint} GET {path} as {kind}: {wrong}")

    mismatches = [line for line in mismatches if line]
    assert not mismatches, (f"asking {len(routes)} routes as {kind}: answers other than "
                            "tests/access/table.py says, pages showing words of a record "
                            "that is not theirs, titles not starting with the h1, or GETs "
                            "that wrote:\n  "
                            + "\n  ".join(mismatches))


# An id no record of the world has.
NO_SUCH_ID = 987_654


@pytest.mark.parametrize("kind", USER_KINDS)
def test_an_address_naming_no_record_is_not_found(app, world, kind):
    """Every address naming records by id answers 404 when they do not exist, to everyone the
    table lets use it: a view never turns a record it cannot find into a message and a
    redirect, which would tell apart the records a person may not see."""
    browser = browser_for(app, world, kind)
    mismatches = []
    for route in routes_of(app):
        ids = {name for name in route.rule.arguments if name.endswith("_id")}
        if not ids or TABLE[route.endpoint][route.method][kind] != ALLOWED:
            continue
        values = world.values_for(route.endpoint, set(route.rule.arguments))
        values.update(dict.fromkeys(ids, NO_SUCH_ID))
        path, got, _ = ask(browser, world, route, values=values)
        mismatches.append(mismatch(route, path, kind, NOT_FOUND, got))

    mismatches = [line for line in mismatches if line]
    assert not mismatches, ("addresses naming no record answered otherwise than 404:\n  "
                            + "\n  ".join(mismatches))


def test_every_address_naming_a_record_under_another_is_checked_with_another_parent(app,
                                                                                    world):
    """A new page whose address names a record under its parent must be checked with a record
    of a different parent too (`under_another_parent` in tests/access/conftest.py)."""
    nested = {route.endpoint for route in routes_of(app)
              if sum(name.endswith("_id") for name in route.rule.arguments) >= 2}
    # These name two records that are not parent and child.
    not_nested = {"nominations.nominate_existing", "organisations.merge_duplicate"}
    checked = world.hidden_values["under another parent"].keys()

    assert sorted(nested - not_nested - checked) == []
    assert sorted(checked - nested) == []


@pytest.mark.parametrize("hidden_by", ["under another parent", "an offer not yet published",
                                       "a removed review assignment", "a draft round",
                                       "last term's nominations", "a draft application"])
def test_a_hidden_record_is_not_found_by_anyone(app, world, hidden_by):
    """B's document under A's application, another plan's priority, an offer before the
    decisions are published, an assignment the reviewer was removed from, a draft round, a
    nomination of the High Sheriff's predecessor, a draft application's PDF: each answers 404
    to whoever may use the address."""
    endpoints = world.hidden_endpoints(hidden_by)
    routes = [route for route in routes_of(app) if route.endpoint in endpoints
              and (route.method == "POST"
                   or route.endpoint in world.hidden_values.get(hidden_by, {}))]
    assert {route.endpoint for route in routes} == endpoints

    mismatches = []
    for kind in USER_KINDS:
        browser = browser_for(app, world, kind)
        for route in routes:
            expected = TABLE[route.endpoint][route.method][kind]
            if expected == ALLOWED:
                expected = NOT_FOUND
            path, got, _ = ask(browser, world, route, hidden_by=hidden_by)
            mismatches.append(mismatch(route, path, kind, expected, got))

    mismatches = [line for line in mismatches if line]
    assert not mismatches, (f"addresses naming {hidden_by!r} answered otherwise than 404:\n  "
                            + "\n  ".join(mismatches))


@pytest.mark.parametrize("other", ["a decided application before publication"])
def test_the_access_table_holds_for_other_records_too(app, world, other):
    """The same addresses about another of A's records answer as the table says, and show
    nobody what is not theirs (a decision before it is published)."""
    endpoints = world.other_values[other]
    routes = [route for route in routes_of(app) if route.endpoint in endpoints]
    assert {route.endpoint for route in routes} == endpoints.keys()

    mismatches = []
    for kind in USER_KINDS:
        browser = browser_for(app, world, kind)
        for route in routes:
            path, got, text = ask(browser, world, route, other=other)
            mismatches.append(mismatch(route, path, kind, TABLE[route.endpoint][route.method][kind],
                                       got))
            mismatches.extend(leaks(world, route, path, kind, text))

    mismatches = [line for line in mismatches if line]
    assert not mismatches, (f"addresses about {other!r} answered otherwise than "
                            "tests/access/table.py says, or showed what is not theirs:\n  "
                            + "\n  ".join(mismatches))
