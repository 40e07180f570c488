"""The access matrix with two offices: the world's records are the first office's (Thames
Valley's); a second office (Dyfed-Powys) has its own fund, round, application, award, plan and
areas, and its own staff, admin, reviewer and High Sheriff. A person of the second office
reaching any route with the first office's ids (or a round's code) is told it does not exist
(404): never its page, never a redirect; and the second office's own pages show nothing of the
first's. The second office is built into every module's world (tests/access/second_office.py),
so the whole matrix (tests/access/test_matrix.py) answers the first office's people as the
table says with two offices loaded.
"""


import re

import pytest
from sqlalchemy import select

from grants.accounts.models import User
from grants.extensions import db
from grants.funds.models import Round
from grants.offices.models import Office
from grants.offices.operations.owning import office_owned_model
from grants.offices.operations.scoping import end_office_scope, scope_to_office
from grants.records.models import AuditEvent
from grants.records.operations.audit import record_event
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
NOT_YET_SCOPED: set[str] = set()


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


def _audit_log(client, query: str = "") -> tuple[int | None, set[int], str]:
    """Every page of the audit log as the client reads it: the total it states, the ids of the
    events it lists (those with values), and the pages' text."""
    texts, number = [], 1
    while True:
        response = client.get(f"/admin/audit?page={number}{query}")
        assert response.status_code == 200
        texts.append(response.get_data(as_text=True))
        if f"page={number + 1}" not in texts[-1]:
            break
        number += 1
    text = "\n".join(texts)
    stated = re.search(r"(\d+) events?, newest first", text)  # none when a filter is refused
    listed = {int(n) for n in re.findall(r"of event (\d+)", text)}
    return int(stated.group(1)) if stated else None, listed, text


def _events_of(office_id: int | None) -> set[int]:
    return set(db.session.scalars(select(AuditEvent.id).where(
        AuditEvent.office_id == office_id if office_id is not None
        else AuditEvent.office_id.is_(None))))


def test_each_offices_admin_reads_their_own_offices_events_on_the_audit_log_and_no_other(
        app, world, second_office):
    """The first office's events (its staff's, and its applicants' on applications to its
    rounds) are its admin's to read, as before offices; none is the second office's admin's,
    nor are the events of no office (an applicant's own account), nor are the first office's
    kinds of record and people offered as filters."""
    first = db.session.scalars(select(Office).where(Office.slug == "thames-valley")).one()
    second = db.session.scalars(select(Office).where(Office.slug == "dyfed-powys")).one()
    applicant = db.session.scalars(select(User).where(
        User.email == world.emails["applicant_a"])).one()
    application_id = world.url_values["application_id"]  # the first office's
    by_applicant = record_event(db.session, actor_id=applicant.id, action="application.edited",
                                entity_type="application", entity_id=application_id,
                                before={"title": "Only the first office reads this"},
                                after={"title": "Nor this"})
    of_no_office = record_event(db.session, actor_id=applicant.id, action="user.renamed",
                                entity_type="user", entity_id=applicant.id,
                                before={"name": "No office reads this"}, after={"name": "A"})
    second_round = db.session.scalars(select(Round).where(Round.code == "DP-2026-1")).one()
    scope_to_office(db.session, second.id)
    by_second = record_event(db.session, actor_id=None, action="round.renamed",
                             entity_type="round", entity_id=second_round.id,
                             before={"title": "Dyfed-Powys Round One"}, after={"title": "B"})
    end_office_scope(db.session)
    db.session.commit()
    assert (by_applicant.office_id, of_no_office.office_id, by_second.office_id) == (
        first.id, None, second.id)
    by_applicant, by_second = by_applicant.id, by_second.id
    # Signed in first: signing in is an event of the person's office.
    theirs = _browser(app, second_office, "admin_of_dyfed_powys").client
    ours = app.test_client()
    assert sign_in(ours, world.emails["admin"]).status_code == 302
    firsts, seconds, no_offices = _events_of(first.id), _events_of(second.id), _events_of(None)
    # Every event the world wrote about a record of the first office's own is the first's.
    for event in db.session.scalars(select(AuditEvent).where(AuditEvent.office_id.is_(None))):
        assert office_owned_model(event.entity_type) in (None, User), (event.action,
                                                                     event.entity_type)
    first_kinds = set(db.session.scalars(select(AuditEvent.entity_type)
                                         .where(AuditEvent.office_id == first.id)))
    second_kinds = set(db.session.scalars(select(AuditEvent.entity_type)
                                          .where(AuditEvent.office_id == second.id)))
    db.session.remove()

    total, listed, text = _audit_log(theirs)
    assert total == len(seconds)
    assert by_second in listed and listed <= seconds
    assert "No office reads this" not in text and "Only the first office reads this" not in text
    offered = set(re.findall(r'<option value="([a-z_]+)"', text))
    assert offered == second_kinds and first_kinds - second_kinds
    assert "There is no user with that email address" in _audit_log(
        theirs, f"&user={world.emails['staff']}")[2]

    total, listed, text = _audit_log(ours)
    assert total == len(firsts)
    assert by_applicant in listed and listed <= firsts
    assert not listed & (seconds | no_offices)
    assert "Only the first office reads this" in text and "No office reads this" not in text
    assert set(re.findall(r'<option value="([a-z_]+)"', text)) == first_kinds
