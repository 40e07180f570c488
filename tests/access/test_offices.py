"""The access matrix with two offices: the world's records are the first office's (Thames
Valley's); a second office (Dyfed-Powys) has its own fund, round, application, award, plan and
areas, and its own staff, admin, reviewer and High Sheriff. A person of the second office
reaching any route with the first office's ids (or a round's code) is told it does not exist
(404): never its page, never a redirect; and the second office's own pages show nothing of the
first's. The second office is built into every module's world (tests/access/second_office.py),
so the whole matrix (tests/access/test_matrix.py) answers the first office's people as the
table says with two offices loaded.
"""


import pytest
from sqlalchemy import select

from grants.accounts.models import User
from grants.extensions import db
from tests.access.second_office import SECOND_OFFICE
from tests.access.table import ADMIN, ALLOWED, NOT_FOUND, STAFF, TABLE
from tests.access.test_matrix import Browser, ask, leaks, routes_of
from tests.fixtures.auth import csrf_token_for, sign_in

# Addresses naming records every office shares (issue 25, point 2): an organisation and its
# members are the service's, and each office is to see only the applications made to it.
SHARED = {
    "organisations.view_organisation", "organisations.edit_organisation",
    "organisations.decide_request", "organisations.invite_member",
    "organisations.merge_duplicate", "organisations.choose_duplicate",
    "documents.organisation_documents",
    "documents.download_organisation_document", "applications.start_on_behalf",
    # An applicant's account: whose, once an organisation applies to two offices, is point 2's.
    "staff.sign_out_everywhere", "records.export_person",
    # Every organisation, for staff to find one (and a claim of one by its link).
    "organisations.list_organisations", "nominations.claim_organisation",
}

# Addresses whose record is not yet the first office's alone: each still answers the second
# office's staff as if it were theirs. Every one is to be scoped, and leave this list.
NOT_YET_SCOPED = {
    # The audit log's events name records of every kind: scoping them needs each event's office.
    "records.audit",
}


@pytest.fixture
def second_office(world) -> dict[str, str]:
    """The second office's people's emails, by kind (built with every module's world)."""
    return world.second_office_emails


def _browser(app, second_office, kind: str) -> Browser:
    client = app.test_client()
    assert sign_in(client, second_office[kind]).status_code == 302, f"{kind} could not sign in"
    token = csrf_token_for(client, "/account/password")
    db.session.remove()
    return Browser(kind, client, token)


def names_a_record(route) -> bool:
    """Whether the route's address names a record: by its id, or a round by its code (the
    language page's code is a language's)."""
    return any(name.endswith("_id")
               or (name in ("code", "round_code") and route.endpoint != "pages.choose_language")
               for name in route.rule.arguments)


def _routes_naming_records(app, table_kind: str):
    """The routes the table lets that kind of user use whose address names a record."""
    for route in routes_of(app):
        if names_a_record(route) and TABLE[route.endpoint][route.method][table_kind] == ALLOWED:
            yield route


@pytest.mark.parametrize("kind", SECOND_OFFICE)
def test_another_offices_staff_reaching_any_route_with_this_offices_ids_are_told_it_does_not_exist(
        app, world, second_office, kind):
    """...as are its admins, reviewers and High Sheriffs."""
    browser = _browser(app, second_office, kind)
    mismatches, now_scoped = [], []
    routes = list(_routes_naming_records(app, SECOND_OFFICE[kind]))
    assert routes
    for route in routes:
        path, got, text = ask(browser, world, route)
        if route.endpoint in SHARED:
            continue
        mismatches.extend(leaks(world, route, path, kind, text))
        if route.endpoint in NOT_YET_SCOPED:
            if got == NOT_FOUND:
                now_scoped.append(route.endpoint)
            continue
        if got != NOT_FOUND:
            mismatches.append(f"{route.endpoint} {route.method} {path} as {kind}: expected "
                              f"{NOT_FOUND}, got {got}")

    assert not mismatches, ("the first office's records reached by the second office's "
                            "people:\n  " + "\n  ".join(mismatches))
    assert not now_scoped, ("scoped now: take these out of NOT_YET_SCOPED:\n  "
                            + "\n  ".join(sorted(set(now_scoped))))


def test_the_shared_and_not_yet_scoped_addresses_are_addresses_of_the_app(app, world):
    endpoints = {route.endpoint for route in routes_of(app)}

    assert sorted((SHARED | NOT_YET_SCOPED) - endpoints) == []


@pytest.mark.parametrize("kind", ["admin_of_dyfed_powys"])
def test_another_offices_staff_are_not_found_by_another_offices_admin(app, world, second_office,
                                                                      kind):
    """People's accounts are shared only as applicants': the first office's member of staff
    is not found by the second office's admin."""
    browser = _browser(app, second_office, kind)
    staff_id = db.session.scalars(select(User.id).where(User.email == world.emails["staff"])
                                  ).one()
    db.session.remove()
    mismatches = []
    for route in routes_of(app):
        if "user_id" not in route.rule.arguments:
            continue
        path, got, _ = ask(browser, world, route, values={"user_id": staff_id})
        if got != NOT_FOUND:
            mismatches.append(f"{route.endpoint} {route.method} {path}: got {got}")

    assert mismatches == []


STAFF_SIDE_PAGES = {"staff_of_dyfed_powys", "admin_of_dyfed_powys"}


@pytest.mark.parametrize("kind", sorted(STAFF_SIDE_PAGES))
def test_another_offices_staff_see_none_of_this_offices_records_on_their_own_pages(
        app, world, second_office, kind):
    """Lists and reports (funds, rounds, applications, payments, reports, the dashboard):
    the second office's people see their own office's records and none of the first's."""
    browser = _browser(app, second_office, kind)
    table = STAFF if SECOND_OFFICE[kind] == "staff" else ADMIN
    mismatches = []
    pages = [route for route in routes_of(app) if route.method == "GET"
             and not names_a_record(route)
             and table[SECOND_OFFICE[kind]] == ALLOWED
             and TABLE[route.endpoint]["GET"][SECOND_OFFICE[kind]] == ALLOWED]
    for route in pages:
        path, got, text = ask(browser, world, route)
        if route.endpoint in NOT_YET_SCOPED | SHARED:
            continue
        if not got.startswith(ALLOWED):
            mismatches.append(f"{route.endpoint} GET {path} as {kind}: expected {ALLOWED}, "
                              f"got {got}")
        mismatches.extend(leaks(world, route, path, kind, text))
        for words in FIRST_OFFICES_NAMES:
            if words in text:
                mismatches.append(f"{route.endpoint} GET {path} shows {kind} {words!r}")

    assert not mismatches, ("the second office's pages show the first office's records:\n  "
                            + "\n  ".join(mismatches))


# Names of the first office's records (the world's) that its lists and reports show its staff.
FIRST_OFFICES_NAMES = ("Round PPAF-2026-1", "Round PPAF-2026-2", "Round PPAF-2026-3",
                       "CSF 2026/27 allocations", "High Sheriff awards 2026/27", "Access Plan",
                       "Grant of A", "Bid of A", "Bid of B")
