"""The staff list of a round's applications: filters, search, sorting, pages, the CSV, the
fixed number of queries, and who may see it."""

import csv
import io
import re
from datetime import timedelta

import pytest

from grants.accounts.models import Role
from grants.applications.models import Application, ApplicationStatus
from grants.assessment.operations.listing import PAGE_SIZE
from grants.core import clock
from grants.organisations.models import Organisation, OrganisationType
from tests.assessment.screening_data import NOT_STAFF, NOW, closed_round, make_user, sent, words


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "utcnow", lambda: NOW)


@pytest.fixture
def round_():
    return closed_round()


@pytest.fixture
def staff(user_factory):
    return user_factory(roles=[Role.STAFF], name="Sam Staff")


@pytest.fixture
def places(county_factory, local_authority_factory):
    berkshire = county_factory(name="Berkshire")
    oxfordshire = county_factory(name="Oxfordshire")
    return {
        "reading": local_authority_factory(name="Reading", county=berkshire),
        "slough": local_authority_factory(name="Slough", county=berkshire),
        "oxford": local_authority_factory(name="Oxford", county=oxfordshire),
    }


@pytest.fixture
def priorities(priority_factory, round_):
    first = priority_factory(code="P1", title="Vulnerability")
    second = priority_factory(code="P2", title="Violence")
    round_.priorities = [first, second]
    return first, second


def _path(round_, query: str = "") -> str:
    return f"/staff/rounds/{round_.id}/applications" + (f"?{query}" if query else "")


def _references(html: str, round_) -> list[str]:
    """The references in the table, in the order shown."""
    code = round_ if isinstance(round_, str) else round_.code
    return re.findall(rf">({code}-\d{{4}})</a>", html)


def _organisation(organisation_factory, name, kind=OrganisationType.COMMUNITY_GROUP,
                  local_authority=None):
    return organisation_factory(name=name, organisation_type=kind,
                                local_authority=local_authority)


# --- What the list shows ------------------------------------------------------------------

def test_the_list_shows_sent_applications_with_their_details_and_not_drafts(
    round_, staff, sign_in_as, organisation_factory, application_factory, places, priorities
):
    organisation = _organisation(organisation_factory, "Reading Street Support",
                                 local_authority=places["reading"])
    shown = sent(round_, organisation, primary_priority=priorities[0],
                 amount_requested_pence=523_450)
    application_factory(round=round_, organisation=organisation_factory(name="Draft Group"))

    page = sign_in_as(staff).get(_path(round_)).get_data(as_text=True)
    text = words(page)

    assert _references(page, round_) == [shown.reference]
    for value in ["Reading Street Support", "Constituted community group", "P1: Vulnerability",
                  "Reading Berkshire", "£5,234.50", "Submitted",
                  "10:01am on 23 November 2026 (GMT)"]:
        assert value in text
    assert "Draft Group" not in text
    assert f'href="/staff/applications/{shown.id}"' in page


def test_withdrawn_applications_are_listed_with_their_status(round_, staff, sign_in_as):
    sent(round_, status=ApplicationStatus.WITHDRAWN)

    text = words(sign_in_as(staff).get(_path(round_)).get_data(as_text=True))

    assert "1 application" in text and "Withdrawn" in text


def test_the_list_shows_only_the_rounds_own_applications(round_, staff, sign_in_as):
    other = closed_round(code="CSF-2026-1", title="CSF 2026/27 Round 1")
    sent(other)

    page = sign_in_as(staff).get(_path(round_)).get_data(as_text=True)

    assert "No applications" in words(page)


# --- Filters and search -------------------------------------------------------------------

@pytest.fixture
def three(round_, organisation_factory, places, priorities):
    """Three applications that differ in every way the list filters."""
    a = sent(round_, _organisation(organisation_factory, "Alpha Trust",
                                   OrganisationType.REGISTERED_CHARITY, places["reading"]),
             primary_priority=priorities[0], amount_requested_pence=300_000)
    b = sent(round_, _organisation(organisation_factory, "beta group",
                                   OrganisationType.COMMUNITY_GROUP, places["slough"]),
             primary_priority=priorities[1], amount_requested_pence=900_000,
             status=ApplicationStatus.ELIGIBLE)
    c = sent(round_, _organisation(organisation_factory, "Gamma Youth",
                                   OrganisationType.COMMUNITY_GROUP, places["oxford"]),
             primary_priority=priorities[1], amount_requested_pence=100_000,
             status=ApplicationStatus.INELIGIBLE)
    return a, b, c


@pytest.mark.parametrize("query,expected", [
    ("status=eligible", ["b"]),
    ("status=ineligible", ["c"]),
    ("status=submitted", ["a"]),
    ("organisation_type=registered_charity", ["a"]),
    ("organisation_type=community_group", ["b", "c"]),
    ("q=BETA", ["b"]),
    ("q=Youth", ["c"]),
    ("q=-0003", ["c"]),
    ("q=ppaf-2026-2-000", ["a", "b", "c"]),
    ("q=%25", []),
    ("status=nonsense", ["a", "b", "c"]),
])
def test_the_list_filters_by_status_organisation_type_and_search(
    query, expected, three, round_, staff, sign_in_as
):
    by_name = dict(zip("abc", three, strict=True))

    page = sign_in_as(staff).get(_path(round_, query)).get_data(as_text=True)

    assert _references(page, round_) == [by_name[key].reference for key in expected]
    assert _counted(page) == len(expected)


def test_the_list_filters_by_primary_priority(three, round_, staff, sign_in_as, priorities):
    page = sign_in_as(staff).get(_path(round_, f"priority={priorities[1].id}")).get_data(
        as_text=True)

    assert _references(page, round_) == [three[1].reference, three[2].reference]


def test_the_list_filters_by_the_organisations_local_authority_and_county(
    three, round_, staff, sign_in_as, places
):
    client = sign_in_as(staff)
    slough = client.get(_path(round_, f"local_authority={places['slough'].id}"))
    berkshire = client.get(_path(round_, f"county={places['reading'].county_id}"))

    assert _references(slough.get_data(as_text=True), round_) == [three[1].reference]
    assert _references(berkshire.get_data(as_text=True), round_) == [
        three[0].reference, three[1].reference]
    assert (_counted(slough.get_data(as_text=True)),
            _counted(berkshire.get_data(as_text=True))) == (1, 2)


def _counted(page: str) -> int:
    """The number of matching applications the results heading gives."""
    heading = re.search(r'<h2 class="govuk-heading-m" id="results">(.*?)</h2>', page, re.S)
    words = " ".join(heading.group(1).split())
    return 0 if words.startswith("No applications") else int(words.split()[0].replace(",", ""))


def test_the_filter_form_keeps_the_choices_made(three, round_, staff, sign_in_as, places):
    page = sign_in_as(staff).get(_path(
        round_, f"status=eligible&q=beta&local_authority={places['slough'].id}")).get_data(
        as_text=True)

    assert '<option value="eligible" selected>' in page
    assert f'<option value="{places["slough"].id}" selected>' in page
    assert 'value="beta"' in page
    assert "Clear filters" in page


# --- Sorting ------------------------------------------------------------------------------

@pytest.mark.parametrize("query,expected", [
    ("", ["a", "b", "c"]),
    ("direction=desc", ["c", "b", "a"]),
    ("sort=organisation", ["a", "b", "c"]),
    ("sort=organisation&direction=desc", ["c", "b", "a"]),
    ("sort=amount", ["c", "a", "b"]),
    ("sort=amount&direction=desc", ["b", "a", "c"]),
    ("sort=submitted&direction=desc", ["c", "b", "a"]),
])
def test_the_list_sorts_by_reference_organisation_amount_and_time_sent(
    query, expected, three, round_, staff, sign_in_as
):
    by_name = dict(zip("abc", three, strict=True))

    page = sign_in_as(staff).get(_path(round_, query)).get_data(as_text=True)

    assert _references(page, round_) == [by_name[key].reference for key in expected]


def test_sort_links_keep_the_filters_and_reverse_the_current_sort(
    three, round_, staff, sign_in_as
):
    page = sign_in_as(staff).get(_path(round_, "q=a&sort=amount")).get_data(as_text=True)

    assert 'aria-sort="ascending"' in page
    assert (f'href="/staff/rounds/{round_.id}/applications?q=a&amp;sort=amount&amp;'
            'direction=desc"') in page
    assert f'href="/staff/rounds/{round_.id}/applications?q=a&amp;sort=organisation"' in page


# --- Pages --------------------------------------------------------------------------------

def _many(round_, count: int, *, places=None, priorities=None) -> list[Application]:
    """`count` sent applications, each from its own organisation, added in one go."""
    from grants.extensions import db

    organisations = [
        Organisation(name=f"Group {n:04d}", organisation_type=OrganisationType.COMMUNITY_GROUP,
                     contact_email=f"group{n}@example.org",
                     local_authority=places[n % len(places)] if places else None)
        for n in range(1, count + 1)]
    applications = [
        Application(round=round_, organisation=organisation, sequence=n,
                    reference=f"{round_.code}-{n:04d}", status=ApplicationStatus.SUBMITTED,
                    title=f"Project {n}", amount_requested_pence=100_000 + n,
                    submitted_at=NOW - timedelta(days=8, minutes=-n),
                    primary_priority=priorities[n % len(priorities)] if priorities else None)
        for n, organisation in enumerate(organisations, start=1)]
    db.session.add_all(organisations + applications)
    db.session.commit()
    return applications


def test_the_list_shows_fifty_applications_a_page_with_gov_uk_pagination(
    round_, staff, sign_in_as
):
    applications = _many(round_, PAGE_SIZE + 3)
    client = sign_in_as(staff)

    first = client.get(_path(round_, "q=group")).get_data(as_text=True)
    second = client.get(_path(round_, "q=group&page=2")).get_data(as_text=True)

    assert len(_references(first, round_)) == PAGE_SIZE
    assert _references(second, round_) == [a.reference for a in applications[PAGE_SIZE:]]
    assert 'class="govuk-pagination"' in first
    assert f'href="/staff/rounds/{round_.id}/applications?q=group&amp;page=2" rel="next"' in first
    assert "Showing 51 to 53" in words(second)
    assert 'aria-current="page">2</a>' in second


def test_a_page_past_the_end_shows_the_last_page(round_, staff, sign_in_as):
    applications = _many(round_, 3)

    page = sign_in_as(staff).get(_path(round_, "page=9")).get_data(as_text=True)

    assert _references(page, round_) == [a.reference for a in applications]


# Five, and more than a page (the count and the paging then differ from the rows shown).
@pytest.mark.parametrize("count", [5, PAGE_SIZE + 10])
def test_the_list_runs_the_same_number_of_queries_however_many_applications(
    count, round_, staff, sign_in_as, count_queries, places, priorities, db_session
):
    _many(round_, count, places=list(places.values()), priorities=list(priorities))
    client = sign_in_as(staff)
    round_id, code = round_.id, round_.code
    db_session.expire_all()

    with count_queries() as log:
        response = client.get(f"/staff/rounds/{round_id}/applications?sort=organisation")

    assert response.status_code == 200
    assert len(_references(response.get_data(as_text=True), code)) == min(count, PAGE_SIZE)
    assert log.count == EXPECTED_LIST_QUERIES, str(log)


# The session record that keeps the user signed in, with the user, their roles and memberships
# (1), the round (with its priorities: 2), the count, the page of rows, the token of what is
# kept (grants.core.data_version), and local authorities and counties for the filters the
# first time (kept until the data changes).
EXPECTED_LIST_QUERIES = 8


# --- CSV ----------------------------------------------------------------------------------

def _csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def test_the_csv_has_a_header_and_every_matching_application_not_just_one_page(
    round_, staff, sign_in_as, places, priorities
):
    _many(round_, PAGE_SIZE + 2, places=[places["oxford"]], priorities=[priorities[0]])

    response = sign_in_as(staff).get(f"/staff/rounds/{round_.id}/applications.csv")
    rows = _csv_rows(response)

    assert rows[0] == ["Reference", "Organisation", "Organisation type", "Primary priority",
                       "Local authority", "County", "Amount requested (£)", "Status",
                       "Submitted (UK time)"]
    assert len(rows) == 1 + PAGE_SIZE + 2
    assert rows[1] == ["PPAF-2026-2-0001", "Group 0001", "Constituted community group",
                       "P1: Vulnerability", "Oxford", "Oxfordshire", "1000.01", "Submitted",
                       "2026-11-23 10:01"]
    assert 'attachment; filename="PPAF-2026-2-applications-2026-12-01.csv"' == (
        response.headers["Content-Disposition"])


def test_the_csv_applies_the_filters_and_sort(three, round_, staff, sign_in_as):
    response = sign_in_as(staff).get(
        f"/staff/rounds/{round_.id}/applications.csv?organisation_type=community_group"
        "&sort=amount&direction=desc")

    rows = _csv_rows(response)

    assert [row[0] for row in rows[1:]] == [three[1].reference, three[2].reference]
    assert [row[6] for row in rows[1:]] == ["9000.00", "1000.00"]


def test_the_list_links_to_the_csv_with_the_same_filters(three, round_, staff, sign_in_as):
    page = sign_in_as(staff).get(_path(round_, "status=eligible&page=1")).get_data(
        as_text=True)

    assert f'href="/staff/rounds/{round_.id}/applications.csv?status=eligible"' in page


def test_the_csv_neutralises_spreadsheet_formulas(round_, staff, sign_in_as,
                                                  organisation_factory):
    for name in ["=HYPERLINK(\"http://evil.example\")", "+1+1", "-2", "@SUM(A1)", "Plain"]:
        sent(round_, organisation_factory(name=name))

    rows = _csv_rows(sign_in_as(staff).get(
        f"/staff/rounds/{round_.id}/applications.csv?sort=organisation"))

    assert sorted(row[1] for row in rows[1:]) == sorted([
        "'=HYPERLINK(\"http://evil.example\")", "'+1+1", "'-2", "'@SUM(A1)", "Plain"])


# --- Who may see it -----------------------------------------------------------------------

PAGES = ["/staff/rounds/{round_id}/applications", "/staff/rounds/{round_id}/applications.csv"]


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_people_are_sent_to_sign_in_from_the_list(path, round_, client):
    response = client.get(path.format(round_id=round_.id))

    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("role", NOT_STAFF)
@pytest.mark.parametrize("path", PAGES)
def test_the_list_and_csv_refuse_everyone_but_staff(path, role, round_, sign_in_as):
    client = sign_in_as(make_user(role))

    assert client.get(path.format(round_id=round_.id)).status_code == 403


def test_an_unknown_round_is_not_found(staff, sign_in_as):
    assert sign_in_as(staff).get("/staff/rounds/999999/applications").status_code == 404
